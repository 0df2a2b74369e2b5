package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/**
 * {@code L(x) = sum log cosh(beta x) / beta}; activation {@code g = tanh(beta x)}. Computed exactly
 * as {@code log cosh z = |z| + softplus(-2|z|) - log 2}, finite for any finite {@code x}. JSON type
 * {@code "tanh"}, key {@code "beta"} (learnable, positive, default 1).
 */
public final class TanhLagrangian extends Lagrangian {

    public static final double DEFAULT_BETA = 1.0;

    private static final double LOG2 = Math.log(2.0);

    /** @param beta inverse temperature, positive */
    public TanhLagrangian(double beta) {
        declare("beta", scalar(Checks.positive("tanh", "beta", beta)));
    }

    public TanhLagrangian() {
        this(DEFAULT_BETA);
    }

    @Override
    public String type() {
        return "tanh";
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, "beta");
        T a = o.abs(o.mul(x, beta));
        T logCosh = o.add(o.add(a, o.softplus(o.mul(a, -2.0))), -LOG2);
        return o.div(o.sumPerSample(logCosh), beta);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.tanh(o.mul(x, o.param(this, "beta")));
    }
}
