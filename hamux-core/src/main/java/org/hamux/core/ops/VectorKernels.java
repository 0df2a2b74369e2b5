package org.hamux.core.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
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
 * <p>Loaded only through {@link Simd}, which checks that the {@code jdk.incubator.vector} module is there
 * ({@code --add-modules jdk.incubator.vector}) and that arrays live in host memory. Every method takes dense
 * row-major float32 arrays ({@link Simd#dense}) and returns a new array of the workspace in scope. A row is
 * the last axis.
 *
 * <p>Every loop names its vector operation as a constant and never merges vectors from two branches: the JIT
 * then keeps vectors in registers (otherwise it boxes each one, and a kernel runs some 20 times slower).
 */
final class VectorKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int W = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Arrays larger than this are split between the cores; below it a second thread costs more than it saves. */
    private static final long PARALLEL_ELEMENTS = 1 << 18;
    /** Elements per piece of element-wise work (a multiple of every vector width). */
    private static final int CHUNK = 1 << 16;

    /** The four arithmetic operations of {@link #binary}. */
    enum Arith { ADD, SUB, MUL, DIV }

    private VectorKernels() {
    }

    // ---- element-wise ----

    /** {@code exp(a)}. */
    static INDArray exp(INDArray a) {
        return map(a, (x, y, from, to) -> {
            int j = from;
            for (int end = from + F.loopBound(to - from); j < end; j += W) {
                at(x, j).lanewise(VectorOperators.EXP).intoByteBuffer(y, j * 4, ORDER);
            }
            for (; j < to; j++) {
                y.putFloat(j * 4, (float) Math.exp(x.getFloat(j * 4)));
            }
        });
    }

    /** {@code 1 / (1 + exp(-a))}. */
    static INDArray sigmoid(INDArray a) {
        return map(a, (x, y, from, to) -> {
            int j = from;
            for (int end = from + F.loopBound(to - from); j < end; j += W) {
                FloatVector.broadcast(F, 1f).div(at(x, j).neg().lanewise(VectorOperators.EXP).add(1f))
                        .intoByteBuffer(y, j * 4, ORDER);
            }
            for (; j < to; j++) {
                y.putFloat(j * 4, (float) (1 / (1 + Math.exp(-x.getFloat(j * 4)))));
            }
        });
    }

    /** {@code log(1 + exp(a)) = max(a, 0) + log1p(exp(-|a|))}: no overflow for large {@code a}. */
    static INDArray softplus(INDArray a) {
        return map(a, (x, y, from, to) -> {
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
        });
    }

    /** {@code max(a, 0)}. */
    static INDArray relu(INDArray a) {
        return map(a, (x, y, from, to) -> {
            int j = from;
            for (int end = from + F.loopBound(to - from); j < end; j += W) {
                at(x, j).max(0f).intoByteBuffer(y, j * 4, ORDER);
            }
            for (; j < to; j++) {
                y.putFloat(j * 4, Math.max(x.getFloat(j * 4), 0f));
            }
        });
    }

    /** One function's loop over elements {@code [from, to)}: {@code y_j = f(x_j)}. */
    private interface Piece {
        void run(ByteBuffer x, ByteBuffer y, int from, int to);
    }

    /**
     * {@code f(a)} element-wise, {@code f} given as its loop. Each function keeps a loop of its own: one method
     * switching between the transcendental functions was not compiled to vector code (exp 2.7 ms instead of
     * 0.09 ms on 200,000 floats).
     */
    private static INDArray map(INDArray a, Piece f) {
        INDArray out = like(a);
        ByteBuffer x = buffer(a);
        ByteBuffer y = buffer(out);
        inPieces(a.length(), (from, to) -> f.run(x, y, from, to));
        return out;
    }

    /**
     * {@code a op b} for {@code b} of {@code a}'s shape, of its shape with a last axis of 1 (one number per row,
     * broadcast along the row), or of its last axes (repeated over the leading ones).
     */
    static INDArray binary(INDArray a, INDArray b, Arith op) {
        INDArray out = like(a);
        ByteBuffer x = buffer(a);
        ByteBuffer y = buffer(b);
        ByteBuffer z = buffer(out);
        long n = a.length();
        if (b.length() == n) {
            inPieces(n, (from, to) -> withArray(x, from, y, from, z, to - from, op));
        } else if (b.size(-1) == 1 && a.size(-1) != 1) {
            int cols = (int) a.size(-1);
            rows(a, r -> withNumber(x, z, r * cols, r * cols + cols, y.getFloat(r * 4), op));
        } else {
            int len = (int) b.length();
            forEach((int) (n / len), n, r -> withArray(x, r * len, y, 0, z, len, op));
        }
        return out;
    }

    /** {@code a op s} for a number {@code s}. */
    static INDArray scalar(INDArray a, float s, Arith op) {
        INDArray out = like(a);
        ByteBuffer x = buffer(a);
        ByteBuffer z = buffer(out);
        inPieces(a.length(), (from, to) -> withNumber(x, z, from, to, s, op));
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
    static INDArray swapMiddleAxes(INDArray a) {
        long[] s = a.shape();
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, s[0], s[2], s[1], s[3]);
        int q = (int) s[1];
        int r = (int) s[2];
        int row = (int) s[3];
        ByteBuffer x = buffer(a);
        ByteBuffer y = buffer(out);
        forEach((int) s[0], a.length(), p -> {
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
        });
        return out;
    }

    private static float arith(float u, float v, Arith op) {
        switch (op) {
            case ADD:
                return u + v;
            case SUB:
                return u - v;
            case MUL:
                return u * v;
            default:
                return u / v;
        }
    }

    /**
     * {@code y <- y + s x} in place, returning {@code max |s x|}: the Euler step of the dynamics and its largest
     * change in one pass. {@code x} of {@code y}'s shape; it may be {@code y} itself.
     */
    static double addScaledInPlace(INDArray y, double s, INDArray x) {
        long n = y.length();
        ByteBuffer in = buffer(x);
        ByteBuffer out = buffer(y);
        float sf = (float) s;
        float[] largest = new float[pieces(n)];
        inPieces(n, (from, to) -> {
            FloatVector most = FloatVector.zero(F);
            int j = from;
            for (int end = from + F.loopBound(to - from); j < end; j += W) {
                FloatVector d = at(in, j).mul(sf);
                at(out, j).add(d).intoByteBuffer(out, j * 4, ORDER);
                most = most.max(d.abs());
            }
            float m = most.reduceLanes(VectorOperators.MAX);
            for (; j < to; j++) {
                float d = sf * in.getFloat(j * 4);
                out.putFloat(j * 4, out.getFloat(j * 4) + d);
                m = Math.max(m, Math.abs(d));
            }
            largest[from / CHUNK] = m;
        });
        float m = 0;
        for (float v : largest) {
            m = Math.max(m, v);
        }
        return m;
    }

    // ---- row-wise ----

    /** {@code exp(a - b)} with {@code a [..., c]} and {@code b [..., 1]}: the max-shifted exponentials of each row. */
    static INDArray expOfRowDifference(INDArray a, INDArray b) {
        INDArray out = like(a);
        int cols = (int) a.size(-1);
        ByteBuffer x = buffer(a);
        ByteBuffer m = buffer(b);
        ByteBuffer y = buffer(out);
        rows(a, r -> {
            int from = r * cols;
            int to = from + cols;
            float shift = m.getFloat(r * 4);
            int j = from;
            for (int end = from + F.loopBound(cols); j < end; j += W) {
                at(x, j).sub(shift).lanewise(VectorOperators.EXP).intoByteBuffer(y, j * 4, ORDER);
            }
            for (; j < to; j++) {
                y.putFloat(j * 4, (float) Math.exp(x.getFloat(j * 4) - shift));
            }
        });
        return out;
    }

    /** The largest entry of each row of {@code a [..., c]}, as {@code [..., 1]}; a NaN in a row is its maximum. */
    static INDArray rowMax(INDArray a) {
        return reduceRows(a, (x, from, to) -> {
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
        });
    }

    /** The sum of each row of {@code a [..., c]}, as {@code [..., 1]}. */
    static INDArray rowSum(INDArray a) {
        return reduceRows(a, (x, from, to) -> {
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
        });
    }

    /** One reduction's loop over elements {@code [from, to)} of {@code x}. */
    private interface Reduction {
        float run(ByteBuffer x, int from, int to);
    }

    /** {@code f} of each row of {@code a [..., c]}, as {@code [..., 1]}. */
    private static INDArray reduceRows(INDArray a, Reduction f) {
        long[] shape = a.shape().clone();
        shape[shape.length - 1] = 1;
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape);
        int cols = (int) a.size(-1);
        ByteBuffer x = buffer(a);
        ByteBuffer y = buffer(out);
        rows(a, r -> y.putFloat(r * 4, f.run(x, r * cols, r * cols + cols)));
        return out;
    }

    /** {@code sum_i a_bi b_bi} over everything but the first axis of {@code a, b [B, ...]}, as {@code [B]}. */
    static INDArray rowDot(INDArray a, INDArray b) {
        int rows = (int) a.size(0);
        int cols = (int) (a.length() / rows);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, rows);
        ByteBuffer x = buffer(a);
        ByteBuffer y = buffer(b);
        ByteBuffer z = buffer(out);
        forEach(rows, a.length(), r -> {
            int from = r * cols;
            int to = from + cols;
            FloatVector acc = FloatVector.zero(F);
            int j = from;
            for (int end = from + F.loopBound(cols); j < end; j += W) {
                acc = at(x, j).fma(at(y, j), acc);
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (; j < to; j++) {
                s += x.getFloat(j * 4) * y.getFloat(j * 4);
            }
            z.putFloat(r * 4, s);
        });
        return out;
    }

    // ---- plumbing ----

    /** The {@code W} floats from element {@code j} of {@code b}. */
    private static FloatVector at(ByteBuffer b, int j) {
        return FloatVector.fromByteBuffer(F, b, j * 4, ORDER);
    }

    /** A piece of element-wise work: elements {@code [from, to)}. */
    private interface Span {
        void run(int from, int to);
    }

    /** Runs {@code body} over elements {@code [0, n)} in pieces of {@code CHUNK}, on every core when {@code n} is large. */
    private static void inPieces(long n, Span body) {
        forEach(pieces(n), n, c -> body.run(c * CHUNK, (int) Math.min(n, (long) c * CHUNK + CHUNK)));
    }

    /** How many pieces {@link #inPieces} cuts {@code n} elements into. */
    private static int pieces(long n) {
        return (int) ((n + CHUNK - 1) / CHUNK);
    }

    private static void rows(INDArray a, IntConsumer row) {
        long cols = a.size(-1);
        forEach((int) (a.length() / cols), a.length(), row);
    }

    /** Runs {@code body} for {@code 0..n-1}, on every core when the work ({@code elements}) is large. */
    private static void forEach(int n, long elements, IntConsumer body) {
        if (elements < PARALLEL_ELEMENTS || n < 2) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
        } else {
            IntStream.range(0, n).parallel().forEach(body);
        }
    }

    private static INDArray like(INDArray a) {
        return Nd4j.createUninitialized(DataType.FLOAT, a.shape());
    }

    /** {@code a}'s elements from its first, in native byte order. */
    private static ByteBuffer buffer(INDArray a) {
        ByteBuffer all = a.data().asNio();
        return all.position((int) (a.offset() * 4)).slice().order(ORDER);
    }
}
