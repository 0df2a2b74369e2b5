package org.hamux.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.Rng;
import org.hamux.core.autodiff.Plan;
import org.hamux.core.autodiff.Tape;
import org.hamux.core.autodiff.Var;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dynamics of a graph unrolled for {@code T} Euler steps on the reverse-mode engine ({@link Tape}), for a fixed
 * batch size, ending in a loss, with the gradient of the loss with respect to the trainable parameters:
 * <pre>  g = dL/dx;  x_l &lt;- x_l + dx_l  (Dynamics.change: -(dt/tau) dE/dg, noise, masks; clamped layers stay)
 *   loss = mean_b loss(g_T or x_T of the loss layer, target);   d loss / d theta by reverse mode</pre>
 * Each step is the components' own closed-form {@code dE/dg} (or the engine's gradient of an energy-only synapse), the
 * same generic code the eager dynamics runs. The whole computation is recorded once and run for every batch by one
 * {@link Plan}: only the ops the loss and the gradients need, on the arrays of the batch before.
 *
 * <p>The arrays of every step are kept for the backward pass. With recomputation ({@link Training#recompute} {@code k}
 * between 1 and {@code T - 1}) the steps are cut into segments of {@code k}: a batch runs them forward keeping only the
 * states between segments, then goes back segment by segment, computing each one's steps again before its backward pass
 * (a second forward pass, for the memory of one segment instead of {@code T} steps).
 */
public final class Unrolled {

    private final long batch;
    private final DataType dtype;
    private final Dynamics dynamics;
    private final Map<String, INDArray> live = new LinkedHashMap<>();
    /** The segments in the order they run: all but the last of {@code every} steps. */
    private final List<Segment> segments = new ArrayList<>();
    private final int every;
    private final Map<String, INDArray> sums = new LinkedHashMap<>();
    private long peakBytes;

    /**
     * @param graph the graph (its parameters are the starting values of the trainable ones)
     * @param t     the training settings (trainable parameters, inputs, dynamics, loss, recomputation)
     * @param batch the batch size
     */
    public Unrolled(EnergyGraph graph, Training t, long batch) {
        checkTrainable(graph, t.train());
        this.batch = batch;
        this.dtype = Trainer.dtype(graph);
        this.dynamics = t.dynamics();
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        for (String name : t.train()) {
            ParameterRef r = refs.get(name);
            live.put(name, r.owner().parameter(r.name()).castTo(dtype).dup());
        }
        int steps = t.steps();
        every = t.recompute() > 0 && t.recompute() < steps ? t.recompute() : steps;
        if (every < steps && dynamics.tolerance() > 0) {
            throw new HamuxException("recompute does not combine with a tolerance (the stop would cross segments): "
                    + "set one of them to 0");
        }
        int count = (steps + every - 1) / every;
        Segment middle = null;
        for (int i = 0; i < count; i++) {
            boolean first = i == 0;
            boolean last = i == count - 1;
            int len = last ? steps - every * (count - 1) : every;
            if (!first && !last) {
                middle = middle != null ? middle : new Segment(graph, t, batch, dtype, live, len, false, false);
                segments.add(middle);
            } else {
                segments.add(new Segment(graph, t, batch, dtype, live, len, first, last));
            }
        }
    }

    /**
     * Fails with a clear message when a parameter to train is unknown. (Every synapse can be trained through: one that
     * states only its energy gets {@code dE/dg} from the engine, and that gradient is differentiated again.)
     */
    public static void checkTrainable(EnergyGraph graph, List<String> train) {
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        for (String name : train) {
            if (!refs.containsKey(name)) {
                throw new HamuxException("unknown parameter '" + name + "' to train (the graph has " + refs.keySet() + ")");
            }
        }
    }

    /** The batch size this graph was built for. */
    public long batch() {
        return batch;
    }

    /** The number of ops a batch runs (forward and backward), without the forward passes recomputation adds. */
    public int ops() {
        int n = 0;
        for (Segment s : new java.util.LinkedHashSet<>(segments)) {
            n += s.backward.size() * java.util.Collections.frequency(segments, s);
        }
        return n;
    }

    /** The matrix-product work of a batch in floating-point operations, the forward passes recomputation adds included. */
    public double gemmFlops() {
        double f = 0;
        for (Segment s : segments) {
            f += s.backward.gemmFlops() + (s.forward != null && segments.size() > 1 ? s.forward.gemmFlops() : 0);
        }
        return f;
    }

    /** The plan of the last segment's batch: with no recomputation, the whole forward and backward pass. */
    public Plan plan() {
        return segments.get(segments.size() - 1).backward;
    }

    /** The plan a batch runs last, its ops one per line (see {@link Plan#describe}). */
    public String describe() {
        return plan().describe();
    }

    /**
     * The largest working memory a batch has held, in bytes: the arrays its plans keep (all of them without
     * recomputation; one segment's at a time with it).
     */
    public long workingBytes() {
        return Math.max(peakBytes, plan().workingBytes());
    }

    /** The current value of every trainable parameter, by flat name (the live arrays: update them in place). */
    public Map<String, INDArray> parameters() {
        return java.util.Collections.unmodifiableMap(live);
    }

    /** Sets the trainable parameters given in {@code values} (copied in). */
    public void setParameters(Map<String, INDArray> values) {
        values.forEach((flat, a) -> {
            INDArray p = live.get(flat);
            if (p == null) {
                throw new HamuxException("'" + flat + "' is not a trained parameter (trained: " + live.keySet() + ")");
            }
            if (!Arrays.equals(p.shape(), a.shape())) {
                throw new HamuxException("parameter '" + flat + "' has shape " + Shapes.str(p.shape()) + ", not "
                        + Shapes.str(a.shape()));
            }
            p.assign(a.castTo(p.dataType()));
        });
    }

    /**
     * The loss of a batch, the final output of the loss layer, and the gradient of the loss with respect to every
     * trainable parameter (by flat name). The output and the gradients are arrays of this run: the next run writes
     * them again.
     *
     * @param inputs the initial state of every input layer, {@code [batch, ...shape]}
     * @param target the target, {@code [batch, ...shape of the loss layer]}
     * @param rng    the generator of this batch's Langevin noise (only read at a positive temperature), or null for
     *               one seeded with the dynamics' seed
     */
    public Step run(Map<String, INDArray> inputs, INDArray target, Rng rng) {
        Segment first = segments.get(0);
        first.inputs.forEach((layer, v) -> {
            INDArray a = inputs.get(layer);
            if (a == null) {
                throw new HamuxException("no input given for layer '" + layer + "'");
            }
            v.set(a);
        });
        List<INDArray[]> noise = noise(rng);
        Segment last = segments.get(segments.size() - 1);
        last.target.set(target);
        if (segments.size() == 1) {
            first.setNoise(noise, 0);
            first.backward.run();
            Map<String, INDArray> grads = new LinkedHashMap<>();
            int i = 0;
            for (String name : live.keySet()) {
                grads.put(name, first.parameterGradients.get(i++).value());
            }
            return new Step(first.loss.value().getDouble(0), first.output.value(), grads);
        }
        // forward, keeping the states between segments
        List<Map<String, INDArray>> states = new ArrayList<>();
        for (int i = 0; i < segments.size() - 1; i++) {
            Segment s = segments.get(i);
            if (i > 0) {
                s.setStart(states.get(i - 1));
            }
            s.setNoise(noise, i * every);
            s.forward.run();
            Map<String, INDArray> end = new LinkedHashMap<>();
            s.end.forEach((layer, v) -> end.put(layer, v.value().dup()));
            states.add(end);
            release(s.forward);
        }
        // backward, segment by segment, each computed again first
        last.setStart(states.get(states.size() - 1));
        last.setNoise(noise, (segments.size() - 1) * every);
        last.backward.run();
        double loss = last.loss.value().getDouble(0);
        INDArray output = last.output.value().dup();
        accumulate(last, true);
        Map<String, INDArray> cotangent = startGradients(last);
        release(last.backward);
        for (int i = segments.size() - 2; i >= 0; i--) {
            Segment s = segments.get(i);
            if (i > 0) {
                s.setStart(states.get(i - 1));
            }
            s.setNoise(noise, i * every);
            s.endCotangent.forEach((layer, v) -> v.set(cotangent.get(layer)));
            s.backward.run();
            accumulate(s, false);
            if (i > 0) {
                cotangent.clear();
                cotangent.putAll(startGradients(s));
            }
            release(s.backward);
        }
        return new Step(loss, output, sums);
    }

    /** The noise of every step of this batch, by layer index, drawn in the order the eager dynamics draws it. */
    private List<INDArray[]> noise(Rng rng) {
        List<INDArray[]> all = new ArrayList<>();
        if (!dynamics.noisy()) {
            return all;
        }
        Rng source = rng != null ? rng : new Rng(dynamics.noiseSeed());
        for (Segment s : segments) {
            for (Var[] n : s.noise) {
                INDArray[] arrays = new INDArray[n.length];
                for (int k = 0; k < n.length; k++) {
                    if (n[k] != null) {
                        arrays[k] = Nd4j.createUninitialized(dtype, n[k].shape());
                        source.fillNormal(arrays[k], 1.0);
                    }
                }
                all.add(arrays);
            }
        }
        return all;
    }

    /** Adds a segment's parameter gradients to the sums (the first segment to run sets them). */
    private void accumulate(Segment s, boolean set) {
        int i = 0;
        for (String name : live.keySet()) {
            INDArray g = s.parameterGradients.get(i++).value();
            INDArray sum = sums.get(name);
            if (sum == null) {
                sum = Nd4j.createUninitialized(g.dataType(), g.shape());
                sums.put(name, sum);
            }
            if (set) {
                sum.assign(g);
            } else {
                sum.addi(g);
            }
        }
    }

    private static Map<String, INDArray> startGradients(Segment s) {
        Map<String, INDArray> g = new LinkedHashMap<>();
        int i = 0;
        for (String layer : s.start.keySet()) {
            g.put(layer, s.startGradients.get(i++).value().dup());
        }
        return g;
    }

    /** Frees the arrays of a plan that has run, after noting how many bytes it held. */
    private void release(Plan p) {
        peakBytes = Math.max(peakBytes, p.workingBytes());
        p.release();
    }

    /** {@link #run(Map, INDArray, Rng)} with the noise (if any) seeded with the dynamics' seed. */
    public Step run(Map<String, INDArray> inputs, INDArray target) {
        return run(inputs, target, null);
    }

    /** The outcome of one batch. */
    public record Step(double loss, INDArray output, Map<String, INDArray> gradients) {
    }
}
