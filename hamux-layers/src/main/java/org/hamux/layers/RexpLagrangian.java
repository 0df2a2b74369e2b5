package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/**
 * Rectified exponential, as in the JAX HAMUX ({@code lagr_rexp}):
 * {@code L(x) = sum (e^(beta relu(x)) / beta - relu(x))}; activation {@code g = e^(beta relu(x)) - 1}
 * (zero for {@code x <= 0}, continuous at 0; the constant {@code L = 1/beta} per element below 0 is kept).
 * JSON type {@code "rexp"}, key {@code "beta"} (learnable, positive, default 1).
 */
public final class RexpLagrangian extends Lagrangian {

    public static final double DEFAULT_BETA = 1.0;

    /** @param beta inverse temperature, positive */
    public RexpLagrangian(double beta) {
        declare("beta", scalar(Checks.positive("rexp", "beta", beta)));
    }

    public RexpLagrangian() {
        this(DEFAULT_BETA);
    }

    @Override
    public String type() {
        return "rexp";
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        T beta = o.param(this, "beta");
        T r = o.relu(x);
        return o.sumPerSample(o.sub(o.div(o.exp(o.mul(r, beta)), beta), r));
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.add(o.exp(o.mul(o.relu(x), o.param(this, "beta"))), -1.0);
    }
}
