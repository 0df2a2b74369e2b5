package org.hamux.kernels;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The element-wise and row-wise float32 kernels of the relaxation, written with the JDK's Vector API
 * (SIMD exponentials and logarithms from the JIT's vector math library) on ND4J's host buffers. libnd4j's
 * generic build takes one scalar {@code expf} per element (about 2 ns on these machines): these take about
 * 0.4 ns, and do a row max, sum or shifted exponential in one pass.
 *
 * <p>Called only by a {@link FastOps} whose SIMD kernels are on, which needs the {@code jdk.incubator.vector} module
 * ({@code --add-modules jdk.incubator.vector}) and arrays in host memory ({@link Simd#AVAILABLE}). Every method takes dense
 * row-major float32 arrays ({@link Simd#dense}) and returns a new array of the workspace in scope. A row is
 * the last axis.
 *
 * <p>Every loop names its vector operation as a constant and never merges vectors from two branches: the JIT
 * then keeps vectors in registers (otherwise it boxes each one, and a kernel runs some 3 to 20 times slower).
 * For the same reason each kernel calls its own loop directly (a static method), never through a function
 * argument shared with other kernels: where two kernels' loops reached one call site, the JIT inlined both
 * there and boxed their vectors (a row sum of {@code [256, 784]} took 140 us instead of 35, a sigmoid 430 us
 * instead of 170, depending on which kernels had run first). Only the split between cores ({@link Cores}), for
 * arrays of more than {@link #PARALLEL_ELEMENTS} ({@link #PARALLEL_EXP_ELEMENTS} with an exponential or a
 * logarithm per element), goes through a shared function argument.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int W = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Arrays larger than this are split between the cores; below it a second thread costs more than it saves. */
    private static final long PARALLEL_ELEMENTS = 1 << 18;
    /** The same for kernels with an exponential or a logarithm per element (several times an add's work). */
    private static final long PARALLEL_EXP_ELEMENTS = 1 << 16;

    /** The four arithmetic operations of {@link #binary}. */
    enum Arith {
        ADD, SUB, MUL, DIV,
        /** {@code y - x}: the operands of {@code SUB} the other way round (the second is the one that repeats). */
        RSUB,
        /** {@code y / x}. */
        RDIV
    }

    private VectorKernels() {
    }

    // ---- element-wise ----

    /** {@code exp(a)}. */
    static INDArray exp(Cores cores, INDArray a) {
        INDArray out = like(a);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        int n = (int) a.length();
        if (serialExp(n)) {
            exp(x, y, 0, n);
        } else {
            inPieces(cores, n, (c, from, to) -> exp(x, y, from, to));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static void exp(ByteBuffer x, ByteBuffer y, int from, int to) {
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            at(x, j).lanewise(VectorOperators.EXP).intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            y.putFloat(j * 4, (float) Math.exp(x.getFloat(j * 4)));
        }
    }

    /** {@code 1 / (1 + exp(-a))}. */
    static INDArray sigmoid(Cores cores, INDArray a) {
        INDArray out = like(a);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        int n = (int) a.length();
        if (serialExp(n)) {
            sigmoid(x, y, 0, n);
        } else {
            inPieces(cores, n, (c, from, to) -> sigmoid(x, y, from, to));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static void sigmoid(ByteBuffer x, ByteBuffer y, int from, int to) {
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            FloatVector.broadcast(F, 1f).div(at(x, j).neg().lanewise(VectorOperators.EXP).add(1f))
                    .intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            y.putFloat(j * 4, (float) (1 / (1 + Math.exp(-x.getFloat(j * 4)))));
        }
    }

    /** {@code log(1 + exp(a)) = max(a, 0) + log1p(exp(-|a|))}: no overflow for large {@code a}. */
    static INDArray softplus(Cores cores, INDArray a) {
        INDArray out = like(a);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        int n = (int) a.length();
        if (serialExp(n)) {
            softplus(x, y, 0, n);
        } else {
            inPieces(cores, n, (c, from, to) -> softplus(x, y, from, to));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static void softplus(ByteBuffer x, ByteBuffer y, int from, int to) {
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            FloatVector v = at(x, j);
            v.max(0f).add(v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P))
                    .intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            float v = x.getFloat(j * 4);
            y.putFloat(j * 4, (float) (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))));
        }
    }

    /** {@code max(a, 0)}. */
    static INDArray relu(Cores cores, INDArray a) {
        INDArray out = like(a);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        int n = (int) a.length();
        if (serial(n)) {
            relu(x, y, 0, n);
        } else {
            inPieces(cores, n, (c, from, to) -> relu(x, y, from, to));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static void relu(ByteBuffer x, ByteBuffer y, int from, int to) {
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            at(x, j).max(0f).intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            y.putFloat(j * 4, Math.max(x.getFloat(j * 4), 0f));
        }
    }

    /** {@code 1} where {@code a > 0}, else {@code 0}. */
    static INDArray step(Cores cores, INDArray a) {
        INDArray out = like(a);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        int n = (int) a.length();
        if (serial(n)) {
            step(x, y, 0, n);
        } else {
            inPieces(cores, n, (c, from, to) -> step(x, y, from, to));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static void step(ByteBuffer x, ByteBuffer y, int from, int to) {
        FloatVector zero = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            zero.blend(1f, at(x, j).compare(VectorOperators.GT, 0f)).intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            y.putFloat(j * 4, x.getFloat(j * 4) > 0 ? 1f : 0f);
        }
    }

    /** {@code c} where {@code a > 0}, else {@code 0} ({@code c step(a)}: the product back through a relu), one shape. */
    static INDArray wherePositive(Cores cores, INDArray c, INDArray a) {
        INDArray out = like(c);
        ByteBuffer u = Simd.bytes(c);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        int n = (int) c.length();
        if (serial(n)) {
            wherePositive(u, x, y, 0, n);
        } else {
            inPieces(cores, n, (k, from, to) -> wherePositive(u, x, y, from, to));
        }
        Reference.reachabilityFence(c);
        Reference.reachabilityFence(a);
        return out;
    }

    private static void wherePositive(ByteBuffer u, ByteBuffer x, ByteBuffer y, int from, int to) {
        FloatVector zero = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            at(u, j).blend(zero, at(x, j).compare(VectorOperators.LE, 0f)).intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            y.putFloat(j * 4, x.getFloat(j * 4) > 0 ? u.getFloat(j * 4) : 0f);
        }
    }

    /**
     * {@code a op b} for {@code b} of {@code a}'s shape, of its shape with a last axis of 1 (one number per row,
     * broadcast along the row), or of its last axes (repeated over the leading ones).
     */
    static INDArray binary(Cores cores, INDArray a, INDArray b, Arith op) {
        INDArray out = like(a);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(b);
        ByteBuffer z = Simd.bytes(out);
        int n = (int) a.length();
        if (b.length() == n) {
            if (serial(n)) {
                withArray(x, 0, y, 0, z, n, op);
            } else {
                inPieces(cores, n, (c, from, to) -> withArray(x, from, y, from, z, to - from, op));
            }
        } else if (b.size(-1) == 1 && a.size(-1) != 1) {
            int cols = (int) a.size(-1);
            if (serial(n)) {
                for (int r = 0; r < n / cols; r++) {
                    withNumber(x, z, r * cols, r * cols + cols, y.getFloat(r * 4), op);
                }
            } else {
                parallel(cores, n / cols, r -> withNumber(x, z, r * cols, r * cols + cols, y.getFloat(r * 4), op));
            }
        } else {
            int len = (int) b.length();
            if (serial(n)) {
                for (int r = 0; r < n / len; r++) {
                    withArray(x, r * len, y, 0, z, len, op);
                }
            } else {
                parallel(cores, n / len, r -> withArray(x, r * len, y, 0, z, len, op));
            }
        }
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return out;
    }

    /** {@code a op s} for a number {@code s}. */
    static INDArray scalar(Cores cores, INDArray a, float s, Arith op) {
        INDArray out = like(a);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer z = Simd.bytes(out);
        int n = (int) a.length();
        if (serial(n)) {
            withNumber(x, z, 0, n, s, op);
        } else {
            inPieces(cores, n, (c, from, to) -> withNumber(x, z, from, to, s, op));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    /** {@code z_j = x_j op y_(j - xFrom + yFrom)} for the {@code count} elements from {@code xFrom}. */
    private static void withArray(ByteBuffer x, int xFrom, ByteBuffer y, int yFrom, ByteBuffer z, int count, Arith op) {
        int j = 0;
        int end = F.loopBound(count);
        // one loop per operation: each names its vector operation as a constant
        switch (op) {
            case ADD:
                for (; j < end; j += W) {
                    at(x, xFrom + j).add(at(y, yFrom + j)).intoByteBuffer(z, (xFrom + j) * 4, ORDER);
                }
                break;
            case SUB:
                for (; j < end; j += W) {
                    at(x, xFrom + j).sub(at(y, yFrom + j)).intoByteBuffer(z, (xFrom + j) * 4, ORDER);
                }
                break;
            case MUL:
                for (; j < end; j += W) {
                    at(x, xFrom + j).mul(at(y, yFrom + j)).intoByteBuffer(z, (xFrom + j) * 4, ORDER);
                }
                break;
            case RSUB:
                for (; j < end; j += W) {
                    at(y, yFrom + j).sub(at(x, xFrom + j)).intoByteBuffer(z, (xFrom + j) * 4, ORDER);
                }
                break;
            case RDIV:
                for (; j < end; j += W) {
                    at(y, yFrom + j).div(at(x, xFrom + j)).intoByteBuffer(z, (xFrom + j) * 4, ORDER);
                }
                break;
            default:
                for (; j < end; j += W) {
                    at(x, xFrom + j).div(at(y, yFrom + j)).intoByteBuffer(z, (xFrom + j) * 4, ORDER);
                }
        }
        for (; j < count; j++) {
            z.putFloat((xFrom + j) * 4, arith(x.getFloat((xFrom + j) * 4), y.getFloat((yFrom + j) * 4), op));
        }
    }

    /** {@code z_j = x_j op c} for {@code j} in {@code [from, to)}. */
    private static void withNumber(ByteBuffer x, ByteBuffer z, int from, int to, float c, Arith op) {
        int j = from;
        int end = from + F.loopBound(to - from);
        switch (op) {
            case ADD:
                for (; j < end; j += W) {
                    at(x, j).add(c).intoByteBuffer(z, j * 4, ORDER);
                }
                break;
            case SUB:
                for (; j < end; j += W) {
                    at(x, j).sub(c).intoByteBuffer(z, j * 4, ORDER);
                }
                break;
            case MUL:
                for (; j < end; j += W) {
                    at(x, j).mul(c).intoByteBuffer(z, j * 4, ORDER);
                }
                break;
            case RSUB:
                for (; j < end; j += W) {
                    at(x, j).neg().add(c).intoByteBuffer(z, j * 4, ORDER);
                }
                break;
            case RDIV:
                for (; j < end; j += W) {
                    FloatVector.broadcast(F, c).div(at(x, j)).intoByteBuffer(z, j * 4, ORDER);
                }
                break;
            default:
                for (; j < end; j += W) {
                    at(x, j).div(c).intoByteBuffer(z, j * 4, ORDER);
                }
        }
        for (; j < to; j++) {
            z.putFloat(j * 4, arith(x.getFloat(j * 4), c, op));
        }
    }

    /** {@code a [p, q, r, s]} permuted to {@code [p, r, q, s]}: rows of {@code s} floats moved whole. */
    static INDArray swapMiddleAxes(Cores cores, INDArray a) {
        long[] s = a.shape();
        INDArray out = StepArrays.uninitialized(DataType.FLOAT, s[0], s[2], s[1], s[3]);
        int[] qrs = {(int) s[1], (int) s[2], (int) s[3]};
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        if (serial(a.length())) {
            for (int p = 0; p < s[0]; p++) {
                swapMiddleAxes(x, y, p, qrs);
            }
        } else {
            parallel(cores, (int) s[0], p -> swapMiddleAxes(x, y, p, qrs));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    /** Block {@code p} of {@link #swapMiddleAxes(INDArray)}, {@code qrs} the sizes of the other three axes. */
    private static void swapMiddleAxes(ByteBuffer x, ByteBuffer y, int p, int[] qrs) {
        int q = qrs[0];
        int r = qrs[1];
        int row = qrs[2];
        for (int i = 0; i < q; i++) {
            for (int k = 0; k < r; k++) {
                int from = ((p * q + i) * r + k) * row;
                int to = ((p * r + k) * q + i) * row;
                int j = 0;
                for (int end = F.loopBound(row); j < end; j += W) {
                    at(x, from + j).intoByteBuffer(y, (to + j) * 4, ORDER);
                }
                for (; j < row; j++) {
                    y.putFloat((to + j) * 4, x.getFloat((from + j) * 4));
                }
            }
        }
    }

    private static float arith(float u, float v, Arith op) {
        switch (op) {
            case ADD:
                return u + v;
            case SUB:
                return u - v;
            case MUL:
                return u * v;
            case RSUB:
                return v - u;
            case RDIV:
                return v / u;
            default:
                return u / v;
        }
    }

    /**
     * {@code y <- y + s x} in place, returning {@code max |s x|}: the Euler step of the dynamics and its largest
     * change in one pass. {@code x} of {@code y}'s shape; it may be {@code y} itself.
     */
    static double addScaledInPlace(Cores cores, INDArray y, double s, INDArray x) {
        int n = (int) y.length();
        ByteBuffer in = Simd.bytes(x);
        ByteBuffer out = Simd.bytes(y);
        float sf = (float) s;
        float m = 0;
        if (serial(n)) {
            m = addScaledInPlace(out, sf, in, 0, n);
        } else {
            float[] largest = new float[cores.pieces()];
            inPieces(cores, n, (c, from, to) -> largest[c] = addScaledInPlace(out, sf, in, from, to));
            for (float v : largest) {
                m = Math.max(m, v);
            }
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(y);
        return m;
    }

    private static float addScaledInPlace(ByteBuffer out, float s, ByteBuffer in, int from, int to) {
        FloatVector most = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            FloatVector d = at(in, j).mul(s);
            at(out, j).add(d).intoByteBuffer(out, j * 4, ORDER);
            most = most.max(d.abs());
        }
        float m = most.reduceLanes(VectorOperators.MAX);
        for (; j < to; j++) {
            float d = s * in.getFloat(j * 4);
            out.putFloat(j * 4, out.getFloat(j * 4) + d);
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    /**
     * {@code y <- y + s (a + b)} in place, returning {@code max |s (a + b)|}: the Euler step of a layer whose
     * {@code dE/dg} has two terms, which are never summed into an array. {@code a, b} of {@code y}'s shape; either
     * may be {@code y} itself.
     */
    static double addScaledSumInPlace(Cores cores, INDArray y, double s, INDArray a, INDArray b) {
        int n = (int) y.length();
        ByteBuffer u = Simd.bytes(a);
        ByteBuffer v = Simd.bytes(b);
        ByteBuffer out = Simd.bytes(y);
        float sf = (float) s;
        float m = 0;
        if (serial(n)) {
            m = addScaledSumInPlace(out, sf, u, v, 0, n);
        } else {
            float[] largest = new float[cores.pieces()];
            inPieces(cores, n, (c, from, to) -> largest[c] = addScaledSumInPlace(out, sf, u, v, from, to));
            for (float w : largest) {
                m = Math.max(m, w);
            }
        }
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(y);
        return m;
    }

    private static float addScaledSumInPlace(ByteBuffer out, float s, ByteBuffer u, ByteBuffer v, int from, int to) {
        FloatVector most = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            FloatVector d = at(u, j).add(at(v, j)).mul(s);
            at(out, j).add(d).intoByteBuffer(out, j * 4, ORDER);
            most = most.max(d.abs());
        }
        float m = most.reduceLanes(VectorOperators.MAX);
        for (; j < to; j++) {
            float d = s * (u.getFloat(j * 4) + v.getFloat(j * 4));
            out.putFloat(j * 4, out.getFloat(j * 4) + d);
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    /**
     * Adam's update of {@code p} and its moments {@code m, v} in place, in one pass: with {@code g' = s g + l2 p},
     * {@code m <- b1 m + (1 - b1) g'}, {@code v <- b2 v + (1 - b2) g'^2},
     * {@code p <- decay p - lr1 m / (sqrt(v / c2) + eps)} (the bias corrections {@code lr1 = lr / c1}, {@code c2}).
     * Every array of one shape; {@code g} is read, never written.
     */
    static void adam(Cores cores, INDArray p, INDArray g, INDArray m, INDArray v, float[] c) {
        int n = (int) p.length();
        ByteBuffer pb = Simd.bytes(p);
        ByteBuffer gb = Simd.bytes(g);
        ByteBuffer mb = Simd.bytes(m);
        ByteBuffer vb = Simd.bytes(v);
        if (serial(n)) {
            adam(pb, gb, mb, vb, c, 0, n);
        } else {
            inPieces(cores, n, (k, from, to) -> adam(pb, gb, mb, vb, c, from, to));
        }
        Reference.reachabilityFence(p);
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(m);
        Reference.reachabilityFence(v);
    }

    /** Constants of {@link #adam}: {@code s, l2, b1, b2, lr1, c2, eps, decay}. */
    private static void adam(ByteBuffer p, ByteBuffer g, ByteBuffer m, ByteBuffer v, float[] c, int from, int to) {
        float s = c[0];
        float l2 = c[1];
        float b1 = c[2];
        float b2 = c[3];
        float lr1 = c[4];
        float c2 = c[5];
        float eps = c[6];
        float decay = c[7];
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            FloatVector pv = at(p, j);
            FloatVector gv = at(g, j).mul(s).add(pv.mul(l2));
            FloatVector mv = at(m, j).mul(b1).add(gv.mul(1 - b1));
            FloatVector vv = at(v, j).mul(b2).add(gv.mul(gv).mul(1 - b2));
            mv.intoByteBuffer(m, j * 4, ORDER);
            vv.intoByteBuffer(v, j * 4, ORDER);
            FloatVector denom = vv.div(c2).lanewise(VectorOperators.SQRT).add(eps);
            pv.mul(decay).sub(mv.mul(lr1).div(denom)).intoByteBuffer(p, j * 4, ORDER);
        }
        for (; j < to; j++) {
            float pj = p.getFloat(j * 4);
            float gj = s * g.getFloat(j * 4) + l2 * pj;
            float mj = b1 * m.getFloat(j * 4) + (1 - b1) * gj;
            float vj = b2 * v.getFloat(j * 4) + (1 - b2) * gj * gj;
            m.putFloat(j * 4, mj);
            v.putFloat(j * 4, vj);
            p.putFloat(j * 4, decay * pj - lr1 * mj / ((float) Math.sqrt(vj / c2) + eps));
        }
    }

    // ---- row-wise ----

    /** {@code exp(a - b)} with {@code a [..., c]} and {@code b [..., 1]}: the max-shifted exponentials of each row. */
    static INDArray expOfRowDifference(Cores cores, INDArray a, INDArray b) {
        INDArray out = like(a);
        int cols = (int) a.size(-1);
        int rows = (int) (a.length() / cols);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer m = Simd.bytes(b);
        ByteBuffer y = Simd.bytes(out);
        if (serialExp(a.length())) {
            for (int r = 0; r < rows; r++) {
                expShifted(x, y, r * cols, r * cols + cols, m.getFloat(r * 4));
            }
        } else {
            parallel(cores, rows, r -> expShifted(x, y, r * cols, r * cols + cols, m.getFloat(r * 4)));
        }
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return out;
    }

    /** {@code y_j = exp(x_j - shift)} for {@code j} in {@code [from, to)}. */
    private static void expShifted(ByteBuffer x, ByteBuffer y, int from, int to, float shift) {
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            at(x, j).sub(shift).lanewise(VectorOperators.EXP).intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            y.putFloat(j * 4, (float) Math.exp(x.getFloat(j * 4) - shift));
        }
    }

    /**
     * {@code log sum_j exp(a_j)} of each row of {@code a [..., c]}, as {@code [..., 1]}: {@code m + log sum_j
     * exp(a_j - m)} with {@code m} the row's maximum, in two passes over the row and no array of exponentials.
     */
    static INDArray rowLogSumExp(Cores cores, INDArray a) {
        INDArray out = perRow(a);
        int cols = (int) a.size(-1);
        int rows = (int) (a.length() / cols);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        if (serialExp(a.length())) {
            for (int r = 0; r < rows; r++) {
                y.putFloat(r * 4, logSumExp(x, r * cols, r * cols + cols));
            }
        } else {
            parallel(cores, rows, r -> y.putFloat(r * 4, logSumExp(x, r * cols, r * cols + cols)));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static float logSumExp(ByteBuffer x, int from, int to) {
        float m = max(x, from, to);
        FloatVector acc = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            acc = acc.add(at(x, j).sub(m).lanewise(VectorOperators.EXP));
        }
        double z = acc.reduceLanes(VectorOperators.ADD);
        for (; j < to; j++) {
            z += Math.exp(x.getFloat(j * 4) - m);
        }
        return (float) (m + Math.log(z));
    }

    /**
     * {@code exp(a_j - lse(a))} along each row of {@code a [..., c]}: {@code u_j / sum u} with {@code u_j =
     * exp(a_j - max a)}, the exponentials written and summed in one pass and scaled in place while the row is in
     * cache.
     */
    static INDArray rowSoftmax(Cores cores, INDArray a) {
        return rowSoftmax(cores, a, null);
    }

    /** {@link #rowSoftmax} and {@link #rowLogSumExp} of {@code a} from one set of exponentials: {@code {p, lse}}. */
    static INDArray[] rowSoftmaxWithLogSumExp(Cores cores, INDArray a) {
        INDArray lse = perRow(a);
        return new INDArray[] {rowSoftmax(cores, a, lse), lse};
    }

    /** The soft-max of each row of {@code a}; each row's log-sum-exp into {@code lse} unless it is null. */
    private static INDArray rowSoftmax(Cores cores, INDArray a, INDArray lse) {
        INDArray out = like(a);
        int cols = (int) a.size(-1);
        int rows = (int) (a.length() / cols);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        ByteBuffer z = lse == null ? null : Simd.bytes(lse);
        if (cols < W && serialExp(a.length())) {
            narrowSoftmax(x, y, z, rows, cols);
        } else if (serialExp(a.length())) {
            for (int r = 0; r < rows; r++) {
                softmaxRow(x, y, z, r, cols);
            }
        } else {
            parallel(cores, rows, r -> softmaxRow(x, y, z, r, cols));
        }
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(lse);
        return out;
    }

    /**
     * The soft-max of rows shorter than a vector: the shifts {@code x - max} row by row, then their exponentials across
     * the rows in vectors (a row alone would take scalar exponentials, some 20 times slower), then each row's scale.
     */
    private static void narrowSoftmax(ByteBuffer x, ByteBuffer y, ByteBuffer z, int rows, int cols) {
        float[] m = new float[rows];
        for (int r = 0; r < rows; r++) {
            float mr = max(x, r * cols, r * cols + cols);
            m[r] = mr;
            for (int j = r * cols; j < r * cols + cols; j++) {
                y.putFloat(j * 4, x.getFloat(j * 4) - mr);
            }
        }
        int n = rows * cols;
        int j = 0;
        for (int end = F.loopBound(n); j < end; j += W) {
            at(y, j).lanewise(VectorOperators.EXP).intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < n; j++) {
            y.putFloat(j * 4, (float) Math.exp(y.getFloat(j * 4)));
        }
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int k = r * cols; k < r * cols + cols; k++) {
                sum += y.getFloat(k * 4);
            }
            float scale = (float) (1 / sum);
            for (int k = r * cols; k < r * cols + cols; k++) {
                y.putFloat(k * 4, y.getFloat(k * 4) * scale);
            }
            if (z != null) {
                z.putFloat(r * 4, (float) (m[r] + Math.log(sum)));
            }
        }
    }

    /** Row {@code r}'s soft-max into {@code y}, and its log-sum-exp into {@code z} unless that is null. */
    private static void softmaxRow(ByteBuffer x, ByteBuffer y, ByteBuffer z, int r, int cols) {
        float lse = softmax(x, y, r * cols, r * cols + cols);
        if (z != null) {
            z.putFloat(r * 4, lse);
        }
    }

    /** {@code y_j = exp(x_j - lse)} for {@code j} in {@code [from, to)}; returns {@code lse = m + log sum_j exp(x_j - m)}. */
    private static float softmax(ByteBuffer x, ByteBuffer y, int from, int to) {
        float m = max(x, from, to);
        FloatVector acc = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            FloatVector u = at(x, j).sub(m).lanewise(VectorOperators.EXP);           // u_j = exp(x_j - m)
            u.intoByteBuffer(y, j * 4, ORDER);
            acc = acc.add(u);
        }
        double z = acc.reduceLanes(VectorOperators.ADD);
        for (; j < to; j++) {
            float u = (float) Math.exp(x.getFloat(j * 4) - m);
            y.putFloat(j * 4, u);
            z += u;
        }
        float scale = (float) (1 / z);
        j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            at(y, j).mul(scale).intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            y.putFloat(j * 4, y.getFloat(j * 4) * scale);
        }
        return (float) (m + Math.log(z));
    }

    /** {@code sqrt(var + eps)} of each row of {@code a [..., c]}, as {@code [..., 1]}: the mean, then the squares about it. */
    static INDArray rowStandardDeviation(Cores cores, INDArray a, double eps) {
        INDArray out = perRow(a);
        int cols = (int) a.size(-1);
        int rows = (int) (a.length() / cols);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        if (serial(a.length())) {
            for (int r = 0; r < rows; r++) {
                y.putFloat(r * 4, standardDeviation(x, r * cols, r * cols + cols, eps));
            }
        } else {
            parallel(cores, rows, r -> y.putFloat(r * 4, standardDeviation(x, r * cols, r * cols + cols, eps)));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    /** The mean over {@code [from, to)}. */
    private static float mean(ByteBuffer x, int from, int to) {
        return sum(x, from, to) / (to - from);
    }

    /** {@code sqrt(mean((x - mean x)^2) + eps)} over {@code [from, to)}. */
    private static float standardDeviation(ByteBuffer x, int from, int to, double eps) {
        return standardDeviation(x, from, to, mean(x, from, to), eps);
    }

    /** The same, given the mean (the standardised row needs it too). */
    private static float standardDeviation(ByteBuffer x, int from, int to, float mean, double eps) {
        FloatVector acc = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            FloatVector d = at(x, j).sub(mean);
            acc = d.fma(d, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < to; j++) {
            float d = x.getFloat(j * 4) - mean;
            s += d * d;
        }
        return (float) Math.sqrt(s / (to - from) + eps);
    }

    /** {@code (a - mean) / sqrt(var + eps)} along each row of {@code a [..., c]}. */
    static INDArray rowStandardize(Cores cores, INDArray a, double eps) {
        INDArray out = like(a);
        int cols = (int) a.size(-1);
        int rows = (int) (a.length() / cols);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        if (serial(a.length())) {
            for (int r = 0; r < rows; r++) {
                standardize(x, y, r * cols, r * cols + cols, eps);
            }
        } else {
            parallel(cores, rows, r -> standardize(x, y, r * cols, r * cols + cols, eps));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static void standardize(ByteBuffer x, ByteBuffer y, int from, int to, double eps) {
        float mean = mean(x, from, to);
        float scale = 1 / standardDeviation(x, from, to, mean, eps);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            at(x, j).sub(mean).mul(scale).intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < to; j++) {
            y.putFloat(j * 4, (x.getFloat(j * 4) - mean) * scale);
        }
    }

    /** The largest entry of each row of {@code a [..., c]}, as {@code [..., 1]}; a NaN in a row is its maximum. */
    static INDArray rowMax(Cores cores, INDArray a) {
        INDArray out = perRow(a);
        int cols = (int) a.size(-1);
        int rows = (int) (a.length() / cols);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        if (serial(a.length())) {
            for (int r = 0; r < rows; r++) {
                y.putFloat(r * 4, max(x, r * cols, r * cols + cols));
            }
        } else {
            parallel(cores, rows, r -> y.putFloat(r * 4, max(x, r * cols, r * cols + cols)));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static float max(ByteBuffer x, int from, int to) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            acc = acc.max(at(x, j));
        }
        float s = acc.reduceLanes(VectorOperators.MAX);
        for (; j < to; j++) {
            s = Math.max(s, x.getFloat(j * 4));
        }
        return s;
    }

    /** The sum of each row of {@code a [..., c]}, as {@code [..., 1]}. */
    static INDArray rowSum(Cores cores, INDArray a) {
        INDArray out = perRow(a);
        int cols = (int) a.size(-1);
        int rows = (int) (a.length() / cols);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        if (serial(a.length())) {
            for (int r = 0; r < rows; r++) {
                y.putFloat(r * 4, sum(x, r * cols, r * cols + cols));
            }
        } else {
            parallel(cores, rows, r -> y.putFloat(r * 4, sum(x, r * cols, r * cols + cols)));
        }
        Reference.reachabilityFence(a);
        return out;
    }

    /** The sums of {@code a [rows, ...]} over its first {@code rows} entries: {@code out[j] = sum_i a[i, j]}, {@code [cols]}. */
    static INDArray leadingSum(INDArray a, int rows) {
        int cols = (int) (a.length() / rows);
        INDArray out = StepArrays.uninitialized(DataType.FLOAT, cols);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(out);
        int j = 0;
        for (int end = F.loopBound(cols); j < end; j += W) {
            FloatVector acc = at(x, j);
            for (int i = 1; i < rows; i++) {
                acc = acc.add(at(x, i * cols + j));
            }
            acc.intoByteBuffer(y, j * 4, ORDER);
        }
        for (; j < cols; j++) {
            float s = 0;
            for (int i = 0; i < rows; i++) {
                s += x.getFloat((i * cols + j) * 4);
            }
            y.putFloat(j * 4, s);
        }
        Reference.reachabilityFence(a);
        return out;
    }

    private static float sum(ByteBuffer x, int from, int to) {
        FloatVector acc = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            acc = acc.add(at(x, j));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < to; j++) {
            s += x.getFloat(j * 4);
        }
        return s;
    }

    /** A new {@code [..., 1]} for one number per row of {@code a [..., c]}. */
    private static INDArray perRow(INDArray a) {
        long[] shape = a.shape().clone();
        shape[shape.length - 1] = 1;
        return StepArrays.uninitialized(DataType.FLOAT, shape);
    }

    /** {@code sum_i a_bi b_bi} over everything but the first axis of {@code a, b [B, ...]}, as {@code [B]}. */
    static INDArray rowDot(Cores cores, INDArray a, INDArray b) {
        int rows = (int) a.size(0);
        int cols = (int) (a.length() / rows);
        INDArray out = StepArrays.uninitialized(DataType.FLOAT, rows);
        ByteBuffer x = Simd.bytes(a);
        ByteBuffer y = Simd.bytes(b);
        ByteBuffer z = Simd.bytes(out);
        if (serial(a.length())) {
            for (int r = 0; r < rows; r++) {
                z.putFloat(r * 4, dot(x, y, r * cols, r * cols + cols));
            }
        } else {
            parallel(cores, rows, r -> z.putFloat(r * 4, dot(x, y, r * cols, r * cols + cols)));
        }
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return out;
    }

    private static float dot(ByteBuffer x, ByteBuffer y, int from, int to) {
        FloatVector acc = FloatVector.zero(F);
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += W) {
            acc = at(x, j).fma(at(y, j), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < to; j++) {
            s += x.getFloat(j * 4) * y.getFloat(j * 4);
        }
        return s;
    }

    // ---- plumbing ----

    /** The {@code W} floats from element {@code j} of {@code b}. */
    private static FloatVector at(ByteBuffer b, int j) {
        return FloatVector.fromByteBuffer(F, b, j * 4, ORDER);
    }

    /** Whether work on {@code elements} stays on one core (a second thread would cost more than it saves). */
    private static boolean serial(long elements) {
        return elements < PARALLEL_ELEMENTS;
    }

    /** {@link #serial} for kernels with an exponential or a logarithm per element. */
    private static boolean serialExp(long elements) {
        return elements < PARALLEL_EXP_ELEMENTS;
    }

    /** A piece of element-wise work: elements {@code [from, to)}, piece {@code c} of {@link Cores#pieces}. */
    private interface Span {
        void run(int c, int from, int to);
    }

    /** Runs {@code body} over elements {@code [0, n)} on every core: {@link Cores#pieces} pieces, cut at whole vectors. */
    private static void inPieces(Cores cores, int n, Span body) {
        int parts = cores.pieces();
        parallel(cores, parts, c -> body.run(c, cut(n, c, parts), cut(n, c + 1, parts)));
    }

    /** Where piece {@code c} of {@code parts} of {@code n} elements starts: a whole number of vectors in. */
    private static int cut(int n, int c, int parts) {
        return c == parts ? n : (int) ((long) n * c / parts) / W * W;
    }

    /** Runs {@code body} for {@code 0..n-1} on every core. */
    private static void parallel(Cores cores, int n, IntConsumer body) {
        cores.forEach(n, body);
    }

    private static INDArray like(INDArray a) {
        return StepArrays.uninitialized(DataType.FLOAT, a.shape());
    }
}
