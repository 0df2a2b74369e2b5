package org.hamux.train;

import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Constant arrays (masks) as tensors of any backend. */
final class Masks {

    private Masks() {
    }

    /**
     * {@code a} (a layer's per-sample shape, or {@code [B, ...]}) as a constant in the data type of {@code likeT}
     * ({@code [B, ...]}) that broadcasts against it.
     */
    static <T> T constant(Ops<T> o, INDArray a, T likeT) {
        long[] like = o.shape(likeT);
        return o.constant(likeT, a.rank() == like.length ? a : a.reshape('c', prepend(a.shape())));
    }

    private static long[] prepend(long[] s) {
        long[] out = new long[s.length + 1];
        out[0] = 1;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }
}
