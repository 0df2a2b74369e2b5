package org.hamux.synapses;

import java.util.Arrays;
import java.util.List;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.Settings;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The geometry and math shared by {@link ConvSynapse} and {@link ConvPoolSynapse}: a 2-D convolution
 * (cross-correlation, NCHW, OIHW kernel, zero padding, optional bias) and pooling (no padding, floored
 * output size), written with {@link Ops} so that both run eagerly and in SameDiff.
 *
 * <p>Pooling is itself written with convolutions, one channel at a time ({@code [B, C, H, W]} seen as
 * {@code [B C, 1, H, W]}): average pooling is a convolution with a constant {@code 1/(kH kW)} kernel, and
 * max pooling reads every window with a convolution by {@code kH kW} one-hot kernels (the window's
 * elements in row-major order as channels) and takes the max over them. Their transposes are transposed
 * convolutions by the same kernels, so the closed-form gradients are SameDiff-differentiable once.
 */
final class Convolution {

    private Convolution() {
    }

    /** A pair setting's value as an array, or null. */
    static int[] ints(List<Integer> pair) {
        return pair == null ? null : new int[] {pair.get(0), pair.get(1)};
    }

    /** An array pair as a setting's value. */
    static List<Integer> list(int[] pair) {
        return List.of(pair[0], pair[1]);
    }

    /**
     * The kernel {@code W} and optional bias {@code b} of a convolution from a spec; an {@code init} without a shape
     * makes {@code [O, C, kH, kW]} from the layers' channels and {@code "kernel": [kH, kW]}.
     */
    static INDArray[] kernel(Settings s) {
        List<long[]> ls = s.layerShapes();
        int[] k = ints(s.get(ConvSynapse.KERNEL));
        long[] init = null;
        long outChannels = -1;
        if (ls.size() == 2 && ls.get(0).length == 3 && ls.get(1).length == 3) {
            outChannels = ls.get(1)[0];
            if (k != null) {
                init = new long[] {outChannels, ls.get(0)[0], k[0], k[1]};
            }
        }
        INDArray w = s.array(ConvSynapse.W, init);
        INDArray b = s.optionalArray(ConvSynapse.B, outChannels > 0 ? new long[] {outChannels} : null);
        return new INDArray[] {w, b};
    }

