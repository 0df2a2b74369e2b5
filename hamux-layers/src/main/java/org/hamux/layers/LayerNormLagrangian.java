package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer norm, per row of the last axis (per token; never pooled over the batch or over tokens):
 * {@code L(x) = sum_rows D gamma sqrt(var(x) + eps) + sum delta x} with {@code var = mean((x - mean)^2)}
 * over the last axis of size {@code D}; activation {@code g = gamma (x - mean) / sqrt(var + eps) + delta}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class LayerNormLagrangian extends Lagrangian {

    /** The scale, learnable. */
    public static final Param GAMMA = Param.scalar("gamma", 1.0, "the scale, positive (learnable)");
    /** The shift, learnable: a number or a vector of the last axis. */
    public static final Param DELTA = Param.scalarOrArray("delta", 0.0, "the shift: a number, or a vector of the last axis under params (learnable)");
    /** Added to the variance. */
    public static final Setting<Double> EPS = Setting.number("eps", 1e-5, "added to the variance, positive");
    /** The JSON type. */
    public static final ComponentType<LayerNormLagrangian> TYPE = ComponentType.<LayerNormLagrangian>lagrangian("layernorm",
            "L = sum_rows D gamma sqrt(var(x) + eps) + sum delta x; g = gamma (x - mean)/sqrt(var + eps) + delta").params(GAMMA, DELTA).settings(EPS)
            .build(s -> new LayerNormLagrangian(s.number(GAMMA), s.scalarOrArray(DELTA, null), s.get(EPS)));

    private final double eps;

    /**
     * @param gamma scale, positive
     * @param delta shift: a rank-0 array or a vector of the last axis
     * @param eps   added to the variance, positive
     */
    public LayerNormLagrangian(double gamma, INDArray delta, double eps) {
        declare(GAMMA, scalar(Checks.positive(type(), "gamma", gamma)));
        declare(DELTA, Checks.delta(type(), delta));
        this.eps = set(EPS, Checks.positive(type(), "eps", eps));
    }

    public LayerNormLagrangian(double gamma, double delta, double eps) {
        this(gamma, scalar(Checks.finite("layernorm", "delta", delta)), eps);
    }

    public LayerNormLagrangian(double gamma, double delta) {
        this(gamma, delta, EPS.defaultValue());
    }

    public LayerNormLagrangian() {
        this(GAMMA.defaultValue(), DELTA.defaultValue(), EPS.defaultValue());
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    public double eps() {
        return eps;
    }

    @Override
    public void check(long[] shape) {
        Checks.deltaFits(type(), parameter(DELTA), shape);
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        long[] s = o.shape(x);
        check(Checks.perSample(s));
        T sd = o.standardDeviation(x, eps);                               // sqrt(var + eps) per row
        T norm = o.mul(o.mul(o.sumPerSample(sd), o.param(this, GAMMA)), (double) s[s.length - 1]);
        T delta = o.param(this, DELTA);
        // sum delta x: a number delta goes on the sums (no pass over x times delta), a vector on x
        T shift = o.shape(delta).length == 0 ? o.mul(o.sumPerSample(x), delta) : o.sumPerSample(o.mul(x, delta));
        return o.add(norm, shift);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        long[] s = o.shape(x);
        check(Checks.perSample(s));
        return o.add(o.mul(o.standardize(x, eps), o.param(this, GAMMA)), o.param(this, DELTA));
    }
}
