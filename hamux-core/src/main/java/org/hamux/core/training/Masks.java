package org.hamux.core.training;

import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Constant arrays (masks) as tensors of either backend. */
final class Masks {

    private Masks() {
    }

    /**
     * {@code a} (a layer's per-sample shape, or {@code [B, ...]}) as a constant in the data type of {@code likeT}
     * ({@code [B, ...]}) that broadcasts against it.
     */
    @SuppressWarnings("unchecked")
    static <T> T constant(Ops<T> o, INDArray a, T likeT) {
        long[] like = o.shape(likeT);
        INDArray m = a.rank() == like.length ? a : a.reshape('c', prepend(a.shape()));
        if (o instanceof GraphOps g) {
            INDArray c = m.castTo(g.dataType());
            return (T) g.of(g.sameDiff().constant(c), c.shape());
        }
        return (T) m.castTo(((INDArray) likeT).dataType());
    }

    private static long[] prepend(long[] s) {
        long[] out = new long[s.length + 1];
        out[0] = 1;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }
}
