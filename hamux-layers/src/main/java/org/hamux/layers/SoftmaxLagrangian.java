package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * {@code L(x) = logsumexp(beta x, axis) / beta}, summed over the other per-sample axes; activation
 * {@code g = softmax(beta x, axis)}. The log-sum-exp is max-shifted.
 * Settings and parameters: {@link #TYPE}.
 */
public final class SoftmaxLagrangian extends Lagrangian {

    /** The inverse temperature, learnable. */
    public static final Param BETA = Param.scalar("beta", 1.0, "the inverse temperature, positive (learnable)");
    /** The per-sample axis. */
    public static final Setting<Integer> AXIS = Setting.integer("axis", -1, "the per-sample axis it runs over (0: the first after the batch; negative: from the end)");
    /** The JSON type. */
    public static final ComponentType<SoftmaxLagrangian> TYPE = ComponentType.<SoftmaxLagrangian>lagrangian("softmax",
            "L = logsumexp(beta x, axis) / beta; g = softmax(beta x, axis)").params(BETA).settings(AXIS)
            .build(s -> new SoftmaxLagrangian(s.number(BETA), s.get(AXIS)));

    private final int axis;

    /**
     * @param beta inverse temperature, positive
     * @param axis per-sample axis the softmax runs over
     */
    public SoftmaxLagrangian(double beta, int axis) {
        declare(BETA, scalar(Checks.positive("softmax", "beta", beta)));
        this.axis = set(AXIS, axis);
    }

    /** Softmax over the last axis. */
    public SoftmaxLagrangian(double beta) {
        this(beta, AXIS.defaultValue());
    }

    public SoftmaxLagrangian() {
        this(BETA.defaultValue(), AXIS.defaultValue());
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    /** The per-sample axis. */
    public int axis() {
        return axis;
    }

    @Override
    public void check(long[] shape) {
        Checks.axis(type(), axis, shape);
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, BETA);
        int ax = Checks.fullAxis(type(), axis, o.shape(x).length);
        return o.div(o.sumPerSample(o.logSumExp(o.mul(x, beta), false, ax)), beta);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        int ax = Checks.fullAxis(type(), axis, o.shape(x).length);
        return o.softmax(o.mul(x, o.param(this, BETA)), ax);
    }
}
