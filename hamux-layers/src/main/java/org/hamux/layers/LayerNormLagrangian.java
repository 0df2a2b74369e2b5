package org.hamux.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer norm, per row of the last axis (per token; never pooled over the batch or over tokens):
 * {@code L(x) = sum_rows D gamma sqrt(var(x) + eps) + sum delta x} with {@code var = mean((x - mean)^2)}
 * over the last axis of size {@code D}; activation {@code g = gamma (x - mean) / sqrt(var + eps) + delta}.
 * JSON type {@code "layernorm"}, keys {@code "gamma"} (learnable scalar, positive, default 1),
 * {@code "delta"} (learnable; a number, default 0, or a vector of length {@code D} under
 * {@code "params": {"delta": ...}}) and {@code "eps"} (positive, default 1e-5).
 */
public final class LayerNormLagrangian extends Lagrangian {

    public static final double DEFAULT_GAMMA = 1.0;
    public static final double DEFAULT_DELTA = 0.0;
    public static final double DEFAULT_EPS = 1e-5;

    private final double eps;

    /**
     * @param gamma scale, positive
     * @param delta shift: a rank-0 array or a vector of the last axis
     * @param eps   added to the variance, positive
     */
    public LayerNormLagrangian(double gamma, INDArray delta, double eps) {
        declare("gamma", scalar(Checks.positive(type(), "gamma", gamma)));
        declare("delta", Checks.delta(type(), delta));
        this.eps = Checks.positive(type(), "eps", eps);
    }

    public LayerNormLagrangian(double gamma, double delta, double eps) {
        this(gamma, scalar(Checks.finite("layernorm", "delta", delta)), eps);
    }

    public LayerNormLagrangian(double gamma, double delta) {
        this(gamma, delta, DEFAULT_EPS);
    }

    public LayerNormLagrangian() {
        this(DEFAULT_GAMMA, DEFAULT_DELTA, DEFAULT_EPS);
    }

    @Override
    public String type() {
        return "layernorm";
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
        T sd = o.standardDeviation(x, eps);                               // sqrt(var + eps) per row
        T norm = o.mul(o.mul(o.sumPerSample(sd), o.param(this, "gamma")), (double) s[s.length - 1]);
        T delta = o.param(this, "delta");
        // sum delta x: a number delta goes on the sums (no pass over x times delta), a vector on x
        T shift = o.shape(delta).length == 0 ? o.mul(o.sumPerSample(x), delta) : o.sumPerSample(o.mul(x, delta));
        return o.add(norm, shift);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        long[] s = o.shape(x);
        check(Checks.perSample(s));
        return o.add(o.mul(o.standardize(x, eps), o.param(this, "gamma")), o.param(this, "delta"));
    }
}
