package org.hamux.core;

import java.util.List;
import org.hamux.core.autodiff.EnergyGradient;
import org.hamux.core.ops.Ops;

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
