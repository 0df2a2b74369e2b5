package org.hamux.core.autodiff;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hamux.core.HamuxException;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the tape records, what a plan computes, and the errors they give. */
class TapeTest {

    private static INDArray normal(long salt, long... shape) {
        return Numerics.rng(salt).normal(DataType.DOUBLE, 0, 1, shape);
    }

    @Test
    void anOpRecordedTwiceWithTheSameInputsIsOneValue() {
        Tape t = new Tape(DataType.DOUBLE);
        Var x = t.input("x", normal(1, 3, 4));
        Var w = t.constant(normal(2, 4, 2));
        assertSame(t.mmul(x, w), t.mmul(x, w));
        assertSame(t.softmax(x, 1), t.softmax(x, -1));
        assertTrue(t.mmul(x, w) != t.mmul(x, w, false, false, 2.0), "other settings, another value");
    }

    @Test
    void opsOnZerosAndByOneAreSimplifiedWhenRecorded() {
        Tape t = new Tape(DataType.DOUBLE);
        Var x = t.input("x", normal(1, 3, 4));
        Var zero = t.zeros(3, 4);
        assertSame(x, t.add(x, zero));
        assertSame(x, t.mul(x, 1.0));
        assertSame(x, t.neg(t.neg(x)));
        assertTrue(t.mul(x, zero).value().sumNumber().doubleValue() == 0, "x * 0 is a zero constant");
        assertSame(x, t.reshape(t.reshape(x, 12), 3, 4));
    }

    @Test
    void opsOfConstantsAreComputedOnceAsConstants() {
        Tape t = new Tape(DataType.DOUBLE);
        INDArray a = normal(3, 2, 5);
        Var c = t.softmax(t.constant(a), 1);
        int size = t.size();
        Plan p = t.plan(List.of(t.mul(c, t.input("x", normal(4, 2, 5)))));
        assertEquals(1, p.size(), "only the product is computed by a run: " + p.describe());
        assertEquals(size + 2, t.size(), "the input and the product are new values");
        INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.softmax(a, true);
        assertClose(expected, c.value(), 1e-12, 1e-15, "the folded soft-max");
    }

    @Test
    void aPlanComputesWhatItsOutputsNeedAndAgainForNewInputs() {
        Tape t = new Tape(DataType.DOUBLE);
        Var x = t.input("x", 2, 3);
        Var y = t.exp(x);
        Var unused = t.log(t.abs(x));
        Plan p = t.plan(List.of(t.sum(y, false, 1)));
        assertEquals(2, p.size(), p.describe());
        assertTrue(p.describe().contains("Exp") && !p.describe().contains("Log"), p.describe());
        for (int k = 0; k < 2; k++) {
            INDArray a = normal(10 + k, 2, 3);
            x.set(a);
            p.run();
            assertClose(org.nd4j.linalg.ops.transforms.Transforms.exp(a, true).sum(1), p.outputs().get(0).value(), 1e-12,
                    1e-15, "run " + k);
        }
        assertTrue(unused.value() != null, "a value outside the plan is computed when asked for");
    }

    @Test
    void aRunWithoutAnInputsArraySaysWhichInput() {
        Tape t = new Tape(DataType.DOUBLE);
        Var x = t.input("images", 2, 3);
        Plan p = t.plan(List.of(t.exp(x)));
        HamuxException e = assertThrows(HamuxException.class, p::run);
        assertTrue(e.getMessage().contains("input 'images' [2, 3] has no array"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.set(Nd4j.zeros(DataType.DOUBLE, 3, 2)));
    }

    @Test
    void valuesOfTwoTapesDoNotMix() {
        Tape a = new Tape(DataType.DOUBLE);
        Tape b = new Tape(DataType.DOUBLE);
        Var x = a.input("x", normal(1, 2));
        assertThrows(IllegalArgumentException.class, () -> b.exp(x));
    }

    @Test
    void theGradientOfAValueThatDoesNotDependOnAnInputIsZero() {
        Tape t = new Tape(DataType.DOUBLE);
        Var x = t.input("x", normal(1, 2, 3));
        Var z = t.input("z", normal(2, 2, 3));
        List<Var> g = t.gradients(t.sum(t.square(x), false, 0, 1), List.of(x, z));
        assertClose(x.value().mul(2), g.get(0).value(), 1e-12, 1e-15, "d/dx");
        assertEquals(0.0, g.get(1).value().sumNumber().doubleValue());
    }

    @Test
    void slotsOfOneValueGetTheirOwnPartialDerivatives() {
        Tape t = new Tape(DataType.DOUBLE);
        Var g = t.input("g", normal(1, 3, 4));
        Var a = t.slot(g, 0);
        Var b = t.slot(g, 1);
        // E = <a, b>: dE/da = b, dE/db = a, and the total dE/dg = 2 g
        List<Var> d = t.gradients(t.dotPerSample(a, b), List.of(a, b, g));
        assertClose(g.value(), d.get(0).value(), 1e-12, 1e-15, "dE/da");
        assertClose(g.value(), d.get(1).value(), 1e-12, 1e-15, "dE/db");
        assertClose(g.value().mul(2), d.get(2).value(), 1e-12, 1e-15, "dE/dg");
    }

    @Test
    void theWorkOfAPlansProductsIsCounted() {
        Tape t = new Tape(DataType.FLOAT);
        Var x = t.input("x", 8, 5);
        Var w = t.input("w", 5, 3);
        Plan p = t.plan(List.of(t.mmul(x, w)));
        assertEquals(2.0 * 8 * 3 * 5, p.gemmFlops());
    }
}
