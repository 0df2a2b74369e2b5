package org.hamux.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.hamux.core.ops.Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Vector API kernels against double-precision loops, on sizes with and without a scalar tail, on views
 * with an offset, and on arrays large enough to be split between threads; and {@link FastOps} routing
 * float32 work to them.
 */
class VectorKernelsTest {

    private static final Cores CORES = new Cores(Runtime.getRuntime().availableProcessors());

    private static final Random RNG = new Random(7);

    /** The tests run with the module (surefire's argLine): the kernels are what they test. */
    @Test
    void kernelsAreEnabledInTheTestJvm() {
        assertTrue(Simd.AVAILABLE, "run the tests with --add-modules jdk.incubator.vector");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 17, 1000, 300_001})
    void elementwiseKernelsMatchDoubleReferences(int n) {
        INDArray a = random(n, 30);
        a.putScalar(0, 95.0);                                   // e^95 overflows float32, as in libnd4j
        if (n > 1) {
            a.putScalar(1, -120.0);                             // e^-120 underflows
        }
        check(a, VectorKernels.exp(CORES, a), Math::exp);
        check(a, VectorKernels.sigmoid(CORES, a), v -> 1 / (1 + Math.exp(-v)));
        check(a, VectorKernels.softplus(CORES, a), v -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 33, 1000, 5000})
    void rowKernelsMatchDoubleReferences(int cols) {
        int rows = cols == 5000 ? 200 : 5;                      // 200 x 5000 takes the threaded path
        INDArray a = random(rows * cols, 20).reshape(rows, cols);
        INDArray b = random(rows * cols, 1).reshape(rows, cols);
        double[][] x = a.toDoubleMatrix();
        double[][] y = b.toDoubleMatrix();
        INDArray max = VectorKernels.rowMax(CORES, a);
        INDArray sum = VectorKernels.rowSum(CORES, a);
        INDArray dot = VectorKernels.rowDot(CORES, a, b);
        INDArray shifted = VectorKernels.expOfRowDifference(CORES, a, max);
        INDArray lse = VectorKernels.rowLogSumExp(CORES, a);
        INDArray softmax = VectorKernels.rowSoftmax(CORES, a);
        INDArray[] fused = VectorKernels.rowSoftmaxWithLogSumExp(CORES, a);
        INDArray sd = VectorKernels.rowStandardDeviation(CORES, a, 1e-5);
        INDArray standard = VectorKernels.rowStandardize(CORES, a, 1e-5);
        assertArrayEquals(new long[] {rows, 1}, sd.shape());
        assertArrayEquals(new long[] {rows, 1}, max.shape());
        assertArrayEquals(new long[] {rows, 1}, sum.shape());
        assertArrayEquals(new long[] {rows}, dot.shape());
        assertArrayEquals(new long[] {rows, 1}, fused[1].shape());
        assertArrayEquals(a.shape(), fused[0].shape());
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            double s = 0;
            double d = 0;
            for (int c = 0; c < cols; c++) {
                m = Math.max(m, x[r][c]);
                s += x[r][c];
                d += x[r][c] * y[r][c];
            }
            double z = 0;
            for (int c = 0; c < cols; c++) {
                z += Math.exp(x[r][c] - m);
            }
            double mean = s / cols;
            double v = 0;
            for (int c = 0; c < cols; c++) {
                v += (x[r][c] - mean) * (x[r][c] - mean);
            }
            double dev = Math.sqrt(v / cols + 1e-5);
            assertEquals(dev, sd.getDouble(r, 0), 1e-5 * dev, "standard deviation of row " + r);
            for (int c = 0; c < cols; c++) {
                assertEquals((x[r][c] - mean) / dev, standard.getDouble(r, c), 1e-5 * (1 + cols * 20 / dev),
                        "standardised at " + r + "," + c);
            }
            assertEquals(m, max.getDouble(r, 0), 0.0, "max of row " + r);
            assertEquals(m + Math.log(z), lse.getDouble(r, 0), 2e-6 * Math.abs(m + Math.log(z)) + 1e-6, "lse of row " + r);
            assertEquals(m + Math.log(z), fused[1].getDouble(r, 0), 2e-6 * Math.abs(m + Math.log(z)) + 1e-6,
                    "lse with the soft-max, row " + r);
            assertEquals(s, sum.getDouble(r, 0), 1e-5 * (1 + cols * 20), "sum of row " + r);
            assertEquals(d, dot.getDouble(r), 1e-5 * (1 + cols * 20), "dot of row " + r);
            for (int c = 0; c < cols; c++) {
                double want = Math.exp((float) (x[r][c] - m));        // the difference is a float32 too
                assertEquals(want, shifted.getDouble(r, c), 2e-6 * want + 1e-37, "exp(a - max) at " + r + "," + c);
                double p = Math.exp(x[r][c] - m) / z;
                assertEquals(p, softmax.getDouble(r, c), 1e-5 * p + 1e-37, "softmax at " + r + "," + c);
                assertEquals(p, fused[0].getDouble(r, c), 1e-5 * p + 1e-37, "softmax with the lse at " + r + "," + c);
            }
        }
    }

    @Test
    void viewsWithAnOffsetAreReadFromTheirFirstElement() {
        INDArray all = random(40 * 9, 5).reshape(40, 9);
        INDArray rows = all.get(NDArrayIndex.interval(11, 17), NDArrayIndex.all());
        assertTrue(rows.offset() > 0 && Simd.dense(rows));
        assertEquals(rows.max(true, 1), VectorKernels.rowMax(CORES, rows));
        check(rows, VectorKernels.exp(CORES, rows), Math::exp);
        INDArray column = rows.max(true, 1);
        INDArray want = rows.subColumnVector(column);
        for (int i = 0; i < want.length(); i++) {
            want.putScalar(i, Math.exp(want.getDouble(i)));
        }
        assertTrue(want.equalsWithEps(VectorKernels.expOfRowDifference(CORES, rows, column), 1e-6));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 16, 50, 300_000})
    void binaryKernelsMatchNd4jOnOneShapeAndOnAColumn(int cols) {
        int rows = cols == 300_000 ? 2 : 4;
        INDArray a = random(2 * rows * cols, 3).reshape(2, rows, cols);
        INDArray b = random(2 * rows * cols, 3).reshape(2, rows, cols).addi(10);       // no division by ~0
        INDArray c = random(2 * rows, 3).reshape(2, rows, 1).addi(10);
        assertTrue(a.add(b).equalsWithEps(VectorKernels.binary(CORES, a, b, VectorKernels.Arith.ADD), 1e-6));
        assertTrue(a.sub(b).equalsWithEps(VectorKernels.binary(CORES, a, b, VectorKernels.Arith.SUB), 1e-6));
        assertTrue(a.mul(b).equalsWithEps(VectorKernels.binary(CORES, a, b, VectorKernels.Arith.MUL), 1e-5));
        assertTrue(a.div(b).equalsWithEps(VectorKernels.binary(CORES, a, b, VectorKernels.Arith.DIV), 1e-6));
        assertTrue(a.add(c).equalsWithEps(VectorKernels.binary(CORES, a, c, VectorKernels.Arith.ADD), 1e-6));
        assertTrue(a.div(c).equalsWithEps(VectorKernels.binary(CORES, a, c, VectorKernels.Arith.DIV), 1e-6));
        Ops<INDArray> o = FastOps.standard();
        assertTrue(a.mul(c).equalsWithEps(o.mul(a, c), 1e-5));
        assertTrue(a.sum(false, 2).equalsWithEps(o.sum(a, false, 2), 1e-2));
        assertArrayEquals(new long[] {2, rows}, o.max(a, false, -1).shape());
        assertTrue(a.max(true, 2).equalsWithEps(o.max(a, true, 2), 0));
        assertTrue(Transforms.relu(a, true).equalsWithEps(o.relu(a), 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 64, 300_001})
    void theEulerStepAddsInPlaceAndReturnsItsLargestChange(int n) {
        INDArray y = random(n, 2);
        INDArray x = random(n, 2);
        x.putScalar(n / 2, 40.0);
        INDArray want = y.add(x.mul(-0.1));
        double change = FastOps.standard().addScaledInPlace(y, -0.1, x);
        assertTrue(want.equalsWithEps(y, 1e-6));
        assertEquals(4.0, change, 1e-6);
        // the gradient may be the state itself (an identity layer alone): y <- 0.9 y
        INDArray z = y.dup();
        FastOps.standard().addScaledInPlace(y, -0.1, y);
        assertTrue(z.mul(0.9).equalsWithEps(y, 1e-6));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 64, 300_001})
    void theEulerStepReadsTheTermsOfTheGradientWithoutSummingThem(int n) {
        INDArray y = random(n, 2);
        INDArray d1 = random(n, 2);
        INDArray d2 = random(n, 2);
        d2.putScalar(n / 3, -50.0);
        // the layer's own term is the state itself: y <- y - 0.1 (y + d1 + d2)
        INDArray want = y.sub(y.add(d1).add(d2).mul(0.1));
        double largest = y.add(d1).add(d2).mul(0.1).amaxNumber().doubleValue();
        double change = FastOps.standard().addScaledInPlace(y, -0.1, List.of(y, d1, d2));
        assertTrue(want.equalsWithEps(y, 1e-5));
        assertEquals(largest, change, 1e-5);
        INDArray z = y.dup();
        assertEquals(0.1 * d1.amaxNumber().doubleValue(), FastOps.standard().addScaledInPlace(y, 0.1, List.of(d1)), 1e-6);
        assertTrue(z.add(d1.mul(0.1)).equalsWithEps(y, 1e-6));
        // float64 terms stay with ND4J, with the same result
        INDArray yd = z.castTo(DataType.DOUBLE);
        FastOps.standard().addScaledInPlace(yd, 0.1, List.of(d1.castTo(DataType.DOUBLE), d2.castTo(DataType.DOUBLE)));
        assertTrue(z.add(d1.add(d2).mul(0.1)).equalsWithEps(yd.castTo(DataType.FLOAT), 1e-5));
    }

    @Test
    void scalarArithmeticAndSumsOverTrailingAxes() {
        Ops<INDArray> o = FastOps.standard();
        INDArray a = random(3 * 5 * 37, 4).reshape(3, 5, 37);
        assertTrue(a.add(2.5).equalsWithEps(o.add(a, 2.5), 1e-6));
        assertTrue(a.mul(-0.3).equalsWithEps(o.mul(a, -0.3), 1e-6));
        assertTrue(a.sum(false, 1, 2).equalsWithEps(o.sum(a, false, 2, 1), 1e-3));
        assertTrue(a.sum(true, 1, 2).equalsWithEps(o.sum(a, true, 1, 2), 1e-3));
        assertArrayEquals(new long[] {3, 1, 1}, o.sum(a, true, 1, 2).shape());
        assertTrue(a.sum(false, 0, 1, 2).equalsWithEps(o.sum(a, false, 0, 1, 2), 1e-2));
        assertTrue(a.sum(false, 1).equalsWithEps(o.sum(a, false, 1), 1e-4));    // not trailing: ND4J's
        assertEquals(1, Simd.trailingAxes(a, 2, 1));
        assertEquals(-1, Simd.trailingAxes(a, 1));
        assertEquals(-1, Simd.trailingAxes(a, 2, 2));
        assertEquals(-1, Simd.trailingAxes(a, 0, 1, 2));
        assertEquals(DataType.FLOAT, o.sumPerSample(a).dataType());
        assertArrayEquals(new long[] {3}, o.sumPerSample(a).shape());
    }

    @Test
    void trailingBroadcastSquaresAndTheHeadPermutation() {
        Ops<INDArray> o = FastOps.standard();
        INDArray a = random(3 * 4 * 7 * 19, 2).reshape(3, 4, 7, 19);
        INDArray mask = random(7 * 19, 2).reshape(7, 19);
        assertTrue(a.add(mask.reshape(1, 1, 7, 19)).equalsWithEps(o.add(a, mask), 1e-6));
        assertTrue(a.mul(mask.reshape(1, 1, 7, 19)).equalsWithEps(o.mul(a, mask), 1e-5));
        assertTrue(Simd.trailingShape(a, mask) && !Simd.trailingShape(a, mask.reshape(19, 7)));
        assertTrue(a.mul(a).equalsWithEps(o.square(a), 1e-5));
        INDArray p = o.permute(a, 0, 2, 1, 3);
        assertArrayEquals(new long[] {3, 7, 4, 19}, p.shape());
        assertEquals(a.permute(0, 2, 1, 3).dup('c'), p);
        assertEquals(a, o.permute(p, 0, 2, 1, 3));
    }

    @Test
    void rowMajorArraysWithAxesOfOneAreDense() {
        INDArray column = Nd4j.create(DataType.FLOAT, 32, 4, 49, 1);
        assertTrue(Simd.dense(column));
        assertTrue(Simd.rowsAndColumn(Nd4j.create(DataType.FLOAT, 32, 4, 49, 49), column));
        INDArray transposed = Nd4j.create(DataType.FLOAT, 5, 3).transpose();
        assertTrue(!Simd.dense(transposed) && !Simd.dense(Nd4j.create(DataType.FLOAT, 5, 3).permute(1, 0)));
        assertTrue(!Simd.dense(Nd4j.create(DataType.FLOAT, 6, 4).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2))));
        assertTrue(!Simd.dense(Nd4j.create(DataType.DOUBLE, 5, 3)));
    }

    @Test
    void aNanInARowIsItsMaximum() {
        INDArray a = random(2 * 40, 1).reshape(2, 40);
        a.putScalar(1, 38, Double.NaN);
        INDArray max = VectorKernels.rowMax(CORES, a);
        assertTrue(Double.isFinite(max.getDouble(0, 0)));
        assertTrue(Double.isNaN(max.getDouble(1, 0)));
    }

    @Test
    void eagerOpsRouteFloat32ToTheKernelsAndKeepShapes() {
        Ops<INDArray> o = FastOps.standard();
        INDArray a = random(6 * 50, 3).reshape(6, 50);
        assertArrayEquals(new long[] {6}, o.sum(a, false, 1).shape());
        assertArrayEquals(new long[] {6, 1}, o.max(a, true, -1).shape());
        assertTrue(a.sum(false, 1).equalsWithEps(o.sum(a, false, 1), 1e-4));
        assertTrue(a.max(true, 1).equalsWithEps(o.max(a, true, 1), 0));
        // the fused row soft-max and log-sum-exp against their composition from ND4J ops
        INDArray lse = Transforms.log(Transforms.exp(a.sub(a.max(true, 1)), false).sum(true, 1), false).add(a.max(true, 1));
        assertArrayEquals(new long[] {6}, o.logSumExp(a, false, 1).shape());
        assertTrue(lse.equalsWithEps(o.logSumExp(a, true, -1), 1e-5));
        assertTrue(Transforms.exp(a.sub(lse), false).equalsWithEps(o.softmax(a, 1), 1e-6));
        Ops.Softmax<INDArray> both = o.softmaxWithLogSumExp(a, 1);
        assertTrue(lse.equalsWithEps(both.lse(), 1e-5));
        assertTrue(Transforms.exp(a.sub(lse), false).equalsWithEps(both.p(), 1e-6));
        INDArray x4 = random(2 * 3 * 4 * 5, 2).reshape(2, 3, 4, 5);
        assertArrayEquals(new long[] {2, 3, 4, 5}, o.softmax(x4, 3).shape());
        assertTrue(o.softmax(x4, 3).sum(3).equalsWithEps(Nd4j.ones(DataType.FLOAT, 2, 3, 4), 1e-6));
        assertArrayEquals(new long[] {2, 3, 4, 1}, o.softmaxWithLogSumExp(x4, 3).lse().shape());
        assertTrue(o.softmaxWithLogSumExp(x4, 3).p().equalsWithEps(o.softmax(x4, 3), 1e-6));
        INDArray x3 = random(4 * 6 * 5, 1).reshape(4, 6, 5);
        INDArray y3 = random(4 * 6 * 5, 1).reshape(4, 6, 5);
        assertTrue(x3.mul(y3).sum(1, 2).equalsWithEps(o.dotPerSample(x3, y3), 1e-5));
        // float64 stays with ND4J: the same values in double precision
        INDArray d = a.castTo(DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, o.softplus(d).dataType());
        assertTrue(o.softplus(d).castTo(DataType.FLOAT).equalsWithEps(o.softplus(a), 1e-5));
    }

    private static INDArray random(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * RNG.nextGaussian());
        }
        return Nd4j.createFromArray(v);
    }

    /** Each output within 2e-6 relative (or 1e-37 absolute) of the double reference of its (float) input. */
    private static void check(INDArray in, INDArray out, DoubleUnaryOperator f) {
        assertArrayEquals(in.shape(), out.shape());
        assertEquals(DataType.FLOAT, out.dataType());
        double[] x = in.dup().reshape(in.length()).toDoubleVector();
        double[] y = out.reshape(out.length()).toDoubleVector();
        for (int i = 0; i < x.length; i++) {
            double want = (float) f.applyAsDouble(x[i]);
            if (Double.isInfinite(want)) {
                assertEquals(want, y[i], "at " + i + " (x = " + x[i] + ")");
            } else {
                // relative, and absolute below float32's normal range (denormals may flush to zero)
                assertEquals(want, y[i], 2e-6 * Math.abs(want) + 1e-37, "at " + i + " (x = " + x[i] + ")");
            }
        }
    }
}
