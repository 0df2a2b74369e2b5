package org.hamux.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hamux.core.Lagrangian;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.Shapes;
import org.hamux.core.testing.LagrangianContract;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SignLagrangianTest extends LagrangianContract {
    @Override
    protected Lagrangian lagrangian() {
        return new SignLagrangian();
    }

    /** Away from the kink at 0, where finite differences of |x| are exact. */
    @Override
    protected INDArray states() {
        INDArray n = Numerics.rng(3).normal(DataType.DOUBLE, 0, 1, Shapes.withBatch(BATCH, shape()));
        return Nd4j.math().sign(n).mul(Nd4j.math().abs(n).add(0.2));
    }

    @Test
    void binaryStatesHaveNoEnergyOfTheirOwnAndZeroCountsAsPlusOne() {
        INDArray x = Nd4j.create(new double[][] {{1, -1, 1}, {-1, -1, 1}});
        SignLagrangian l = new SignLagrangian();
        assertEquals(x, l.activation(EagerOps.INSTANCE, x));
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 2), l.energy(EagerOps.INSTANCE, x, l.activation(EagerOps.INSTANCE, x)));
        assertEquals(Nd4j.create(new double[][] {{1, -1, 1}}),
                l.activation(EagerOps.INSTANCE, Nd4j.create(new double[][] {{0, -0.5, 3}})));
    }
}
