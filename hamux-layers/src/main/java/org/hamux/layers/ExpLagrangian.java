package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/**
 * {@code L(x) = sum e^(beta x) / beta}; activation {@code g = e^(beta x)}. JSON type {@code "exp"},
 * key {@code "beta"} (learnable, positive, default 1).
 */
public final class ExpLagrangian extends Lagrangian {

    public static final double DEFAULT_BETA = 1.0;

    /** @param beta inverse temperature, positive */
    public ExpLagrangian(double beta) {
        declare("beta", scalar(Checks.positive("exp", "beta", beta)));
    }

    public ExpLagrangian() {
        this(DEFAULT_BETA);
    }

    @Override
    public String type() {
        return "exp";
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, "beta");
        return o.div(o.sumPerSample(o.exp(o.mul(x, beta))), beta);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.exp(o.mul(x, o.param(this, "beta")));
    }
}
