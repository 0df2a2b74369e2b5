package org.hamux.core.testing;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.SameDiffGradients;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Lagrangian} must satisfy; an implementation's test extends this in a few lines.
 * All checks run in double precision on a batch of {@link #BATCH} samples.
 */
public abstract class LagrangianContract {

    protected static final int BATCH = 3;

    /** The Lagrangian under test, with non-default parameters where it has any. */
    protected abstract Lagrangian lagrangian();

    /** The per-sample shape to test on. */
    protected long[] shape() {
        return new long[] {5};
    }

    /** A batch of states {@code [BATCH, ...shape]} in the Lagrangian's domain, in double precision. */
    protected INDArray states() {
        return Numerics.rng(1).normal(DataType.DOUBLE, 0, 1, Shapes.withBatch(BATCH, shape()));
    }

    private Lagrangian doubled() {
        return lagrangian().castTo(DataType.DOUBLE);
    }

    @Test
    void valueHasOneNumberPerSample() {
        INDArray l = doubled().value(EagerOps.INSTANCE, states());
        assertArrayEquals(new long[] {BATCH}, l.shape());
        assertFalse(l.isNaN().any() || l.isInfinite().any(), "L(x) is not finite: " + l);
    }

    @Test
    void activationEqualsAutodiffOfLagrangian() {
        Lagrangian lag = doubled();
        INDArray x = states();
        INDArray g = lag.activation(EagerOps.INSTANCE, x);
        INDArray ad = SameDiffGradients.gradients(in -> lag.value(new GraphOps(in.get(0).v().getSameDiff(), DataType.DOUBLE), in.get(0)),
                List.of(x)).get(0);
        assertClose(ad, g, 1e-9, 1e-12, lag + ": activation vs SameDiff autodiff of L");
    }

    @Test
    void activationEqualsFiniteDifferencesOfLagrangian() {
        Lagrangian lag = doubled();
        INDArray x = states();
        INDArray g = lag.activation(EagerOps.INSTANCE, x);
        INDArray fd = Numerics.finiteDifference(in -> lag.value(EagerOps.INSTANCE, in.get(0)), List.of(x), 0, 1e-6);
        assertClose(fd, g, 1e-6, 1e-8, lag + ": activation vs finite differences of L");
    }

    @Test
    void engineDifferentiatesTheValueEnergyAndActivationInStatesAndParameters() {
        EngineChecks.assertSecondOrder(lagrangian(), states(), 1e-5);
    }

    @Test
    void energyGradientWithRespectToActivationIsTheState() {
        // E(x) = <x, g(x)> - L(x); dE/dg = x means dE/dx = (dg/dx)^T x: check through autodiff in x
        Lagrangian lag = doubled();
        INDArray x = states();
        INDArray dEdx = SameDiffGradients.gradients(in -> {
            GraphOps o = new GraphOps(in.get(0).v().getSameDiff(), DataType.DOUBLE);
            var xs = in.get(0);
            return lag.energy(o, xs, lag.activation(o, xs));
        }, List.of(x)).get(0);
        INDArray expected = jacobianTransposeTimes(lag, x, x);
        assertClose(expected, dEdx, 1e-6, 1e-8, lag + ": dE/dx = (dg/dx)^T x");
    }

    /** {@code (dg/dx)^T v}: the gradient of {@code <g(x), v>} in {@code x}, by autodiff. */
    private static INDArray jacobianTransposeTimes(Lagrangian lag, INDArray x, INDArray v) {
        return SameDiffGradients.gradients(in -> {
            GraphOps o = new GraphOps(in.get(0).v().getSameDiff(), DataType.DOUBLE);
            var vs = o.of(o.sameDiff().constant(v), v.shape());
            return o.dotPerSample(lag.activation(o, in.get(0)), vs);
        }, List.of(x)).get(0);
    }

    @Test
    void samplesAreIndependent() {
        // the value of one sample does not depend on the others (nothing is pooled over the batch)
        Lagrangian lag = doubled();
        INDArray x = states();
        INDArray all = lag.value(EagerOps.INSTANCE, x);
        for (int b = 0; b < BATCH; b++) {
            INDArray one = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, b + 1)).dup();
            assertEquals(all.getDouble(b), lag.value(EagerOps.INSTANCE, one).getDouble(0), 1e-12,
                    lag + ": sample " + b + " alone");
        }
    }

    @Test
    void floatAndDoubleAgree() {
        Lagrangian lag = lagrangian().castTo(DataType.FLOAT);
        INDArray x = states();
        INDArray gf = lag.activation(EagerOps.INSTANCE, x.castTo(DataType.FLOAT));
        INDArray gd = doubled().activation(EagerOps.INSTANCE, x);
        assertEquals(DataType.FLOAT, gf.dataType());
        assertClose(gd, gf, 1e-4, 1e-5, lag + ": float32 vs float64");
    }

    @Test
    void writesToJsonAndReadsBackEqual(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        GraphChecks.assertJsonRoundTrip(org.hamux.core.EnergyGraph.builder()
                .layer("l", new org.hamux.core.NeuronLayer(shape(), lagrangian(), 0.7, true, null)).build(), dir);
    }

    @Test
    void theStandardBackendAgreesWithThePlainOneInFloat32() {
        Lagrangian lag = lagrangian().castTo(DataType.FLOAT);
        INDArray x = states().castTo(DataType.FLOAT);
        var fast = org.hamux.core.ops.Backends.standard();
        assertClose(lag.activation(EagerOps.INSTANCE, x), lag.activation(fast, x), 1e-4, 1e-5, lag + ": activation");
        assertClose(lag.value(EagerOps.INSTANCE, x), lag.value(fast, x), 1e-4, 1e-4, lag + ": L(x)");
    }

    @Test
    void describesItself() {
        String s = lagrangian().toString();
        assertTrue(s.contains("("), s);
        assertFalse(s.contains("@"), "toString should be readable: " + s);
    }
}
