package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/** {@code L(x) = |x|^2 / 2}; activation {@code g = x}. JSON type {@code "identity"}. */
public final class IdentityLagrangian extends Lagrangian {

    @Override
    public String type() {
        return "identity";
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
