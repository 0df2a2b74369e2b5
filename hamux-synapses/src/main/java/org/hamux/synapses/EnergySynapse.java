package org.hamux.synapses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hamux.core.SameDiffSynapse;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A user-written synapse from Java given only by its energy, as a lambda of SameDiff ops; the gradient
 * comes from SameDiff autodiff (see {@link SameDiffSynapse}: it runs in the dynamics, it cannot be
 * trained through). No subclass needed:
 *
 * <pre>{@code
 * // E = -c sum_i g_i^3 / 3 on one layer, per sample
 * Hypersynapse cubic = new EnergySynapse("cubic", 1, Map.of("c", Nd4j.scalar(0.5)),
 *         (sd, g, p) -> sd.sum(sd.math().pow(g.get(0), 3), 1).mul(p.get("c")).mul(-1.0 / 3));
 * }</pre>
 *
 * <p>The function gets the activations {@code g} ({@code [B, ...shape_i]}, one per connected slot) and the
 * parameters by name, and returns the energy per sample {@code [B]}. Any layer shapes are accepted: a
 * mismatch shows when the energy is first evaluated.
 */
public final class EnergySynapse extends SameDiffSynapse {

    /** An energy written with SameDiff ops. */
    @FunctionalInterface
    public interface Energy {
        /** The energy per sample {@code [B]} of the activations {@code g}; {@code params} by name. */
        SDVariable apply(SameDiff sd, List<SDVariable> g, Map<String, SDVariable> params);
    }

    private final String type;
    private final int arity;
    private final Energy energy;

    /**
     * @param type   the name shown in messages and {@code toString}
     * @param arity  how many slots it connects ({@code -1}: any number)
     * @param params its parameters by name (scalars as rank-0 arrays)
     * @param energy the energy
     */
    public EnergySynapse(String type, int arity, Map<String, INDArray> params, Energy energy) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("an energy synapse needs a type name");
        }
        if (arity == 0 || arity < -1) {
            throw new IllegalArgumentException("arity must be -1 (any) or at least 1, got " + arity);
        }
        this.type = type;
        this.arity = arity;
        this.energy = Objects.requireNonNull(energy, "energy");
        new LinkedHashMap<>(params).forEach(this::declare);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public int arity() {
        return arity;
    }

    @Override
    public void check(List<long[]> layerShapes) {
    }

    @Override
    protected SDVariable energy(SameDiff sd, List<SDVariable> g, Map<String, SDVariable> params) {
        return energy.apply(sd, g, params);
    }

    /** Equal when of the same type name, energy function object and parameter values. */
    @Override
    public boolean equals(Object o) {
        return super.equals(o) && type.equals(((EnergySynapse) o).type) && energy == ((EnergySynapse) o).energy;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + type.hashCode();
    }
}
