package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * {@code L(x) = sum e^(beta x) / beta}; activation {@code g = e^(beta x)}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class ExpLagrangian extends Lagrangian {

    /** The inverse temperature, learnable. */
    public static final Param BETA = Param.scalar("beta", 1.0, "the inverse temperature, positive (learnable)");
    /** The JSON type. */
    public static final ComponentType<ExpLagrangian> TYPE = ComponentType.<ExpLagrangian>lagrangian("exp",
            "L = sum e^(beta x) / beta; g = e^(beta x)").params(BETA)
            .build(s -> new ExpLagrangian(s.number(BETA)));

    /** @param beta inverse temperature, positive */
    public ExpLagrangian(double beta) {
        declare(BETA, scalar(Checks.positive("exp", "beta", beta)));
    }

    public ExpLagrangian() {
        this(BETA.defaultValue());
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, BETA);
        return o.div(o.sumPerSample(o.exp(o.mul(x, beta))), beta);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.exp(o.mul(x, o.param(this, BETA)));
    }
}
