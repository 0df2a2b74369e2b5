package org.hamux.core;

import org.hamux.core.ops.Ops;

/**
 * A neuron layer's convex Lagrangian {@code L(x)}. Its gradient is the layer's activation
 * {@code g = dL/dx}, and the layer's energy is the Legendre transform {@code E = <x, g> - L(x)},
 * so that {@code dE/dg = x}.
 *
 * <p>Arrays are {@code [batch, ...shape]}; {@link #value} gives one number per sample.
 */
public abstract class Lagrangian extends Component {

    /** {@code L(x)}: {@code [B, ...] -> [B]}. */
    public abstract <T> T value(Ops<T> o, T x);

    /** The closed-form activation {@code g = dL/dx}, shaped like {@code x}. */
    public abstract <T> T activation(Ops<T> o, T x);

    /** The layer energy {@code E = <x, g> - L(x)}: {@code [B]}. */
    public final <T> T energy(Ops<T> o, T x, T g) {
        return o.sub(o.dotPerSample(x, g), value(o, x));
    }

    /**
     * Whether the layer's neurons are binary, {@code +-1}: the ones the discrete updates of {@link Dynamics} flip
     * ({@code "update": "async"} or {@code "sync"}). Their own energy is 0 at every such state.
     */
    public boolean binary() {
        return false;
    }

    /**
     * Checks that this Lagrangian can act on a layer of per-sample shape {@code shape} (e.g. an axis
     * in range, a parameter vector of the right length); throws {@link IllegalArgumentException} with
     * the reason.
     */
    public void check(long[] shape) {
    }
}
