package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * {@code L(x) = sum relu(x)^2 / 2}; activation {@code g = relu(x)}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class ReluLagrangian extends Lagrangian {

    /** The JSON type. */
    public static final ComponentType<ReluLagrangian> TYPE = ComponentType.<ReluLagrangian>lagrangian("relu",
            "L = sum relu(x)^2 / 2; g = relu(x)")
            .build(s -> new ReluLagrangian());

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T r = o.relu(x);
        return o.mul(o.dotPerSample(r, r), 0.5);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.relu(x);
    }
}
