package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Setting;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * Softmax with an implicit extra zero logit: {@code L(x) = log(1 + sum e^x)} over {@code axis},
 * summed over the other per-sample axes; activation {@code g = e^x / (1 + sum e^x)}. Computed
 * max-shifted with {@code m = max(0, max x)}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class GhostmaxLagrangian extends Lagrangian {

    /** The per-sample axis. */
    public static final Setting<Integer> AXIS = Setting.integer("axis", -1, "the per-sample axis it runs over (0: the first after the batch; negative: from the end)");
    /** The JSON type. */
    public static final ComponentType<GhostmaxLagrangian> TYPE = ComponentType.<GhostmaxLagrangian>lagrangian("ghostmax",
            "L = log(1 + sum e^x) over axis; g = e^x / (1 + sum e^x)").settings(AXIS)
            .build(s -> new GhostmaxLagrangian(s.get(AXIS)));

    private final int axis;

    /** @param axis per-sample axis the ghostmax runs over */
    public GhostmaxLagrangian(int axis) {
        this.axis = set(AXIS, axis);
    }

    public GhostmaxLagrangian() {
        this(AXIS.defaultValue());
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
        int ax = Checks.fullAxis(type(), axis, o.shape(x).length);
        T m = o.relu(o.max(x, true, ax));
        return o.sumPerSample(o.add(m, o.log(shiftedSum(o, x, m, ax))));
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        int ax = Checks.fullAxis(type(), axis, o.shape(x).length);
        T m = o.relu(o.max(x, true, ax));
        return o.div(o.expOfDifference(x, m), shiftedSum(o, x, m, ax));
    }

    /** {@code e^-m + sum e^(x - m)} over {@code ax}, kept as a size-1 axis. */
    private static <T> T shiftedSum(Ops<T> o, T x, T m, int ax) {
        return o.add(o.sum(o.expOfDifference(x, m), true, ax), o.exp(o.neg(m)));
    }
}
