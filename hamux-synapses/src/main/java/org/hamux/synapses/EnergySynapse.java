package org.hamux.synapses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hamux.core.HamuxException;
import org.hamux.core.Hypersynapse;
import org.hamux.core.autodiff.Tape;
import org.hamux.core.autodiff.Var;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A user-written synapse from Java given only by its energy, as a lambda of {@link Ops} on the engine's values
 * ({@link Var}); its gradient comes from the reverse-mode engine ({@link Tape}), in the dynamics and in training (where
 * the engine differentiates that gradient again). No subclass needed:
 *
 * <pre>{@code
 * // E = -c sum_i g_i^3 / 3 on one layer, per sample
 * Hypersynapse cubic = new EnergySynapse("cubic", 1, Map.of("c", Nd4j.scalar(0.5)),
 *         (o, g, p) -> o.mul(o.sumPerSample(o.pow(g.get(0), 3)), o.mul(p.get("c"), -1.0 / 3)));
 * }</pre>
 *
 * <p>The function gets the activations {@code g} ({@code [B, ...shape_i]}, one per connected slot) and the parameters
 * by name, and returns the energy per sample {@code [B]}. Any layer shapes are accepted: a mismatch shows when the
 * energy is first evaluated. (A subclass of {@link Hypersynapse} that overrides only {@code energy}, generically over
 * {@code Ops}, works the same way and also runs in SameDiff; see its class comment.)
 */
public final class EnergySynapse extends Hypersynapse {

    /** An energy written with {@link Ops} on the engine's values. */
    @FunctionalInterface
    public interface Energy {
        /** The energy per sample {@code [B]} of the activations {@code g}; {@code params} by name. */
        Var apply(Ops<Var> o, List<Var> g, Map<String, Var> params);
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

    /** The lambda's energy: recorded on a tape, or computed on arrays through a tape of its own. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T energy(Ops<T> o, List<T> g) {
        if (o instanceof Tape t) {
            return (T) recorded(t, (List<Var>) g);
        }
        if (!g.isEmpty() && g.get(0) instanceof INDArray) {
            return (T) Tape.apply((List<INDArray>) g, (t, in) -> List.of(recorded(t, in))).get(0);
        }
        throw new HamuxException(this + " is written on the engine's values (Var): it runs on arrays and on a Tape, not on "
                + o.getClass().getSimpleName() + "; write a Hypersynapse subclass with a generic energy to record it there");
    }

    private Var recorded(Tape t, List<Var> g) {
        Map<String, Var> p = new LinkedHashMap<>();
        parameters().keySet().forEach(k -> p.put(k, t.param(this, k)));
        return energy.apply(t, g, p);
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
