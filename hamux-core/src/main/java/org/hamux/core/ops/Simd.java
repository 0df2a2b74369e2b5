package org.hamux.core.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether {@link EagerOps} hands float32 work to the {@link VectorKernels}: when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code hamux} launcher and the tests do), ND4J keeps its
 * arrays in host memory (the CPU backend), and the system property {@code hamux.simd} is not {@code false}.
 * Otherwise every op stays with ND4J, with the same results to float32 rounding.
 */
final class Simd {

    /** Whether the kernels are in use in this JVM. */
    static final boolean ENABLED = !"false".equals(System.getProperty("hamux.simd"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Nd4j.getEnvironment().isCPU();

    private Simd() {
    }

    /** Whether the kernels take {@code a}: a dense row-major float32 array the JDK can address as one buffer. */
    static boolean dense(INDArray a) {
        return ENABLED && a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isEmpty()
                && Shape.hasDefaultStridesForShape(a) && (a.offset() + a.length()) * Float.BYTES < Integer.MAX_VALUE;
    }

    /**
     * Whether {@code a [..., c]} (rank 2 or more) and {@code b [..., 1]} are dense float32 arrays: {@code b} holds
     * one number per row of {@code a} (a row: the last axis).
     */
    static boolean rowsAndColumn(INDArray a, INDArray b) {
        int r = a.rank();
        if (r < 2 || b.rank() != r || b.size(-1) != 1 || a.size(-1) == 1) {
            return false;
        }
        for (int i = 0; i < r - 1; i++) {
            if (a.size(i) != b.size(i)) {
                return false;
            }
        }
        return dense(a) && dense(b);
    }

    /** Whether {@code a} and {@code b} are dense float32 arrays of one shape. */
    static boolean sameShape(INDArray a, INDArray b) {
        return a.length() == b.length() && java.util.Arrays.equals(a.shape(), b.shape()) && dense(a) && dense(b);
    }

    /** Whether {@code axes} names only the last axis of {@code a}, of rank 2 or more. */
    static boolean lastAxis(INDArray a, int... axes) {
        return a.rank() >= 2 && axes.length == 1 && (axes[0] == a.rank() - 1 || axes[0] == -1);
    }
}
