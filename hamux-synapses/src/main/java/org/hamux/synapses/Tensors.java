package org.hamux.synapses;

import java.util.Arrays;
import org.hamux.core.ops.Ops;

/**
 * Reshapes and row reductions shared by the synapses.
 *
 * <p>In ND4J 1.0.0-M2.1 a SameDiff reduction whose reduced axes all have size 1 fails with a
 * NullPointerException ({@code BaseReduceOp.noOp}); so does {@code Ops.logSumExp(a, false, axis)}, which
 * sums its kept axis away. The reductions here reshape instead of reducing a size-1 axis.
 */
final class Tensors {

    private Tensors() {
    }

    /** {@code [B, ...] -> [B * ... / cols, cols]}, row-major; no op when {@code a} already has that shape. */
    static <T> T rows(Ops<T> o, T a, long cols) {
        long[] s = o.shape(a);
        if (s.length == 2 && s[1] == cols) {
            return a;
        }
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        return o.reshape(a, n / cols, cols);
    }

    /** {@code a} reshaped to {@code shape}; no op when it already has it. */
    static <T> T shaped(Ops<T> o, T a, long[] shape) {
        return Arrays.equals(o.shape(a), shape) ? a : o.reshape(a, shape);
    }

    /** {@code [M, N] -> [M]}: the sum of every row. */
    static <T> T sumRows(Ops<T> o, T a) {
        long[] s = o.shape(a);
        return s[1] == 1 ? o.reshape(a, s[0]) : o.sum(a, false, 1);
    }

    /** {@code [M, N] -> [M]}: the max-shifted log-sum-exp of every row. */
    static <T> T logSumExpRows(Ops<T> o, T a) {
        long[] s = o.shape(a);
        return o.reshape(s[1] == 1 ? a : o.logSumExp(a, true, 1), s[0]);
    }

    /** {@code [M, N] -> [M, N]}: the softmax of every row. */
    static <T> T softmaxRows(Ops<T> o, T a) {
        return o.shape(a)[1] == 1 ? o.full(a, 1.0) : o.softmax(a, 1);
    }

    /** {@code [M, N] -> [M, 1]}: the sum of every row, kept as a column. */
    static <T> T sumRowsKeep(Ops<T> o, T a) {
        long[] s = o.shape(a);
        return s[1] == 1 ? a : o.sum(a, true, 1);
    }

    /** {@code [M, N] -> [M, 1]}: the max of every row, kept as a column. */
    static <T> T maxRowsKeep(Ops<T> o, T a) {
        long[] s = o.shape(a);
        return s[1] == 1 ? a : o.max(a, true, 1);
    }

    /** {@code 1/z} where {@code z > 0}, else 0 (never NaN): {@code step(z) / (z step(z) + 1 - step(z))}. */
    static <T> T safeInverse(Ops<T> o, T z) {
        T ok = o.step(z);
        return o.div(ok, o.add(o.sub(o.mul(z, ok), ok), 1.0));
    }
}
