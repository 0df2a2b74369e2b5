package org.hamux.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/**
 * Softmax with an implicit extra zero logit: {@code L(x) = log(1 + sum e^x)} over {@code axis},
 * summed over the other per-sample axes; activation {@code g = e^x / (1 + sum e^x)}. Computed
 * max-shifted with {@code m = max(0, max x)}. JSON type {@code "ghostmax"}, key {@code "axis"} (of the
 * per-sample shape, negative from the end; default -1).
 */
public final class GhostmaxLagrangian extends Lagrangian {

    public static final int DEFAULT_AXIS = -1;

    private final int axis;

    /** @param axis per-sample axis the ghostmax runs over */
    public GhostmaxLagrangian(int axis) {
        this.axis = axis;
    }

    public GhostmaxLagrangian() {
        this(DEFAULT_AXIS);
    }

    @Override
    public String type() {
        return "ghostmax";
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
