package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/**
 * {@code L(x) = scale / beta * sum softplus(beta x)} (exact softplus; {@code L(0) = scale log 2 / beta}
 * per element); activation {@code g = scale * sigmoid(beta x)}. JSON type {@code "sigmoid"}, keys
 * {@code "beta"} and {@code "scale"} (both learnable, positive, default 1).
 */
public final class SigmoidLagrangian extends Lagrangian {

    public static final double DEFAULT_BETA = 1.0;
    public static final double DEFAULT_SCALE = 1.0;

    /**
     * @param beta  inverse temperature, positive
     * @param scale height of the sigmoid, positive
     */
    public SigmoidLagrangian(double beta, double scale) {
        declare("beta", scalar(Checks.positive("sigmoid", "beta", beta)));
        declare("scale", scalar(Checks.positive("sigmoid", "scale", scale)));
    }

    public SigmoidLagrangian(double beta) {
        this(beta, DEFAULT_SCALE);
    }

    public SigmoidLagrangian() {
        this(DEFAULT_BETA, DEFAULT_SCALE);
    }

    @Override
    public String type() {
        return "sigmoid";
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, "beta");
        T sum = o.sumPerSample(o.softplus(o.mul(x, beta)));
        return o.mul(o.div(sum, beta), o.param(this, "scale"));
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.mul(o.sigmoid(o.mul(x, o.param(this, "beta"))), o.param(this, "scale"));
    }
}
