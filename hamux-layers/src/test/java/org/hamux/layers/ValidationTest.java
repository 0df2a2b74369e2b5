package org.hamux.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.factory.Nd4j;

/** Hyperparameters are checked when a Lagrangian is made, with a message that names the setting. */
class ValidationTest {

    private static void rejects(String words, Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    @Test
    void badSettingsAreRejected() {
        rejects("n must be", () -> new RepuLagrangian(1.0));
        rejects("n must be", () -> new RepuLagrangian(Double.NaN));
        rejects("beta must be positive", () -> new ExpLagrangian(0));
        rejects("beta must be positive", () -> new RexpLagrangian(-1));
        rejects("beta must be positive", () -> new TanhLagrangian(Double.POSITIVE_INFINITY));
        rejects("scale must be positive", () -> new SigmoidLagrangian(1, -2));
        rejects("beta must be positive", () -> new SoftmaxLagrangian(-0.5, -1));
        rejects("gamma must be positive", () -> new LayerNormLagrangian(0, 0.0, 1e-5));
        rejects("eps must be positive", () -> new LayerNormLagrangian(1, 0.0, 0));
        rejects("delta must be finite", () -> new SphericalLagrangian(1, Double.NaN, 1e-5));
        rejects("delta must be a number or a vector", () -> new SphericalLagrangian(1, Nd4j.zeros(2, 3), 1e-5));
    }

    @Test
    void shapesAreChecked() {
        rejects("axis 2 is out of range", () -> new SoftmaxLagrangian(1, 2).check(new long[] {4, 5}));
        rejects("axis -3 is out of range", () -> new GhostmaxLagrangian(-3).check(new long[] {4, 5}));
        new SoftmaxLagrangian(1, -2).check(new long[] {4, 5});
        rejects("delta has length 3", () -> new LayerNormLagrangian(1, Nd4j.createFromArray(1f, 2f, 3f), 1e-5)
                .check(new long[] {4, 5}));
        new LayerNormLagrangian(1, Nd4j.createFromArray(1f, 2f, 3f, 4f, 5f), 1e-5).check(new long[] {4, 5});
    }

    @Test
    void describesItselfWithJsonNames() {
        assertEquals("Softmax(beta=2.5, axis=0)", new SoftmaxLagrangian(2.5, 0).toString());
        assertEquals("Layernorm(gamma=1.0, delta=array[5], eps=1.0E-5)",
                new LayerNormLagrangian(1, Nd4j.createFromArray(1f, 2f, 3f, 4f, 5f), 1e-5).toString());
        assertEquals("Repu(n=3.0)", new RepuLagrangian(3).toString());
    }
}
