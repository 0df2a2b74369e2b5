package org.hamux.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The optimizers and the schedule against hand-computed values. */
class OptimizerTest {

    private static INDArray a(double... v) {
        return Nd4j.create(v).castTo(DataType.DOUBLE);
    }

    @Test
    void sgdWithMomentumAccumulatesVelocity() {
        Optimizer o = new Optimizer(Optimizer.Settings.sgd(0.1, 0.9));
        INDArray p = a(1.0);
        o.step(Map.of("p", p), Map.of("p", a(2.0)), 0.1);   // v = 2, p = 1 - 0.2
        o.step(Map.of("p", p), Map.of("p", a(2.0)), 0.1);   // v = 3.8, p = 0.8 - 0.38
        assertEquals(0.42, p.getDouble(0), 1e-12);
    }

    @Test
    void adamsFirstStepIsTheLearningRateTimesTheSign() {
        Optimizer o = new Optimizer(Optimizer.Settings.adam(0.01));
        INDArray p = a(1.0, -1.0);
        o.step(Map.of("p", p), Map.of("p", a(3.0, -0.5)), 0.01);
        assertEquals(0.99, p.getDouble(0), 1e-8);
        assertEquals(-0.99, p.getDouble(1), 1e-8);
    }

    @Test
    void adamwDecaysTheWeightsApartFromTheGradient() {
        Optimizer o = new Optimizer(Optimizer.Settings.adamw(0.1, 0.5));
        INDArray p = a(2.0);
        o.step(Map.of("p", p), Map.of("p", a(1.0)), 0.1);   // p = 2 (1 - 0.05) - 0.1
        assertEquals(1.8, p.getDouble(0), 1e-8);
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        Map<String, INDArray> g = Map.of("a", a(3.0), "b", a(4.0));
        double norm = Optimizer.globalNorm(g);
        assertEquals(5.0, norm, 1e-12);
        assertEquals(0.2, Optimizer.clipFactor(norm, 1.0), 1e-12);
        assertEquals(1.0, Optimizer.clipFactor(norm, 6.0), 1e-12);
        assertEquals(1.0, Optimizer.clipFactor(norm, 0.0), 1e-12);
        INDArray p = a(1.0);
        new Optimizer(Optimizer.Settings.sgd(0.5, 0)).step(Map.of("a", p), Map.of("a", a(3.0)), 0.5, 0.2);
        assertEquals(0.7, p.getDouble(0), 1e-12);              // p - lr (0.2 g) = 1 - 0.5 * 0.6
        assertEquals(3.0, g.get("a").getDouble(0), 1e-12);     // the gradient itself is left alone
    }

    @Test
    void warmUpThenCosineDecay() {
        Schedule s = new Schedule("cosine", 4, 0.1);
        assertEquals(0.25, s.lr(1.0, 0, 14), 1e-12);
        assertEquals(1.0, s.lr(1.0, 3, 14), 1e-12);
        assertEquals(1.0, s.lr(1.0, 4, 14), 1e-12);
        assertEquals(0.1, s.lr(1.0, 13, 14), 1e-12);
        assertEquals(0.55, s.lr(1.0, 8, 13), 1e-12);   // half-way through the decay
    }
}
