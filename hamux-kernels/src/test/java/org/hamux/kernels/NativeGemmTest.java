package org.hamux.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The direct OpenBLAS products against ND4J's own, every transpose, both precisions, views with an offset. */
class NativeGemmTest {

    private static final Cores CORES = new Cores(Runtime.getRuntime().availableProcessors());

    enum Precision { FLOAT, DOUBLE }

    @Test
    void isUsedOnTheCpuBackend() {
        assertTrue(NativeGemm.AVAILABLE);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyTransposeAndAScaleMatchNd4j(Precision p) {
        DataType t = DataType.valueOf(p.name());
        double tol = t == DataType.FLOAT ? 1e-4 : 1e-12;
        Nd4j.getRandom().setSeed(3);
        int m = 7;
        int k = 13;
        int n = 5;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                INDArray a = Nd4j.randn(t, ta ? k : m, ta ? m : k);
                INDArray b = Nd4j.randn(t, tb ? n : k, tb ? k : n);
                INDArray want = Nd4j.gemm(a, b, ta, tb).muli(-0.5);
                INDArray got = NativeGemm.gemm(a, b, ta, tb, -0.5);
                assertEquals(t, got.dataType());
                assertArrayEquals(new long[] {m, n}, got.shape());
                assertTrue(want.equalsWithEps(got, tol), "transA " + ta + ", transB " + tb);
            }
        }
    }

    @Test
    void rowRangesOfALargerArrayAreReadFromTheirFirstElement() {
        INDArray all = Nd4j.linspace(-1, 1, 60, DataType.DOUBLE).reshape(10, 6);
        INDArray a = all.get(NDArrayIndex.interval(4, 7), NDArrayIndex.all());        // offset 24, rows 4..6
        INDArray b = Nd4j.linspace(0, 1, 12, DataType.DOUBLE).reshape(6, 2);
        assertTrue(NativeGemm.takes(a, b));
        assertTrue(a.dup().mmul(b).equalsWithEps(NativeGemm.gemm(a, b, false, false, 1.0), 1e-12));
    }

    @Test
    void stridedViewsAndMixedTypesStayWithNd4j() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 6);
        assertFalse(NativeGemm.takes(a.transpose(), a));                               // a column-major view
        assertFalse(NativeGemm.takes(a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)), a));
        assertFalse(NativeGemm.takes(a, a.castTo(DataType.DOUBLE)));
        assertFalse(NativeGemm.takes(a.castTo(DataType.INT), a.castTo(DataType.INT)));
        assertThrows(IllegalArgumentException.class, () -> NativeGemm.gemm(a, a, false, false, 1.0));
    }

    @Test
    void eagerOpsTakesThisPathAndStillHandlesTransposedViews() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray b = Nd4j.rand(DataType.FLOAT, 6, 3);
        assertTrue(a.mmul(b).equalsWithEps(FastOps.standard().mmul(a, b), 1e-5));
        assertTrue(a.mmul(b).equalsWithEps(FastOps.standard().mmul(a.transpose(), b, true, false), 1e-5));
    }

    /** {@code s[b,h,q,k] = scale_h sum_y a[b,q,h,y] c[b,k,h,y] + bias[q,k]}, element by element (bias may be null). */
    private static INDArray scoresByLoops(INDArray a, INDArray c, double[] scale, INDArray bias) {
        long bs = a.size(0), nq = a.size(1), hs = a.size(2), ys = a.size(3), nk = c.size(1);
        INDArray s = Nd4j.zeros(DataType.DOUBLE, bs, hs, nq, nk);
        for (long b = 0; b < bs; b++) for (long h = 0; h < hs; h++) for (long q = 0; q < nq; q++) for (long k = 0; k < nk; k++) {
            double v = 0;
            for (long y = 0; y < ys; y++) {
                v += a.getDouble(b, q, h, y) * c.getDouble(b, k, h, y);
            }
            s.putScalar(new long[] {b, h, q, k}, scale[scale.length == 1 ? 0 : (int) h] * v + (bias == null ? 0 : bias.getDouble(q, k)));
        }
        return s;
    }

    /** {@code r[b,i,h,y] = sum_j p[b,h,i,j] v[b,j,h,y]} (with {@code transP}: {@code p[b,h,j,i]}), element by element. */
    private static INDArray mixByLoops(INDArray p, INDArray v, boolean transP) {
        long bs = p.size(0), hs = p.size(1), m = transP ? p.size(3) : p.size(2), n = v.size(1), ys = v.size(3);
        INDArray r = Nd4j.zeros(DataType.DOUBLE, bs, m, hs, ys);
        for (long b = 0; b < bs; b++) for (long h = 0; h < hs; h++) for (long i = 0; i < m; i++) for (long y = 0; y < ys; y++) {
            double t = 0;
            for (long j = 0; j < n; j++) {
                t += (transP ? p.getDouble(b, h, j, i) : p.getDouble(b, h, i, j)) * v.getDouble(b, j, h, y);
            }
            r.putScalar(new long[] {b, i, h, y}, t);
        }
        return r;
    }

    /**
     * Per-head products on arrays laid out per token, against loops: small heads (shared out between the
     * cores), heads big enough for OpenBLAS's own threads (in turn), both precisions; one operand a view with
     * an offset, the other a range of the heads of a larger array (rows further apart than their length); a
     * scale per head and a bias.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void perHeadProductsMatchLoops(Precision p) {
        DataType t = DataType.valueOf(p.name());
        double tol = t == DataType.FLOAT ? 1e-4 : 1e-12;
        Nd4j.getRandom().setSeed(5);
        for (long[] size : new long[][] {{3, 5, 4, 2, 3}, {2, 70, 66, 2, 64}}) {           // B, Nq, Nk, H, Y
            long bs = size[0], nq = size[1], nk = size[2], hs = size[3], ys = size[4];
            INDArray a = Nd4j.randn(t, bs + 1, nq, hs, ys).get(NDArrayIndex.interval(1, bs + 1));   // offset view
            INDArray c = Nd4j.randn(t, bs, nk, 2 * hs, ys).get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(hs, 2 * hs), NDArrayIndex.all());                       // the last H heads
            assertTrue(NativeGemm.takesHeads(a, c));
            double[] scale = {0.5, -2.0};
            INDArray bias = Nd4j.randn(t, nq, nk);
            INDArray s = NativeGemm.headScores(CORES, a, c, scale, bias);
            assertArrayEquals(new long[] {bs, hs, nq, nk}, s.shape());
            assertTrue(scoresByLoops(a, c, scale, bias).equalsWithEps(s.castTo(DataType.DOUBLE), tol), "scores " + nq + "x" + nk);
            INDArray plain = NativeGemm.headScores(CORES, a, c, new double[] {1}, null);
            assertTrue(scoresByLoops(a, c, new double[] {1}, null).equalsWithEps(plain.castTo(DataType.DOUBLE), tol));
            INDArray pr = Nd4j.rand(t, bs, hs, nq, nk);
            INDArray r = NativeGemm.headMix(CORES, pr, c, false);
            assertArrayEquals(new long[] {bs, nq, hs, ys}, r.shape());
            assertTrue(mixByLoops(pr, c, false).equalsWithEps(r.castTo(DataType.DOUBLE), tol), "mix " + nq + "x" + nk);
            INDArray rt = NativeGemm.headMix(CORES, pr, a, true);
            assertArrayEquals(new long[] {bs, nk, hs, ys}, rt.shape());
            assertTrue(mixByLoops(pr, a, true).equalsWithEps(rt.castTo(DataType.DOUBLE), tol), "mix^T " + nq + "x" + nk);
            // both sums of a square p side by side on the heads axis: p [B, H, N, N], v, u [B, N, H, Y]
            INDArray sq = Nd4j.rand(t, bs, hs, nq, nq);
            INDArray v = Nd4j.randn(t, bs, nq, 2 * hs, ys).get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, hs), NDArrayIndex.all());
            INDArray both = NativeGemm.headMixBoth(CORES, sq, v, a);
            assertArrayEquals(new long[] {bs, nq, 2 * hs, ys}, both.shape());
            INDArray want = Nd4j.concat(2, mixByLoops(sq, v, false), mixByLoops(sq, a, true));
            assertTrue(want.equalsWithEps(both.castTo(DataType.DOUBLE), tol), "both mixes " + nq + "x" + nq);
            assertTrue(want.equalsWithEps(FastOps.standard().headMixBoth(sq, v, a).castTo(DataType.DOUBLE), tol));
        }
    }

    @Test
    void eagerOpsPerHeadProductsAgreeOnDenseArraysAndOnStridedViews() {
        Nd4j.getRandom().setSeed(6);
        INDArray a = Nd4j.randn(DataType.FLOAT, 2, 5, 3, 4);
        INDArray c = Nd4j.randn(DataType.FLOAT, 2, 6, 3, 4);
        INDArray cView = Nd4j.randn(DataType.FLOAT, 2, 6, 4, 3).permute(0, 1, 3, 2);   // the last axis strided
        cView.assign(c);
        assertFalse(NativeGemm.takesHeads(a, cView));                                 // stays with the batched product
        assertTrue(NativeGemm.takesHeads(a, Nd4j.rand(DataType.FLOAT, 2, 3, 6, 4).permute(0, 2, 1, 3)));   // heads first
        INDArray beta = Nd4j.createFromArray(0.5f, 1f, 2f);
        INDArray bias = Nd4j.randn(DataType.FLOAT, 5, 6);
        INDArray want = scoresByLoops(a, c, new double[] {0.5, 1, 2}, bias);
        FastOps o = FastOps.standard();
        assertTrue(want.equalsWithEps(o.headScores(a, c, beta, bias).castTo(DataType.DOUBLE), 1e-4));
        assertTrue(want.equalsWithEps(o.headScores(a, cView, beta, bias).castTo(DataType.DOUBLE), 1e-4));
        assertTrue(scoresByLoops(a, c, new double[] {0.25}, null).equalsWithEps(
                o.headScores(a, cView, Nd4j.scalar(0.25f), null).castTo(DataType.DOUBLE), 1e-4));
        INDArray pr = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 6);
        assertTrue(mixByLoops(pr, cView, false).equalsWithEps(o.headMix(pr, cView, false).castTo(DataType.DOUBLE), 1e-4));
        assertTrue(mixByLoops(pr, a, true).equalsWithEps(o.headMix(pr, a, true).castTo(DataType.DOUBLE), 1e-4));
        assertThrows(IllegalArgumentException.class, () -> NativeGemm.headMix(CORES, pr, a, false));
        assertThrows(IllegalArgumentException.class, () -> NativeGemm.headScores(CORES, a, pr, new double[] {1}, null));
        assertThrows(IllegalArgumentException.class, () -> NativeGemm.headScores(CORES, a, c, new double[] {1, 2}, null));
        assertThrows(IllegalArgumentException.class, () -> NativeGemm.headScores(CORES, a, c, new double[] {1}, bias.transpose()));
    }

    /** Joined along every axis, dense and not (a transposed view goes to Nd4j.concat), as Nd4j.concat joins them. */
    @Test
    void eagerOpsJoinsAndSlicesAlongAnyAxis() {
        FastOps o = FastOps.standard();
        INDArray a = Nd4j.linspace(1, 24, 24, DataType.DOUBLE).reshape(2, 3, 4);
        for (int axis = 0; axis < 3; axis++) {
            long[] sb = a.shape().clone();
            sb[axis] = 2;
            INDArray b = Nd4j.rand(DataType.DOUBLE, sb);
            INDArray joined = o.concat(axis, a, b);
            assertEquals(Nd4j.concat(axis, a, b), joined, "axis " + axis);
            assertEquals(a, o.slice(joined, axis, 0, a.size(axis)));
            assertEquals(b, o.slice(joined, axis - 3, a.size(axis), joined.size(axis)));
        }
        INDArray m = Nd4j.rand(DataType.FLOAT, 3, 5);
        INDArray rows = Nd4j.rand(DataType.FLOAT, 10, 5).get(NDArrayIndex.interval(4, 7), NDArrayIndex.all());
        assertEquals(Nd4j.concat(1, m, rows), o.concat(1, m, rows));                   // a view with an offset
        assertEquals(Nd4j.concat(0, m, m.transpose().transpose().dup('f')), o.concat(0, m, m.dup('f')));
    }
}
