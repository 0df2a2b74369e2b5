package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * {@code L(x) = sum log cosh(beta x) / beta}; activation {@code g = tanh(beta x)}. Computed exactly
 * as {@code log cosh z = |z| + softplus(-2|z|) - log 2}, finite for any finite {@code x}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class TanhLagrangian extends Lagrangian {

    /** The inverse temperature, learnable. */
    public static final Param BETA = Param.scalar("beta", 1.0, "the inverse temperature, positive (learnable)");
    /** The JSON type. */
    public static final ComponentType<TanhLagrangian> TYPE = ComponentType.<TanhLagrangian>lagrangian("tanh",
            "L = sum log cosh(beta x) / beta; g = tanh(beta x)").params(BETA)
            .build(s -> new TanhLagrangian(s.number(BETA)));

    private static final double LOG2 = Math.log(2.0);

    /** @param beta inverse temperature, positive */
    public TanhLagrangian(double beta) {
        declare(BETA, scalar(Checks.positive("tanh", "beta", beta)));
    }

    public TanhLagrangian() {
        this(BETA.defaultValue());
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, BETA);
        T a = o.abs(o.mul(x, beta));
        T logCosh = o.add(o.add(a, o.softplus(o.mul(a, -2.0))), -LOG2);
        return o.div(o.sumPerSample(logCosh), beta);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.tanh(o.mul(x, o.param(this, BETA)));
    }
}
