package org.hamux.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/**
 * {@code L(x) = logsumexp(beta x, axis) / beta}, summed over the other per-sample axes; activation
 * {@code g = softmax(beta x, axis)}. The log-sum-exp is max-shifted. JSON type {@code "softmax"}, keys
 * {@code "beta"} (learnable, positive, default 1) and {@code "axis"} (of the per-sample shape: 0 is the
 * first axis after the batch, negative counts from the end; default -1).
 */
public final class SoftmaxLagrangian extends Lagrangian {

    public static final double DEFAULT_BETA = 1.0;
    public static final int DEFAULT_AXIS = -1;

    private final int axis;

    /**
     * @param beta inverse temperature, positive
     * @param axis per-sample axis the softmax runs over
     */
    public SoftmaxLagrangian(double beta, int axis) {
        declare("beta", scalar(Checks.positive("softmax", "beta", beta)));
        this.axis = axis;
    }

    /** Softmax over the last axis. */
    public SoftmaxLagrangian(double beta) {
        this(beta, DEFAULT_AXIS);
    }

    public SoftmaxLagrangian() {
        this(DEFAULT_BETA, DEFAULT_AXIS);
    }

    @Override
    public String type() {
        return "softmax";
    }

    /** The per-sample axis. */
    public int axis() {
        return axis;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("axis", axis);
        return h;
    }

    @Override
    public void check(long[] shape) {
        Checks.axis(type(), axis, shape);
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, "beta");
        int ax = Checks.fullAxis(type(), axis, o.shape(x).length);
        return o.div(o.sumPerSample(o.logSumExp(o.mul(x, beta), false, ax)), beta);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        int ax = Checks.fullAxis(type(), axis, o.shape(x).length);
        return o.softmax(o.mul(x, o.param(this, "beta")), ax);
    }
}
