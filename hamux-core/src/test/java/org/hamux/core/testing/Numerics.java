package org.hamux.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.hamux.core.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared test numerics: fixed seeds, central finite differences, closeness with a located message. */
public final class Numerics {

    /** The one seed of the test suite. */
    public static final long SEED = 20261122L;

    private Numerics() {
    }

    /** A seeded generator for a test: the same {@code salt} gives the same numbers. */
    public static Rng rng(long salt) {
        return new Rng(SEED + salt);
    }

    /**
     * A {@code rows x cols} array of {@code N(0, std^2)} samples drawn from {@code random}, row by row: plain Java
     * numbers for the references that recompute a formula in loops.
     */
    public static double[][] normal(java.util.Random random, int rows, int cols, double std) {
        double[][] a = new double[rows][cols];
        for (double[] r : a) {
            for (int j = 0; j < cols; j++) {
                r[j] = std * random.nextGaussian();
            }
        }
        return a;
    }

    /**
     * Central finite differences of {@code sum_b f(inputs)} with respect to input {@code which}:
     * {@code (f(a + h e_i) - f(a - h e_i)) / 2h}, in double precision.
     */
    public static INDArray finiteDifference(Function<List<INDArray>, INDArray> f, List<INDArray> inputs, int which, double h) {
        List<INDArray> in = new ArrayList<>();
        inputs.forEach(a -> in.add(a.castTo(DataType.DOUBLE).dup()));
        INDArray a = in.get(which);
        INDArray grad = a.like();
        INDArray flat = a.reshape(a.length());
        INDArray gflat = grad.reshape(grad.length());
        for (long i = 0; i < a.length(); i++) {
            double v = flat.getDouble(i);
            flat.putScalar(i, v + h);
            double plus = f.apply(in).sumNumber().doubleValue();
            flat.putScalar(i, v - h);
            double minus = f.apply(in).sumNumber().doubleValue();
            flat.putScalar(i, v);
            gflat.putScalar(i, (plus - minus) / (2 * h));
        }
        return grad;
    }

    /** Fails unless {@code |a - b| <= atol + rtol |b|} everywhere and the shapes agree. */
    public static void assertClose(INDArray expected, INDArray actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.castTo(DataType.DOUBLE).reshape(expected.length()).toDoubleVector();
        double[] x = actual.castTo(DataType.DOUBLE).reshape(actual.length()).toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - x[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + x[i]
                        + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }
}
