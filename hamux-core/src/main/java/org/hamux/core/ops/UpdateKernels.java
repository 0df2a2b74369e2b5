package org.hamux.core.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Optimizer updates in one pass over a parameter, on the float32 kernels ({@link VectorKernels}) where they take the
 * arrays: an Adam step of the parameter and its two moments reads and writes each element once instead of some ten
 * ND4J ops.
 */
public final class UpdateKernels {

    private UpdateKernels() {
    }

    /**
     * Adam's update in place, {@code g' = s g + l2 p}, {@code m <- b1 m + (1 - b1) g'}, {@code v <- b2 v + (1 - b2) g'^2},
     * {@code p <- decay p - (lr / c1) m / (sqrt(v / c2) + eps)}, when the kernels take the arrays (dense float32 of one
     * shape); returns false and changes nothing otherwise. {@code g} is read, never written.
     */
    public static boolean adam(INDArray p, INDArray g, INDArray m, INDArray v, double s, double l2, double b1, double b2,
                               double lrOverC1, double c2, double eps, double decay) {
        if (!Simd.sameShape(p, g) || !Simd.sameShape(p, m) || !Simd.sameShape(p, v)) {
            return false;
        }
        VectorKernels.adam(p, g, m, v, new float[] {(float) s, (float) l2, (float) b1, (float) b2, (float) lrOverC1,
                (float) c2, (float) eps, (float) decay});
        return true;
    }
}
