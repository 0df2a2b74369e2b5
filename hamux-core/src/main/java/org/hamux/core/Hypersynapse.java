package org.hamux.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hamux.core.autodiff.EnergyGradient;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A hyperedge of the energy graph: a scalar energy {@code E_s(g_1, ..., g_n)} of the activations of
 * the layers it connects. The layers feel the current {@code I_i = -dE_s/dg_i}.
 *
 * <p>A synapse of one's own needs only {@link #type}, {@link #arity}, {@link #check} and {@link #energy}, written with
 * {@link Ops}; {@link #gradient} then comes from the engine, in the dynamics and in training:
 * <pre>{@code
 * public final class Quartic extends Hypersynapse {          // E = -c sum_i g_i^4 / 4, per sample
 *     public Quartic(double c) { declare("c", scalar(c)); }
 *     public String type() { return "quartic"; }
 *     public int arity() { return 1; }
 *     public void check(List<long[]> shapes) { }
 *     public <T> T energy(Ops<T> o, List<T> g) {
 *         return o.mul(o.sumPerSample(o.pow(g.get(0), 4)), o.mul(o.param(this, "c"), -0.25));
 *     }
 * }
 * }</pre>
 *
 * <p>The list {@code g} holds one activation {@code [batch, ...shape_i]} per connected slot, in the
 * order of the connection; a layer may fill several slots.
 *
 * <p>The arrays a synapse computes during a step of the dynamics are written again in the next step (see
 * {@link org.hamux.core.ops.Loop}): keep nothing computed from one call to the next but parameters.
 */
public abstract class Hypersynapse extends Component {

    /** How many layers this synapse connects, or {@code -1} for any number from one up. */
    public abstract int arity();

    /**
     * Checks the parameters against the per-sample shapes of the connected layers and throws
     * {@link IllegalArgumentException} naming the parameter, the expected and the actual shape.
     */
    public abstract void check(List<long[]> layerShapes);

    /** {@code E_s}: one number per sample, {@code [B]}. */
    public abstract <T> T energy(Ops<T> o, List<T> g);

    /**
     * The gradient {@code dE_s/dg_i} for every slot {@code i}, each shaped like {@code g_i}. A built-in synapse states
     * it in closed form, written with {@link Ops}; a synapse that leaves this method as it is (one that states only its
     * energy) gets it from the reverse-mode engine ({@link EnergyGradient}), also in training, where the engine
     * differentiates it again.
     */
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        return EnergyGradient.of(this, o, g);
    }

    /**
     * The energy and its gradient together, as {@link #energy} and {@link #gradient} give them. The dynamics
     * calls this once per step; a synapse whose energy and gradient share work (the scores of a memory)
     * overrides it to do that work once.
     */
    public <T> EnergyAndGradient<T> energyAndGradient(Ops<T> o, List<T> g) {
        return new EnergyAndGradient<>(energy(o, g), gradient(o, g));
    }

    /**
     * How this synapse's energy changes when one neuron of a binary layer flips sign, for every neuron at once:
     * <pre>  dE[b, i] = E_s(g with g_k[b, i] -> -g_k[b, i] in every slot k of slots) - E_s(g)</pre>
     * shaped like the activation of those slots (one layer fills them all). The synchronous discrete update of
     * {@link Dynamics} flips the neurons with {@code dE < 0}. By default the energy of every flipped state is computed
     * (exact for any energy: the batch is expanded neuron by neuron, a few samples at a time); a synapse with a closed
     * form overrides it.
     */
    public <T> T flipChanges(Ops<T> o, List<T> g, Set<Integer> slots) {
        return flippedStates(o, g, slots);
    }

    /** {@link #flipChanges} from the energy of every flipped state. */
    private <T> T flippedStates(Ops<T> o, List<T> g, Set<Integer> slots) {
        int first = slots.iterator().next();
        long[] shape = o.shape(g.get(first));
        long batch = shape[0];
        long n = Shapes.size(java.util.Arrays.copyOfRange(shape, 1, shape.length));
        long chunk = Math.max(1, FLIP_CHUNK / (n * n));                 // samples per expanded batch
        T e = energy(o, g);                                              // E_s(g)   [B]
        T flips = o.constant(g.get(first), Nd4j.eye(n).muli(-2).addi(1)); // row i: 1 - 2 e_i   [n, n]
        T out = null;
        for (long from = 0; from < batch; from += chunk) {
            long to = Math.min(batch, from + chunk);
            long b = to - from;
            List<T> expanded = new ArrayList<>();
            for (int k = 0; k < g.size(); k++) {
                T gk = batch == b ? g.get(k) : o.slice(g.get(k), 0, from, to);
                long[] ks = o.shape(gk);
                long rest = Shapes.size(java.util.Arrays.copyOfRange(ks, 1, ks.length));
                T rows = o.reshape(gk, b, 1, rest);
                // slot of the flipped layer: sample b, copy i with neuron i negated; any other slot: n copies
                T copies = slots.contains(k) ? o.mul(rows, o.reshape(flips, 1, n, n)) : o.add(rows, o.zeros(rows, 1, n, rest));
                long[] flat = ks.clone();
                flat[0] = b * n;
                expanded.add(o.reshape(copies, flat));
            }
            T eFlipped = o.reshape(energy(o, expanded), b, n);               // E_s of each flipped copy
            T eHere = batch == b ? e : o.slice(e, 0, from, to);
            T d = o.sub(eFlipped, o.reshape(eHere, b, 1));
            out = out == null ? d : o.concat(0, out, d);
        }
        return o.reshape(out, shape);
    }

    /**
     * {@link #flipChanges} of an energy affine in each neuron of a layer that fills one slot (a dense coupling, a bias):
     * flipping {@code g_i} changes it by {@code dE_i = -2 g_i dE/dg_i}; a layer in two slots (quadratic in it) takes the
     * general computation.
     */
    protected final <T> T affineFlipChanges(Ops<T> o, List<T> g, Set<Integer> slots) {
        if (slots.size() != 1) {
            return flippedStates(o, g, slots);
        }
        int k = slots.iterator().next();
        return o.mul(o.mul(g.get(k), gradient(o, g).get(k)), -2.0);
    }

    /** The most elements of the flipped copies {@link #flipChanges} makes at once. */
    private static final long FLIP_CHUNK = 1L << 22;

    /**
     * The matrix-product work of {@link #energyAndGradient} in floating-point operations, for layers of
     * per-sample shapes {@code layerShapes} and {@code batch} samples (a multiply-add counts 2); 0 where
     * there is none worth counting. Benchmarks divide it by the time of a step.
     */
    public double gemmFlops(List<long[]> layerShapes, long batch) {
        return 0;
    }

    /**
     * A synapse's energy {@code [B]} and its gradient with respect to each slot.
     *
     * @param energy   {@code E_s} per sample
     * @param gradient {@code dE_s/dg_i} for every slot {@code i}, shaped like {@code g_i}
     */
    public record EnergyAndGradient<T>(T energy, List<T> gradient) {
    }
}
