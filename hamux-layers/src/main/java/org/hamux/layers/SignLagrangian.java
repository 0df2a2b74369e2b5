package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * Binary neurons {@code sigma in {-1, +1}}: {@code L(x) = sum |x|}, convex, with activation {@code g = sgn(x)}
 * ({@code sgn(0) = +1}). At a state of {@code +-1} the layer's own energy {@code <x, g> - L(x)} is 0, so the energy is
 * the synapses' alone, as in the binary Hopfield network and the binary Dense Associative Memory. The discrete updates
 * of {@link org.hamux.core.Dynamics} ({@code "update": "async"} or {@code "sync"}) flip these neurons one at a time or
 * all at once; the Euler steps treat it as the {@code beta -> infinity} limit of {@code tanh}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class SignLagrangian extends Lagrangian {

    /** The JSON type. */
    public static final ComponentType<SignLagrangian> TYPE = ComponentType.<SignLagrangian>lagrangian("sign",
            "binary neurons: L = sum |x|; g = sgn(x) in {-1, +1}")
            .build(s -> new SignLagrangian());

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public boolean binary() {
        return true;
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        return o.sumPerSample(o.abs(x));
    }

    /** {@code sgn(x) = 1 - 2 [x < 0]}. */
    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.add(o.mul(o.step(o.neg(x)), -2.0), 1.0);
    }
}
