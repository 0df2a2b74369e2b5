package org.hamux.core.autodiff;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.HamuxException;
import org.hamux.core.ops.Shapes;
import org.hamux.core.ops.Loop;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What to compute of a {@link Tape} to get some outputs: the ops they need, in the order they were recorded (every op
 * after its inputs), and nothing else. Each {@link #run} computes them again from the current arrays of the inputs,
 * into the arrays of the run before where the backend reuses them ({@link Loop}): a training step that is run once per batch allocates
 * nothing new once it has run. So an array of one run is overwritten by the next: read or copy what you need first.
 */
public final class Plan {

    private final Tape tape;
    private final List<Var> outputs;
    private final Var[] ops;
    private final Var[] inputs;
    private final Loop arrays;

    Plan(Tape tape, List<Var> outputs) {
        this.tape = tape;
        this.outputs = List.copyOf(outputs);
        BitSet need = tape.ancestors(this.outputs);
        List<Var> o = new ArrayList<>();
        List<Var> i = new ArrayList<>();
        for (int id = need.nextSetBit(0); id >= 0; id = need.nextSetBit(id + 1)) {
            Var v = tape.node(id);
            if (v.kind == Var.Kind.OP) {
                o.add(v);
            } else if (v.kind == Var.Kind.INPUT) {
                i.add(v);
            }
        }
        this.ops = o.toArray(Var[]::new);
        this.inputs = i.toArray(Var[]::new);
        this.arrays = tape.exec().loop();
    }

    /** The outputs this plan computes. */
    public List<Var> outputs() {
        return outputs;
    }

    /** The number of ops a run computes. */
    public int size() {
        return ops.length;
    }

    /** The ops a run computes, one per line in the order they run, each with its inputs ({@code %id}) and shape. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Var v : ops) {
            b.append(v);
            b.append(" <-");
            for (Var u : v.in) {
                b.append(" %").append(u.id);
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Computes every op of the plan from the inputs' current arrays (each input must have one). */
    public void run() {
        for (Var in : inputs) {
            if (in.value == null) {
                throw new HamuxException("input '" + in.name + "' " + Shapes.str(in.shape) + " has no array: give it one with set()");
            }
        }
        // outside any workspace: the arrays of a run outlive it (until the next run)
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             Loop.Step step = arrays.step()) {
            for (Var v : ops) {
                tape.compute(v);
            }
        }
    }

    /**
     * Runs the plan once, timing every op: the nanoseconds of each op, keyed by its primitive and settings (e.g.
     * {@code Mmul[transA=false, transB=true, s=-1.0]}) and shape, in the order of first appearance.
     */
    public Map<String, long[]> profile() {
        Map<String, long[]> t = new LinkedHashMap<>();
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             Loop.Step step = arrays.step()) {
            for (Var v : ops) {
                long t0 = System.nanoTime();
                tape.compute(v);
                long dt = System.nanoTime() - t0;
                long[] c = t.computeIfAbsent(v.op + Shapes.str(v.shape), k -> new long[2]);
                c[0] += dt;
                c[1]++;
            }
        }
        return t;
    }

    /**
     * The matrix-product work of a run in floating-point operations (a multiply-add counts 2): its products, batched
     * products and per-head products.
     */
    public double gemmFlops() {
        double f = 0;
        for (Var v : ops) {
            long[] o = v.shape;
            if (v.op instanceof Prims.Mmul m) {
                f += 2.0 * o[0] * o[1] * v.in[0].shape[m.transA() ? 0 : 1];
            } else if (v.op instanceof Prims.MmulScaled m) {
                f += 2.0 * o[0] * o[1] * v.in[0].shape[m.transA() ? 0 : 1];
            } else if (v.op instanceof Prims.Bmmul m) {
                f += 2.0 * o[0] * o[1] * o[2] * v.in[0].shape[m.transA() ? 1 : 2];
            } else if (v.op instanceof Prims.HeadScores) {
                f += 2.0 * Shapes.size(o) * v.in[0].shape[3];
            } else if (v.op instanceof Prims.HeadMix || v.op instanceof Prims.HeadMixBoth) {
                long[] p = v.in[0].shape;
                f += (v.op instanceof Prims.HeadMixBoth ? 4.0 : 2.0) * Shapes.size(p) * v.in[1].shape[3];
            }
        }
        return f;
    }

    /**
     * The bytes of the arrays the values of the last run hold (each buffer once, a view counting as the array it views):
     * the working memory a run keeps until the next.
     */
    public long workingBytes() {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long n = 0;
        for (Var v : ops) {
            if (v.value == null) {
                continue;
            }
            DataBuffer d = v.value.data();
            DataBuffer whole = d.originalDataBuffer() != null ? d.originalDataBuffer() : d;
            if (seen.add(whole.address())) {
                n += whole.length() * whole.getElementSize();
            }
        }
        return n;
    }

    /** Frees the arrays the runs reuse (and forgets the values of its ops); the next run makes them again. */
    public void release() {
        for (Var v : ops) {
            v.value = null;                      // computed again when asked for, or by the next run
        }
        arrays.release();
    }
}
