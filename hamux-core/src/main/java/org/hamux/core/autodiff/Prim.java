package org.hamux.core.autodiff;

import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A primitive op of the {@link Tape}: how its result is computed from its inputs' arrays, and its
 * vector-Jacobian product, written with the tape's own ops so that the backward pass is recorded too (and can be
 * differentiated again). Primitives are values: two with the same settings are equal, so that the tape can
 * recognise a computation it has already recorded.
 */
interface Prim {

    /** The result of the op on {@code in} (never modified), by {@code e} where it has the op. */
    INDArray eval(Ops<INDArray> e, INDArray[] in);

    /**
     * The vector-Jacobian product: for the cotangent {@code ct} of {@code out} (shaped like it), the cotangent of
     * each input of {@code out} ({@code out.in}), shaped like that input; null where it is zero.
     */
    Var[] vjp(Tape t, Var out, Var ct);
}
