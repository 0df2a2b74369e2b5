package org.hamux.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.EagerOps;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softplus, log cosh and the max-shifted sums stay finite far from 0, and keep their constants. Exact checks
 * use settings that a float parameter holds exactly.
 */
class StabilityTest {

    private static void finiteAt(Lagrangian lag, DataType dtype) {
        Lagrangian l = lag.castTo(dtype);
        INDArray x = Nd4j.createFromArray(new double[][] {{1000, -1000, 0, 1000}, {-1000, -1000, -1000, -1000}}).castTo(dtype);
        INDArray v = l.value(EagerOps.INSTANCE, x);
        INDArray g = l.activation(EagerOps.INSTANCE, x);
        String what = l + " in " + dtype;
        assertFalse(v.isNaN().any() || v.isInfinite().any(), what + ": L = " + v);
        assertFalse(g.isNaN().any() || g.isInfinite().any(), what + ": g = " + g);
    }

    @Test
    void finiteAtPlusMinusThousand() {
        for (Lagrangian l : List.of(new TanhLagrangian(1.7), new SigmoidLagrangian(1.7, 2.5), new SoftmaxLagrangian(1.7),
                new GhostmaxLagrangian())) {
            finiteAt(l, DataType.FLOAT);
            finiteAt(l, DataType.DOUBLE);
        }
    }

    @Test
    void largeValuesAreExact() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1000, -1000}});
        // log cosh(1.25 x) / 1.25 = |x| - log 2 / 1.25 for large |x|
        double tanh = inDouble(new TanhLagrangian(1.25)).value(EagerOps.INSTANCE, x).getDouble(0);
        assertEquals(2000 - 2 * Math.log(2) / 1.25, tanh, 1e-9);
        // 2.5 / 1.25 softplus(1.25 x): 2.5 * 1000 for x = 1000, ~0 for x = -1000
        double sigmoid = inDouble(new SigmoidLagrangian(1.25, 2.5)).value(EagerOps.INSTANCE, x).getDouble(0);
        assertEquals(2500, sigmoid, 1e-9);
        // ghostmax: log(1 + e^1000 + e^-1000) = 1000
        double ghost = inDouble(new GhostmaxLagrangian()).value(EagerOps.INSTANCE, x).getDouble(0);
        assertEquals(1000, ghost, 1e-9);
    }

    @Test
    void constantsAreKept() {
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, 1, 3);
        assertEquals(3 * 2.5 * Math.log(2) / 1.25,
                inDouble(new SigmoidLagrangian(1.25, 2.5)).value(EagerOps.INSTANCE, zero).getDouble(0), 1e-12);
        assertEquals(0.0, inDouble(new TanhLagrangian(1.25)).value(EagerOps.INSTANCE, zero).getDouble(0), 1e-12);
        assertEquals(Math.log(4), inDouble(new GhostmaxLagrangian()).value(EagerOps.INSTANCE, zero).getDouble(0), 1e-12);
        assertEquals(3 / 0.5, inDouble(new RexpLagrangian(0.5)).value(EagerOps.INSTANCE, zero).getDouble(0), 1e-12);
    }

    private static Lagrangian inDouble(Lagrangian l) {
        return l.castTo(DataType.DOUBLE);
    }
}
