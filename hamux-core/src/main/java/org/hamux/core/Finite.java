package org.hamux.core;

import java.util.Arrays;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The check that input arrays hold numbers: a NaN or an infinity in a state, a mask or a parameter is refused. */
public final class Finite {

    private Finite() {
    }

    /**
     * Null when every element of {@code a} is finite (or {@code a} is not floating point), else a description of the
     * first that is not: {@code "NaN at index [1, 3] (shape [2, 5])"}.
     */
    public static String firstBad(INDArray a) {
        if (!a.dataType().isFPType() || a.isEmpty() || (!a.isNaN().any() && !a.isInfinite().any())) {
            return null;
        }
        INDArray flat = a.ravel();
        for (long i = 0; i < flat.length(); i++) {
            double x = flat.getDouble(i);
            if (!Double.isFinite(x)) {
                long[] at = new long[a.rank()];
                long rest = i;
                for (int k = at.length - 1; k >= 0; k--) {                  // the flat index as row-major indices
                    at[k] = rest % a.size(k);
                    rest /= a.size(k);
                }
                return x + " at index " + Arrays.toString(at) + " (shape " + Shapes.str(a.shape()) + ")";
            }
        }
        return null;
    }

    /** Fails with a message naming {@code what} and the first value of {@code a} that is not finite. */
    public static void check(INDArray a, String what) {
        String bad = firstBad(a);
        if (bad != null) {
            throw new HamuxException(what + " holds " + bad + "; every value must be finite");
        }
    }
}
