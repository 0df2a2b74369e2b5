package org.hamux.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spherical norm, per row of the last axis (no mean subtracted):
 * {@code L(x) = sum_rows gamma sqrt(|x|^2 + eps) + sum delta x}; activation
 * {@code g = gamma x / sqrt(|x|^2 + eps) + delta}. JSON type {@code "spherical"}, keys {@code "gamma"}
 * (learnable scalar, positive, default 1), {@code "delta"} (learnable; a number, default 0, or a vector
 * of the last axis under {@code "params": {"delta": ...}}) and {@code "eps"} (positive, default 1e-5).
 */
public final class SphericalLagrangian extends Lagrangian {

    public static final double DEFAULT_GAMMA = 1.0;
    public static final double DEFAULT_DELTA = 0.0;
    public static final double DEFAULT_EPS = 1e-5;

    private final double eps;

    /**
     * @param gamma scale, positive
     * @param delta shift: a rank-0 array or a vector of the last axis
     * @param eps   added to {@code |x|^2}, positive
     */
    public SphericalLagrangian(double gamma, INDArray delta, double eps) {
        declare("gamma", scalar(Checks.positive(type(), "gamma", gamma)));
        declare("delta", Checks.delta(type(), delta));
        this.eps = Checks.positive(type(), "eps", eps);
    }

    public SphericalLagrangian(double gamma, double delta, double eps) {
        this(gamma, scalar(Checks.finite("spherical", "delta", delta)), eps);
    }

    public SphericalLagrangian(double gamma, double delta) {
        this(gamma, delta, DEFAULT_EPS);
    }

    public SphericalLagrangian() {
        this(DEFAULT_GAMMA, DEFAULT_DELTA, DEFAULT_EPS);
    }

    @Override
    public String type() {
        return "spherical";
    }

    public double eps() {
        return eps;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("eps", eps);
        return h;
    }

    @Override
    public void check(long[] shape) {
        Checks.deltaFits(type(), parameter("delta"), shape);
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        long[] s = o.shape(x);
        check(Checks.perSample(s));
        T norm = o.sqrt(o.add(o.sum(o.square(x), true, s.length - 1), eps));
        return o.add(o.mul(o.sumPerSample(norm), o.param(this, "gamma")),
                o.sumPerSample(o.mul(x, o.param(this, "delta"))));
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        long[] s = o.shape(x);
        check(Checks.perSample(s));
        T norm = o.sqrt(o.add(o.sum(o.square(x), true, s.length - 1), eps));
        return o.add(o.mul(o.div(x, norm), o.param(this, "gamma")), o.param(this, "delta"));
    }
}
