package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Param;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * {@code L(x) = scale / beta * sum softplus(beta x)} (exact softplus; {@code L(0) = scale log 2 / beta}
 * per element); activation {@code g = scale * sigmoid(beta x)}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class SigmoidLagrangian extends Lagrangian {

    /** The inverse temperature, learnable. */
    public static final Param BETA = Param.scalar("beta", 1.0, "the inverse temperature, positive (learnable)");
    /** The height of the sigmoid, learnable. */
    public static final Param SCALE = Param.scalar("scale", 1.0, "the height of the sigmoid, positive (learnable)");
    /** The JSON type. */
    public static final ComponentType<SigmoidLagrangian> TYPE = ComponentType.<SigmoidLagrangian>lagrangian("sigmoid",
            "L = scale/beta sum softplus(beta x); g = scale sigmoid(beta x)").params(BETA, SCALE)
            .build(s -> new SigmoidLagrangian(s.number(BETA), s.number(SCALE)));

    /**
     * @param beta  inverse temperature, positive
     * @param scale height of the sigmoid, positive
     */
    public SigmoidLagrangian(double beta, double scale) {
        declare(BETA, scalar(Checks.positive("sigmoid", "beta", beta)));
        declare(SCALE, scalar(Checks.positive("sigmoid", "scale", scale)));
    }

    public SigmoidLagrangian(double beta) {
        this(beta, SCALE.defaultValue());
    }

    public SigmoidLagrangian() {
        this(BETA.defaultValue(), SCALE.defaultValue());
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, BETA);
        T sum = o.sumPerSample(o.softplus(o.mul(x, beta)));
        return o.mul(o.div(sum, beta), o.param(this, SCALE));
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.mul(o.sigmoid(o.mul(x, o.param(this, BETA))), o.param(this, SCALE));
    }
}
