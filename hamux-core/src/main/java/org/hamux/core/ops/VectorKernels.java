package org.hamux.core.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * row-major float32 arrays ({@link Simd#dense}) and returns a new array of the workspace in scope.
 */
final class VectorKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Arrays larger than this are split between the cores; below it a second thread costs more than it saves. */
    private static final long PARALLEL_ELEMENTS = 1 << 18;

    private VectorKernels() {
    }

    /** {@code exp(a)} element-wise. */
    static INDArray exp(INDArray a) {
        return map(a, VectorOperators.EXP, Kind.EXP);
    }

    /** {@code 1 / (1 + exp(-a))} element-wise. */
    static INDArray sigmoid(INDArray a) {
        return map(a, null, Kind.SIGMOID);
    }

    /** {@code log(1 + exp(a)) = max(a, 0) + log1p(exp(-|a|))} element-wise: no overflow for large {@code a}. */
    static INDArray softplus(INDArray a) {
        return map(a, null, Kind.SOFTPLUS);
    }

    /** {@code exp(a - b)} with {@code a [r, c]} and {@code b [r, 1]}: the max-shifted exponentials of each row. */
    static INDArray expOfRowDifference(INDArray a, INDArray b) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, a.shape());
        int rows = (int) a.size(0);
        int cols = (int) a.size(1);
        ByteBuffer in = buffer(a);
        ByteBuffer shift = buffer(b);
        ByteBuffer res = buffer(out);
        long ai = byteOffset(a);
        long bi = byteOffset(b);
        long oi = byteOffset(out);
        rows(rows, (long) rows * cols, r -> {
            long base = (long) r * cols * Float.BYTES;
            FloatVector m = FloatVector.broadcast(F, shift.getFloat((int) (bi + (long) r * Float.BYTES)));
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
                FloatVector.fromByteBuffer(F, in, (int) (ai + base) + j * Float.BYTES, ORDER).sub(m)
                        .lanewise(VectorOperators.EXP).intoByteBuffer(res, (int) (oi + base) + j * Float.BYTES, ORDER);
            }
            float ms = m.lane(0);
            for (; j < cols; j++) {
                int at = (int) (base + (long) j * Float.BYTES);
                res.putFloat((int) oi + at, (float) Math.exp(in.getFloat((int) ai + at) - ms));
            }
        });
        return out;
    }

    /** The largest entry of each row of {@code a [r, c]}, as {@code [r, 1]}. */
    static INDArray rowMax(INDArray a) {
        return rowReduce(a, true);
    }

    /** The sum of each row of {@code a [r, c]}, as {@code [r, 1]}. */
    static INDArray rowSum(INDArray a) {
        return rowReduce(a, false);
    }

    /** {@code sum_i a_bi b_bi} over each row of {@code a, b [r, c]}, as {@code [r]}. */
    static INDArray rowDot(INDArray a, INDArray b) {
        int rows = (int) a.size(0);
        int cols = (int) (a.length() / rows);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, rows);
        ByteBuffer x = buffer(a);
        ByteBuffer y = buffer(b);
        ByteBuffer res = buffer(out);
        long ai = byteOffset(a);
        long bi = byteOffset(b);
        long oi = byteOffset(out);
        rows(rows, a.length(), r -> {
            long base = (long) r * cols * Float.BYTES;
            FloatVector acc = FloatVector.zero(F);
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
                acc = FloatVector.fromByteBuffer(F, x, (int) (ai + base) + j * Float.BYTES, ORDER)
                        .fma(FloatVector.fromByteBuffer(F, y, (int) (bi + base) + j * Float.BYTES, ORDER), acc);
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (; j < cols; j++) {
                int at = (int) (base + (long) j * Float.BYTES);
                s += x.getFloat((int) ai + at) * y.getFloat((int) bi + at);
            }
            res.putFloat((int) (oi + (long) r * Float.BYTES), s);
        });
        return out;
    }

    private enum Kind { EXP, SIGMOID, SOFTPLUS }

    private static INDArray map(INDArray a, VectorOperators.Unary op, Kind kind) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, a.shape());
        long n = a.length();
        ByteBuffer in = buffer(a);
        ByteBuffer res = buffer(out);
        long ai = byteOffset(a);
        long oi = byteOffset(out);
        // chunks of whole vectors, so that only the last chunk has a scalar tail
        int chunk = Math.max(F.length(), (int) Math.min(n, 1 << 16) / F.length() * F.length());
        int chunks = (int) ((n + chunk - 1) / chunk);
        rows(chunks, n, c -> {
            int from = c * chunk;
            int to = (int) Math.min(n, (long) from + chunk);
            int j = from;
            for (int bound = from + F.loopBound(to - from); j < bound; j += F.length()) {
                FloatVector v = FloatVector.fromByteBuffer(F, in, (int) ai + j * Float.BYTES, ORDER);
                apply(v, op, kind).intoByteBuffer(res, (int) oi + j * Float.BYTES, ORDER);
            }
            for (; j < to; j++) {
                res.putFloat((int) oi + j * Float.BYTES, scalar(in.getFloat((int) ai + j * Float.BYTES), kind));
            }
        });
        return out;
    }

    private static FloatVector apply(FloatVector v, VectorOperators.Unary op, Kind kind) {
        switch (kind) {
            case EXP:
                return v.lanewise(op);
            case SIGMOID:
                // 1 / (1 + e^-v)
                return FloatVector.broadcast(F, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
            default:
                // max(v, 0) + log1p(e^-|v|)
                return v.max(0f).add(v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
        }
    }

    private static float scalar(float v, Kind kind) {
        switch (kind) {
            case EXP:
                return (float) Math.exp(v);
            case SIGMOID:
                return (float) (1 / (1 + Math.exp(-v)));
            default:
                return (float) (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
        }
    }

    private static INDArray rowReduce(INDArray a, boolean max) {
        int rows = (int) a.size(0);
        int cols = (int) a.size(1);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, rows, 1);
        ByteBuffer in = buffer(a);
        ByteBuffer res = buffer(out);
        long ai = byteOffset(a);
        long oi = byteOffset(out);
        VectorOperators.Associative op = max ? VectorOperators.MAX : VectorOperators.ADD;
        rows(rows, a.length(), r -> {
            long base = ai + (long) r * cols * Float.BYTES;
            FloatVector acc = FloatVector.broadcast(F, max ? Float.NEGATIVE_INFINITY : 0f);
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += F.length()) {
                FloatVector v = FloatVector.fromByteBuffer(F, in, (int) base + j * Float.BYTES, ORDER);
                acc = max ? acc.max(v) : acc.add(v);
            }
            float s = acc.reduceLanes(op);
            for (; j < cols; j++) {
                float v = in.getFloat((int) base + j * Float.BYTES);
                // Math.max, like the vector max, passes a NaN on
                s = max ? Math.max(s, v) : s + v;
            }
            res.putFloat((int) (oi + (long) r * Float.BYTES), s);
        });
        return out;
    }

    /** Runs {@code body} for {@code 0..n-1}, on every core when the work ({@code elements}) is large. */
    private static void rows(int n, long elements, java.util.function.IntConsumer body) {
        if (elements < PARALLEL_ELEMENTS || n < 2) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
        } else {
            IntStream.range(0, n).parallel().forEach(body);
        }
    }

    private static ByteBuffer buffer(INDArray a) {
        return a.data().asNio().order(ORDER);
    }

    private static long byteOffset(INDArray a) {
        return a.offset() * Float.BYTES;
    }
}
