package org.hamux.core.ops;

import org.hamux.core.Component;
import org.hamux.core.Param;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tensor operations every component writes its math with, once.
 *
 * <p>Three interpreters run them: {@link EagerOps} evaluates them on {@code INDArray}s (the dynamics, the energy), the
 * reverse-mode engine {@link org.hamux.core.autodiff.Tape} records them, evaluates them on the eager kernels and
 * differentiates them (training through the dynamics, the gradient of an energy-only synapse), and the tests'
 * {@code GraphOps} records them as SameDiff ops (the independent reference the engine is checked against). A component's energy and
 * closed-form gradient are generic methods over {@code T}, so inference and training run the same formula.
 *
 * <p>Binary element-wise ops broadcast NumPy-style. Reductions take axes of the full array (the batch
 * axis is 0) and keep reduced axes with size 1 when {@code keep} is true. No op modifies its arguments; a result
 * may be an argument itself (e.g. {@code a * 1}), so no caller writes into a result either.
 *
 * <p>Two kinds of op: the primitives (abstract: what a new backend must give) and the fused ops (each a
 * {@code default} written with the primitives, e.g. {@link #softmaxWithLogSumExp}, {@link #standardize},
 * {@link #headScores}): a backend overrides one where it has a faster kernel, and an interpreter that does not
 * (the tape, SameDiff) gets the generic form. A new synapse writes its math with the primitives; a fused op is
 * added only where a profile shows the primitives are its bottleneck, always with its generic default.
 *
 * @param <T> the tensor type: {@code INDArray}, {@code Var} or the tests' {@code GraphOps.Sym}
 */
public interface Ops<T> {

    /**
     * The arrays of a new loop whose steps compute the same arrays again ({@link Loop}): a backend that reuses arrays
     * between steps hands out its own; by default a loop that reuses nothing.
     */
    default Loop loop() {
        return Loop.NONE;
    }

    /** The parameter {@code name} of {@code owner}, as a tensor of this backend. */
    T param(Component owner, String name);

    /** Parameter {@code p} of {@code owner}, as a tensor of this backend. */
    default T param(Component owner, Param p) {
        return param(owner, p.name());
    }

    /** A constant filled with {@code value}, shaped like {@code like}, in this backend's data type. */
    T full(T like, double value);

    /** A constant of zeros of {@code shape}, in the data type of {@code like}. */
    default T zeros(T like, long... shape) {
        return constant(like, org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, shape));
    }

    /** The shape of {@code a}, batch axis first. */
    long[] shape(T a);

    T add(T a, T b);

    T sub(T a, T b);

    T mul(T a, T b);

    T div(T a, T b);

    /** {@code a + s}. */
    T add(T a, double s);

    /** {@code a * s}. */
    T mul(T a, double s);

    /** {@code s / a}. */
    T rdiv(T a, double s);

    T neg(T a);

    T exp(T a);

    T log(T a);

    T abs(T a);

    T sqrt(T a);

    T square(T a);

    /** {@code a^p} element-wise; {@code a} must be non-negative unless {@code p} is an integer. */
    T pow(T a, double p);

    T tanh(T a);

    T sigmoid(T a);

    /** {@code max(a, 0)}. */
    T relu(T a);

    /** {@code 1} where {@code a > 0}, else {@code 0}. */
    T step(T a);

    /** Exact softplus {@code log(1 + e^a) = max(a, 0) + log(1 + e^-|a|)}, no linear cut-off. */
    default T softplus(T a) {
        return add(relu(a), log(add(exp(neg(abs(a))), 1.0)));
    }

    T sum(T a, boolean keep, int... axes);

    T max(T a, boolean keep, int... axes);

    default T mean(T a, boolean keep, int... axes) {
        long[] s = shape(a);
        long n = 1;
        for (int ax : axes) {
            n *= s[ax < 0 ? ax + s.length : ax];
        }
        return mul(sum(a, keep, axes), 1.0 / n);
    }

    /**
     * The standard deviation of each row of the last axis, shifted: {@code sqrt(var + eps)} with
     * {@code var = mean((a - mean a)^2)}, as {@code [..., 1]}.
     */
    default T standardDeviation(T a, double eps) {
        int last = shape(a).length - 1;
        T centred = sub(a, mean(a, true, last));
        return sqrt(add(mean(square(centred), true, last), eps));
    }

    /** Each row of the last axis standardised: {@code (a - mean a) / sqrt(var + eps)} ({@link #standardDeviation}). */
    default T standardize(T a, double eps) {
        return div(sub(a, mean(a, true, shape(a).length - 1)), standardDeviation(a, eps));
    }

    /** Max-shifted {@code log sum exp(a)} over {@code axis}: {@code m + log sum exp(a - m)}. */
    default T logSumExp(T a, boolean keep, int axis) {
        T m = max(a, true, axis);
        T lse = add(m, log(sum(expOfDifference(a, m), true, axis)));
        return keep ? lse : sum(lse, false, axis);
    }

    /** {@code exp(a - b)} (broadcasting), e.g. {@code b} the row maxima of max-shifted exponentials. */
    default T expOfDifference(T a, T b) {
        return exp(sub(a, b));
    }

    /** {@code exp(a - lse(a))} over {@code axis}, as {@code u / sum u} with {@code u = exp(a - max a)} (the sum is at least 1). */
    default T softmax(T a, int axis) {
        T u = expOfDifference(a, max(a, true, axis));
        return div(u, sum(u, true, axis));
    }

    /**
     * The soft-max over {@code axis} with its log-sum-exp, kept ({@link Softmax}): what an energy {@code -lse} and its
     * gradient {@code -softmax} both need, {@code p = exp(a - lse)}.
     */
    default Softmax<T> softmaxWithLogSumExp(T a, int axis) {
        T lse = logSumExp(a, true, axis);
        return new Softmax<>(expOfDifference(a, lse), lse);
    }

    /** A soft-max {@code p} over an axis and the log-sum-exp {@code lse} of its logits, that axis kept with size 1. */
    record Softmax<T>(T p, T lse) {
    }

    /** Matrix product of 2-D arrays, {@code op(a) op(b)} with optional transposes. */
    T mmul(T a, T b, boolean transA, boolean transB);

    default T mmul(T a, T b) {
        return mmul(a, b, false, false);
    }

    /**
     * {@code c op(a) op(b)}: a matrix product scaled by a one-element tensor {@code c} (e.g. an inverse
     * temperature), which a backend may fold into the product instead of a pass over the result.
     */
    default T mmul(T a, T b, boolean transA, boolean transB, T c) {
        return mul(mmul(a, b, transA, transB), c);
    }

    /**
     * {@code s op(a) op(b)}: a matrix product times a number (e.g. {@code -1} for a negative gradient), which a
     * backend may fold into the product instead of a pass over the result.
     */
    default T mmul(T a, T b, boolean transA, boolean transB, double s) {
        T p = mmul(a, b, transA, transB);
        return s == 1 ? p : mul(p, s);
    }

    T reshape(T a, long... shape);

    T permute(T a, int... axes);

    /** Sums every axis but the batch axis: {@code [B, ...] -> [B]}. */
    default T sumPerSample(T a) {
        long[] s = shape(a);
        if (s.length == 1) {
            return a;
        }
        int[] axes = new int[s.length - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return sum(a, false, axes);
    }

    /**
     * {@code sum over non-batch axes of a*b}: {@code [B, ...] x [B, ...] -> [B]} ({@code a} may also broadcast,
     * e.g. a per-sample bias).
     */
    default T dotPerSample(T a, T b) {
        return sumPerSample(mul(a, b));
    }

    /** Flattens {@code [B, ...] -> [B, prod(...)]}. */
    default T flatten(T a) {
        long[] s = shape(a);
        long d = 1;
        for (int i = 1; i < s.length; i++) {
            d *= s[i];
        }
        return reshape(a, s[0], d);
    }

    T sin(T a);

    T cos(T a);

    /** {@code a} and {@code b} joined along {@code axis}; the other axes must agree. */
    T concat(int axis, T a, T b);

    /** The entries {@code [from, to)} of {@code a} along {@code axis}, the other axes whole (a view where the backend has them). */
    T slice(T a, int axis, long from, long to);

    // ---- batched products, constants and convolution (issue 3: attention, conv, conv-pool) ----

    /**
     * Batched matrix product of rank-3 arrays: {@code out[i] = op(a[i]) op(b[i])} for every {@code i} of
     * the first axis, with optional transposes of the last two axes. {@code a [n, m, k]} (or
     * {@code [n, k, m]} transposed), {@code b [n, k, p]} (or {@code [n, p, k]}) give {@code [n, m, p]}.
     */
    T bmmul(T a, T b, boolean transA, boolean transB);

    /**
     * Scores of every head, on arrays laid out per token: {@code s[b,h,q,k] = scale_h sum_y a[b,q,h,y] c[b,k,h,y]
     * + bias[q,k]} for {@code a [B, Nq, H, Y]} and {@code c [B, Nk, H, Y]}; {@code [B, H, Nq, Nk]}. {@code scale}
     * is one number (rank 0) or one per head ({@code [H]}); {@code bias} is {@code [Nq, Nk]} or null for none.
     * (The heads of a projection {@code [B N, H Y]} are its reshape to {@code [B, N, H, Y]}: no axes move.)
     */
    default T headScores(T a, T c, T scale, T bias) {
        long[] as = shape(a);
        long[] cs = shape(c);
        T s = reshape(bmmul(headsFirst(a), headsFirst(c), false, true), as[0], as[2], as[1], cs[1]);
        s = mul(s, shape(scale).length == 0 ? scale : reshape(scale, 1, as[2], 1, 1));
        return bias == null ? s : add(s, bias);
    }

    /**
     * Sums over the scores' last axis, per head: {@code r[b,q,h,y] = sum_k p[b,h,q,k] v[b,k,h,y]} for
     * {@code p [B, H, Nq, Nk]} and {@code v [B, Nk, H, Y]}, giving {@code [B, Nq, H, Y]}; with {@code transP},
     * over its second last: {@code r[b,k,h,y] = sum_q p[b,h,q,k] v[b,q,h,y]} for {@code v [B, Nq, H, Y]},
     * giving {@code [B, Nk, H, Y]}.
     */
    default T headMix(T p, T v, boolean transP) {
        long[] ps = shape(p);
        long[] vs = shape(v);
        T r = bmmul(reshape(p, ps[0] * ps[1], ps[2], ps[3]), headsFirst(v), transP, false);
        long n = transP ? ps[3] : ps[2];
        return permute(reshape(r, ps[0], ps[1], n, vs[3]), 0, 2, 1, 3);
    }

    /**
     * Self-attention's two sums side by side on the heads axis: {@code headMix(p, v, false)} in heads
     * {@code 0..H-1} and {@code headMix(p, u, true)} in heads {@code H..2H-1}, {@code [B, N, 2H, Y]} for a square
     * {@code p [B, H, N, N]}; reshaped to {@code [B N, 2 H Y]}, each token's row is the two results one after the other.
     */
    default T headMixBoth(T p, T v, T u) {
        return concat(2, headMix(p, v, false), headMix(p, u, true));
    }

    /** {@code [B, N, H, Y] -> [B H, N, Y]}. */
    private T headsFirst(T a) {
        long[] s = shape(a);
        return reshape(permute(a, 0, 2, 1, 3), s[0] * s[2], s[1], s[3]);
    }

    /** A constant holding {@code value}, in the data type of {@code like} (not a parameter: never trained). */
    T constant(T like, INDArray value);

    /**
     * 2-D convolution, as cross-correlation with zero padding, NCHW:
     * {@code out[b, o, i, j] = sum_{c, u, v} w[o, c, u, v] xpad[b, c, i sH + u, j sW + v]} where
     * {@code xpad} is {@code x} with {@code pH} (resp. {@code pW}) zero rows (columns) on both sides.
     * {@code x [B, C, H, W]}, {@code w [O, C, kH, kW]} (OIHW) give {@code [B, O, Ho, Wo]} with
     * {@code Ho = floor((H + 2 pH - kH) / sH) + 1}, likewise {@code Wo}.
     */
    T conv2d(T x, T w, int sH, int sW, int pH, int pW);

    /**
     * The transpose (adjoint) of {@link #conv2d} in its input: for {@code y [B, O, Ho, Wo]} and
     * {@code w [O, C, kH, kW]}, the {@code [B, C, h, wd]} array {@code z} with
     * {@code <y, conv2d(x, w)> = <z, x>} for every {@code x [B, C, h, wd]} (the "transposed convolution";
     * rows and columns of {@code x} that no window reads get zero).
     */
    T conv2dTranspose(T y, T w, long h, long wd, int sH, int sW, int pH, int pW);

    /** {@code floor((n + 2 pad - k) / stride) + 1}: the output size of a convolution or pooling axis. */
    static long convOutSize(long n, long k, int stride, int pad) {
        return Math.floorDiv(n + 2L * pad - k, stride) + 1;
    }
}
