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

    /** Whether {@code a} is a dense float32 matrix and {@code b} its column of one number per row. */
    static boolean rowsAndColumn(INDArray a, INDArray b) {
        return a.rank() == 2 && b.rank() == 2 && b.size(0) == a.size(0) && b.size(1) == 1 && dense(a) && dense(b);
    }

    /** Whether {@code axes} is the last axis of a rank-2 array. */
    static boolean lastAxisOfMatrix(INDArray a, int... axes) {
        return a.rank() == 2 && axes.length == 1 && (axes[0] == 1 || axes[0] == -1);
    }
}