    /** Checks a pair of sizes ({@code what} for messages) against {@code min}; returns a copy. */
    static int[] pair(String what, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(what + " must be two integers of at least " + min + ", got "
                    + Arrays.toString(v));
        }
        return v.clone();
    }

    /** Checks the kernel {@code [O, C, kH, kW]} and bias {@code [O]} and the padding (below the kernel size). */
    static void checkKernel(INDArray w, INDArray b, int[] padding) {
        if (w.rank() != 4) {
            throw new IllegalArgumentException("the kernel W must be [O, C, kH, kW] (OIHW), got " + Shapes.str(w.shape()));
        }
        if (b != null && (b.rank() != 1 || b.length() != w.size(0))) {
            throw new IllegalArgumentException("the bias b must be [" + w.size(0) + "] (one per output channel), got "
                    + Shapes.str(b.shape()));
        }
        if (padding[0] >= w.size(2) || padding[1] >= w.size(3)) {
            throw new IllegalArgumentException("padding " + Arrays.toString(padding) + " must be smaller than the kernel "
                    + w.size(2) + "x" + w.size(3));
        }
    }

    /**
     * The per-sample shape of the convolution output for an input layer {@code [C, H, W]}; throws naming
     * expected and actual shapes.
     */
    static long[] convOutput(long[] in, long[] w, int[] stride, int[] padding) {
        if (in.length != 3 || in[0] != w[1]) {
            throw new IllegalArgumentException("the input layer has shape " + Shapes.str(in) + " but the kernel "
                    + Shapes.str(w) + " = [O, C, kH, kW] needs [" + w[1] + ", H, W] (channels first)");
        }
        long ho = Ops.convOutSize(in[1], w[2], stride[0], padding[0]);
        long wo = Ops.convOutSize(in[2], w[3], stride[1], padding[1]);
        if (ho < 1 || wo < 1) {
            throw new IllegalArgumentException("the kernel " + w[2] + "x" + w[3] + " with padding "
                    + Arrays.toString(padding) + " does not fit in the input layer " + Shapes.str(in));
        }
        return new long[] {w[0], ho, wo};
    }

    /** The per-sample shape after pooling {@code [C, H, W]}; throws if the window does not fit. */
    static long[] poolOutput(long[] in, int[] window, int[] stride) {
        long hp = Ops.convOutSize(in[1], window[0], stride[0], 0);
        long wp = Ops.convOutSize(in[2], window[1], stride[1], 0);
        if (hp < 1 || wp < 1) {
            throw new IllegalArgumentException("the pooling window " + window[0] + "x" + window[1]
                    + " does not fit in the convolution output " + Shapes.str(in));
        }
        return new long[] {in[0], hp, wp};
    }

    /** Fails unless the output layer has shape {@code expected}, with a message saying how to fix it. */
    static void checkOutputLayer(List<long[]> layerShapes, long[] expected, String how) {
        long[] actual = layerShapes.get(1);
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalArgumentException("the output layer has shape " + Shapes.str(actual) + " but " + how
                    + " gives " + Shapes.str(expected) + "; make the second layer " + Shapes.str(expected));
        }
    }

    /** {@code conv(g) + b}: {@code [B, C, H, W] -> [B, O, Ho, Wo]}. */
    static <T> T conv(Ops<T> o, T g, T w, T b, int[] stride, int[] padding) {
        T c = o.conv2d(g, w, stride[0], stride[1], padding[0], padding[1]);
        if (b != null) {
            c = o.add(c, o.reshape(b, 1, o.shape(b)[0], 1, 1));
        }
        return c;
    }

    /** The transpose of the convolution in its input: {@code [B, O, Ho, Wo] -> [B, C, H, W]}. */
    static <T> T convTranspose(Ops<T> o, T y, T w, long[] inShape, int[] stride, int[] padding) {
        return o.conv2dTranspose(y, w, inShape[2], inShape[3], stride[0], stride[1], padding[0], padding[1]);
    }

    /** Pooling {@code [B, C, H, W] -> [B, C, Hp, Wp]}. */
    static <T> T pool(Ops<T> o, ConvPoolSynapse.Pool kind, T c, int[] window, int[] stride) {
        long[] s = o.shape(c);
        T x = o.reshape(c, s[0] * s[1], 1, s[2], s[3]);
        T y;
        if (kind == ConvPoolSynapse.Pool.AVG) {
            y = o.conv2d(x, avgKernel(o, x, window), stride[0], stride[1], 0, 0);
        } else {
            y = o.max(o.conv2d(x, oneHotKernels(o, x, window), stride[0], stride[1], 0, 0), true, 1);
        }
        long[] ys = o.shape(y);
        return o.reshape(y, s[0], s[1], ys[2], ys[3]);
    }

    /**
     * The transpose of the pooling's derivative at {@code c}, applied to {@code dy [B, C, Hp, Wp]}:
     * {@code [B, C, H, W]}. Average pooling spreads {@code dy / (kH kW)} over every window; max pooling
     * routes each {@code dy} to the element where its window has its maximum, and on a tie to the first
     * maximal element in row-major order of the window (one subgradient: the energy has a kink there).
     */
    static <T> T poolTranspose(Ops<T> o, ConvPoolSynapse.Pool kind, T dy, T c, int[] window, int[] stride) {
        long[] s = o.shape(c);
        long[] ds = o.shape(dy);
        T d = o.reshape(dy, s[0] * s[1], 1, ds[2], ds[3]);
        T out;
        if (kind == ConvPoolSynapse.Pool.AVG) {
            T x = o.reshape(c, s[0] * s[1], 1, s[2], s[3]);
            out = o.conv2dTranspose(d, avgKernel(o, x, window), s[2], s[3], stride[0], stride[1], 0, 0);
        } else {
            T x = o.reshape(c, s[0] * s[1], 1, s[2], s[3]);
            T kernels = oneHotKernels(o, x, window);
            T patches = o.conv2d(x, kernels, stride[0], stride[1], 0, 0);
            // 1 where an element equals its window's max (max - a >= 0, and 0 only there)
            T isMax = o.add(o.neg(o.step(o.sub(o.max(patches, true, 1), patches))), 1.0);
            // how many maximal elements come up to each position: a 1x1 convolution by a triangle of ones
            T count = o.conv2d(isMax, triangle(o, x, window[0] * window[1]), 1, 1, 0, 0);
            T first = o.mul(isMax, o.step(o.add(o.neg(count), 1.5)));
            out = o.conv2dTranspose(o.mul(first, d), kernels, s[2], s[3], stride[0], stride[1], 0, 0);
        }
        return o.reshape(out, s);
    }

    private static <T> T avgKernel(Ops<T> o, T like, int[] window) {
        return o.constant(like, Nd4j.valueArrayOf(new long[] {1, 1, window[0], window[1]},
                1.0 / (window[0] * window[1]), DataType.DOUBLE));
    }

    /** {@code [kH kW, 1, kH, kW]}: kernel {@code i} picks element {@code i} (row-major) of the window. */
    private static <T> T oneHotKernels(Ops<T> o, T like, int[] window) {
        int n = window[0] * window[1];
        INDArray k = Nd4j.zeros(DataType.DOUBLE, n, 1, window[0], window[1]);
        for (int i = 0; i < n; i++) {
            k.putScalar(new long[] {i, 0, i / window[1], i % window[1]}, 1.0);
        }
        return o.constant(like, k);
    }

    /** {@code [n, n, 1, 1]} with {@code t[out, in] = 1} for {@code in <= out}: running counts over channels. */
    private static <T> T triangle(Ops<T> o, T like, int n) {
        INDArray t = Nd4j.zeros(DataType.DOUBLE, n, n, 1, 1);
        for (int out = 0; out < n; out++) {
            for (int in = 0; in <= out; in++) {
                t.putScalar(new long[] {out, in, 0, 0}, 1.0);
            }
        }
        return o.constant(like, t);
    }
}
