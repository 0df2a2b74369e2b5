package org.hamux.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** layernorm and spherical act per token (row of the last axis): nothing is pooled over the batch or over tokens. */
class LayerNormPoolingTest {

    private static void changingOneTokenChangesOnlyThatToken(Lagrangian lag) {
        INDArray x = Numerics.rng(7).normal(DataType.DOUBLE, 0, 1, 3, 4, 5);
        INDArray g = lag.activation(EagerOps.INSTANCE, x);
        INDArray l = lag.value(EagerOps.INSTANCE, x);
        INDArray y = x.dup();
        for (int i = 0; i < 5; i++) {
            y.putScalar(new long[] {1, 2, i}, 3.0 * i - 4.0);
        }
        INDArray h = lag.activation(EagerOps.INSTANCE, y);
        INDArray m = lag.value(EagerOps.INSTANCE, y);
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 4; t++) {
                for (int i = 0; i < 5; i++) {
                    double before = g.getDouble(b, t, i);
                    double after = h.getDouble(b, t, i);
                    if (b == 1 && t == 2) {
                        assertNotEquals(before, after, lag + ": the changed token itself");
                    } else {
                        assertEquals(before, after, 0.0, lag + ": sample " + b + ", token " + t + ", unit " + i);
                    }
                }
            }
        }
        assertEquals(l.getDouble(0), m.getDouble(0), 0.0, lag + ": value of sample 0");
        assertEquals(l.getDouble(2), m.getDouble(2), 0.0, lag + ": value of sample 2");
    }

    @Test
    void layernormIsPerToken() {
        changingOneTokenChangesOnlyThatToken(inDouble(new LayerNormLagrangian(1.3, 0.2, 1e-5)));
        changingOneTokenChangesOnlyThatToken(inDouble(new LayerNormLagrangian(1.3,
                Nd4j.createFromArray(0.1, -0.2, 0.3, 0.0, 0.5), 1e-5)));
    }

    @Test
    void sphericalIsPerToken() {
        changingOneTokenChangesOnlyThatToken(inDouble(new SphericalLagrangian(1.3, 0.2, 1e-5)));
    }

    @Test
    void layernormActivationHasZeroMeanAndUnitVarianceTimesGamma() {
        INDArray x = Numerics.rng(8).normal(DataType.DOUBLE, 2, 3, 2, 4, 5);
        INDArray g = inDouble(new LayerNormLagrangian(1.5, 0.0, 1e-12)).activation(EagerOps.INSTANCE, x);
        INDArray mean = g.mean(true, 2);
        INDArray var = g.sub(mean).mul(g.sub(mean)).mean(2);
        for (double v : mean.reshape(mean.length()).toDoubleVector()) {
            assertEquals(0.0, v, 1e-12);
        }
        for (double v : var.reshape(var.length()).toDoubleVector()) {
            assertEquals(1.5 * 1.5, v, 1e-9);
        }
    }

    private static Lagrangian inDouble(Lagrangian l) {
        return l.castTo(DataType.DOUBLE);
    }
}
