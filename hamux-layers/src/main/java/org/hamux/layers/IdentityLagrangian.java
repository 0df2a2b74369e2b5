package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * {@code L(x) = |x|^2 / 2}; activation {@code g = x}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class IdentityLagrangian extends Lagrangian {

    /** The JSON type. */
    public static final ComponentType<IdentityLagrangian> TYPE = ComponentType.<IdentityLagrangian>lagrangian("identity",
            "L = |x|^2 / 2; g = x")
            .build(s -> new IdentityLagrangian());

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        return o.mul(o.dotPerSample(x, x), 0.5);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return x;
    }
}
