package org.hamux.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer of neurons: a state {@code x} of per-sample shape {@link #shape()}, a {@link Lagrangian}
 * whose gradient is the activation {@code g}, a time constant {@code tau}, and an optional bias
 * {@code b} (parameter {@code "bias"}, shaped like the layer).
 *
 * <p>Energy: {@code E = <x, g> - L(x) - <b, g>}, so that {@code dE/dg = x - b}. With its energy
 * switched off ({@link #energyOn()} false, as in the Energy Transformer) the layer contributes only
 * the bias term.
 */
public final class NeuronLayer extends Component {

    /** The default time constant. */
    public static final double DEFAULT_TAU = 1.0;

    private final long[] shape;
    private Lagrangian lagrangian;
    private final double tau;
    private final boolean energyOn;

    /**
     * @param shape      per-sample shape, every size positive
     * @param lagrangian the layer's Lagrangian
     * @param tau        time constant, positive
     * @param energyOn   whether {@code <x, g> - L(x)} counts in the energy
     * @param bias       bias shaped like the layer, or null for none
     */
    public NeuronLayer(long[] shape, Lagrangian lagrangian, double tau, boolean energyOn, INDArray bias) {
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw new HamuxException("layer shape " + Arrays.toString(shape) + " must have at least one axis, all positive");
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new HamuxException("tau must be positive and finite, got " + tau);
        }
        this.shape = shape.clone();
        this.lagrangian = Objects.requireNonNull(lagrangian, "lagrangian");
        this.tau = tau;
        this.energyOn = energyOn;
        if (bias != null) {
            if (!Arrays.equals(bias.shape(), this.shape)) {
                throw new HamuxException("bias has shape " + Arrays.toString(bias.shape())
                        + " but the layer has shape " + Arrays.toString(this.shape));
            }
            declare("bias", bias);
        }
    }

    /** A layer with tau 1, its energy on, no bias. */
    public NeuronLayer(long[] shape, Lagrangian lagrangian) {
        this(shape, lagrangian, DEFAULT_TAU, true, null);
    }

    @Override
    public String type() {
        return "layer";
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("shape", Arrays.stream(shape).boxed().toList());
        h.put("tau", tau);
        h.put("energy", energyOn);
        return h;
    }

    /** The per-sample shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of neurons per sample. */
    public long size() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    public Lagrangian lagrangian() {
        return lagrangian;
    }

    public double tau() {
        return tau;
    }

    public boolean energyOn() {
        return energyOn;
    }

    public boolean hasBias() {
        return parameters().containsKey("bias");
    }

    /** A copy with another Lagrangian (e.g. with new parameter values). */
    public NeuronLayer withLagrangian(Lagrangian l) {
        NeuronLayer copy = withParameters(Map.of());
        copy.lagrangian = l;
        return copy;
    }

    @Override
    public <C extends Component> C castTo(DataType dtype) {
        NeuronLayer copy = super.castTo(dtype);
        copy.lagrangian = lagrangian.castTo(dtype);
        @SuppressWarnings("unchecked")
        C c = (C) copy;
        return c;
    }

    /** {@code g = dL/dx}. */
    public <T> T activation(Ops<T> o, T x) {
        return lagrangian.activation(o, x);
    }

    /** {@code E = <x, g> - L(x) - <b, g>} per sample ({@code [B]}); the first term only if the energy is on. */
    public <T> T energy(Ops<T> o, T x, T g) {
        T e = energyOn ? lagrangian.energy(o, x, g) : null;
        if (hasBias()) {
            T eb = o.neg(o.dotPerSample(o.param(this, "bias"), g));
            e = e == null ? eb : o.add(e, eb);
        }
        return e != null ? e : o.mul(o.sumPerSample(x), 0.0);
    }

    /** {@code dE/dg = x - b} (without {@code x} when the energy is off); null when it is zero. */
    public <T> T gradient(Ops<T> o, T x) {
        T grad = energyOn ? x : null;
        if (hasBias()) {
            T b = o.param(this, "bias");
            grad = grad == null ? o.sub(o.mul(x, 0.0), b) : o.sub(grad, b);
        }
        return grad;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && lagrangian.equals(((NeuronLayer) o).lagrangian);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + lagrangian.hashCode();
    }

    @Override
    public String toString() {
        return "Layer(shape=" + Arrays.toString(shape) + ", " + lagrangian + ", tau=" + tau
                + (energyOn ? "" : ", energy=off") + (hasBias() ? ", bias" : "") + ")";
    }
}
