package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spherical norm, per row of the last axis (no mean subtracted):
 * {@code L(x) = sum_rows gamma sqrt(|x|^2 + eps) + sum delta x}; activation
 * {@code g = gamma x / sqrt(|x|^2 + eps) + delta}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class SphericalLagrangian extends Lagrangian {

    /** The scale, learnable. */
    public static final Param GAMMA = Param.scalar("gamma", 1.0, "the scale, positive (learnable)");
    /** The shift, learnable: a number or a vector of the last axis. */
    public static final Param DELTA = Param.scalarOrArray("delta", 0.0, "the shift: a number, or a vector of the last axis under params (learnable)");
    /** Added to the squared norm. */
    public static final Setting<Double> EPS = Setting.number("eps", 1e-5, "added to the squared norm, positive");
    /** The JSON type. */
    public static final ComponentType<SphericalLagrangian> TYPE = ComponentType.<SphericalLagrangian>lagrangian("spherical",
            "L = sum_rows gamma sqrt(|x|^2 + eps) + sum delta x; g = gamma x/sqrt(|x|^2 + eps) + delta").params(GAMMA, DELTA).settings(EPS)
            .build(s -> new SphericalLagrangian(s.number(GAMMA), s.scalarOrArray(DELTA, null), s.get(EPS)));

    private final double eps;

    /**
     * @param gamma scale, positive
     * @param delta shift: a rank-0 array or a vector of the last axis
     * @param eps   added to {@code |x|^2}, positive
     */
    public SphericalLagrangian(double gamma, INDArray delta, double eps) {
        declare(GAMMA, scalar(Checks.positive(type(), "gamma", gamma)));
        declare(DELTA, Checks.delta(type(), delta));
        this.eps = set(EPS, Checks.positive(type(), "eps", eps));
    }

    public SphericalLagrangian(double gamma, double delta, double eps) {
        this(gamma, scalar(Checks.finite("spherical", "delta", delta)), eps);
    }

    public SphericalLagrangian(double gamma, double delta) {
        this(gamma, delta, EPS.defaultValue());
    }

    public SphericalLagrangian() {
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
        T norm = o.sqrt(o.add(o.sum(o.square(x), true, s.length - 1), eps));
        return o.add(o.mul(o.sumPerSample(norm), o.param(this, GAMMA)),
                o.sumPerSample(o.mul(x, o.param(this, DELTA))));
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        long[] s = o.shape(x);
        check(Checks.perSample(s));
        T norm = o.sqrt(o.add(o.sum(o.square(x), true, s.length - 1), eps));
        return o.add(o.mul(o.div(x, norm), o.param(this, GAMMA)), o.param(this, DELTA));
    }
}
