package org.hamux.core.autodiff;

import java.util.ArrayList;
import java.util.List;
import org.hamux.core.HamuxException;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code dE_s/dg_i} of a synapse that states only its energy, by the reverse-mode engine: on a {@link Tape} the gradient
 * is recorded (so training differentiates it again), on arrays it is computed on a tape of its own. Each slot is a value
 * of its own, so that a layer filling two slots gets one partial derivative per slot.
 */
public final class EnergyGradient {

    private EnergyGradient() {
    }

    /** {@code dE_s/dg_i} for every slot {@code i} of {@code s}, each shaped like {@code g_i}. */
    @SuppressWarnings("unchecked")
    public static <T> List<T> of(Hypersynapse s, Ops<T> o, List<T> g) {
        if (o instanceof Tape t) {
            return (List<T>) recorded(s, t, (List<Var>) g);
        }
        if (!g.isEmpty() && g.get(0) instanceof INDArray) {
            return (List<T>) Tape.apply((List<INDArray>) g, (t, in) -> recorded(s, t, in));
        }
        throw new HamuxException(s + " states only its energy; its gradient comes from the engine (the Tape or arrays), "
                + "which " + o.getClass().getSimpleName() + " is not: give it a closed-form gradient written with Ops");
    }

    private static List<Var> recorded(Hypersynapse s, Tape t, List<Var> g) {
        List<Var> slots = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            slots.add(t.slot(g.get(i), i));
        }
        return t.gradients(s.energy(t, slots), slots);
    }
}
