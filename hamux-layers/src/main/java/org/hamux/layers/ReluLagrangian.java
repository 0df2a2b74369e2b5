package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/**
 * {@code L(x) = sum relu(x)^2 / 2}; activation {@code g = relu(x)}. JSON type {@code "relu"}, no settings.
 */
public final class ReluLagrangian extends Lagrangian {

    @Override
    public String type() {
        return "relu";
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
