package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * Rectified exponential, as in the JAX HAMUX ({@code lagr_rexp}):
 * {@code L(x) = sum (e^(beta relu(x)) / beta - relu(x))}; activation {@code g = e^(beta relu(x)) - 1}
 * (zero for {@code x <= 0}, continuous at 0; the constant {@code L = 1/beta} per element below 0 is kept).
 * Settings and parameters: {@link #TYPE}.
 */
public final class RexpLagrangian extends Lagrangian {

    /** The inverse temperature, learnable. */
    public static final Param BETA = Param.scalar("beta", 1.0, "the inverse temperature, positive (learnable)");
    /** The JSON type. */
    public static final ComponentType<RexpLagrangian> TYPE = ComponentType.<RexpLagrangian>lagrangian("rexp",
            "L = sum (e^(beta relu(x)) / beta - relu(x)); g = e^(beta relu(x)) - 1").params(BETA)
            .build(s -> new RexpLagrangian(s.number(BETA)));

    /** @param beta inverse temperature, positive */
    public RexpLagrangian(double beta) {
        declare(BETA, scalar(Checks.positive("rexp", "beta", beta)));
    }

    public RexpLagrangian() {
        this(BETA.defaultValue());
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, BETA);
        T r = o.relu(x);
        return o.sumPerSample(o.sub(o.div(o.exp(o.mul(r, beta)), beta), r));
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.add(o.exp(o.mul(o.relu(x), o.param(this, BETA))), -1.0);
    }
}
