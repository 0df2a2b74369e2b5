package org.hamux.core.ops;

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

    enum Precision { FLOAT, DOUBLE }

    @Test
    void isUsedOnTheCpuBackend() {
        assertTrue(NativeGemm.ENABLED);
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
        assertTrue(a.mmul(b).equalsWithEps(EagerOps.INSTANCE.mmul(a, b), 1e-5));
        assertTrue(a.mmul(b).equalsWithEps(EagerOps.INSTANCE.mmul(a.transpose(), b, true, false), 1e-5));
    }
}
