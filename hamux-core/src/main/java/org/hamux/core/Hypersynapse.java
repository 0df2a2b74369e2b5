package org.hamux.core;

import java.util.List;
import org.hamux.core.ops.Ops;

/**
 * A hyperedge of the energy graph: a scalar energy {@code E_s(g_1, ..., g_n)} of the activations of
 * the layers it connects. The layers feel the current {@code I_i = -dE_s/dg_i}.
 *
 * <p>The list {@code g} holds one activation {@code [batch, ...shape_i]} per connected slot, in the
 * order of the connection; a layer may fill several slots.
 *
 * <p>The arrays a synapse computes during a step of the dynamics are written again in the next step (see
 * {@link org.hamux.core.ops.StepArrays}): keep nothing computed from one call to the next but parameters.
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

    /** The closed-form gradient {@code dE_s/dg_i} for every slot {@code i}, each shaped like {@code g_i}. */
    public abstract <T> List<T> gradient(Ops<T> o, List<T> g);

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
     * Whether {@link #gradient} is written with {@link Ops} (and can be unrolled for training). A synapse
     * that only states its energy and gets its gradient from autodiff says false.
     */
    public boolean hasClosedFormGradient() {
        return true;
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
