package org.hamux.core;

import java.util.List;
import org.hamux.core.ops.Ops;

/**
 * A hyperedge of the energy graph: a scalar energy {@code E_s(g_1, ..., g_n)} of the activations of
 * the layers it connects. The layers feel the current {@code I_i = -dE_s/dg_i}.
 *
 * <p>The list {@code g} holds one activation {@code [batch, ...shape_i]} per connected slot, in the
 * order of the connection; a layer may fill several slots.
 */
public abstract class Hypersynapse extends Component {

    /** How many layers this synapse connects, or {@code -1} for any number from one up. */
    public abstract int arity();

    /**
     * Checks the parameters against the per-sample shapes of the connected layers and throws
     * {@link IllegalArgumentException} naming the parameter, the expected and the actual shape.
     */
    public abstract void check(List<long[]> layerShapes);

    /** {@code E_s}: one number per sample, {@code [B]}. */
    public abstract <T> T energy(Ops<T> o, List<T> g);

    /** The closed-form gradient {@code dE_s/dg_i} for every slot {@code i}, each shaped like {@code g_i}. */
    public abstract <T> List<T> gradient(Ops<T> o, List<T> g);

    /**
     * Whether {@link #gradient} is written with {@link Ops} (and can be unrolled for training). A synapse
     * that only states its energy and gets its gradient from autodiff says false.
     */
    public boolean hasClosedFormGradient() {
        return true;
    }
}
