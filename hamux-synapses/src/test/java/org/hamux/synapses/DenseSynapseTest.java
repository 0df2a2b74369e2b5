package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.TanhLagrangian;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A non-square W between a [4] identity layer and a [2, 3] tanh layer; a square W for one [5] layer in both slots. */
class DenseSynapseTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return new DenseSynapse(Numerics.rng(1).normal(DataType.FLOAT, 0, 0.3, 4, 6));
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {4}, new long[] {2, 3});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new IdentityLagrangian(), new TanhLagrangian(0.8));
    }

    @Override
    protected Hypersynapse selfSynapse() {
        return new DenseSynapse(Numerics.rng(2).normal(DataType.FLOAT, 0, 0.3, 5, 5));
    }

    @Override
    protected long[] selfShape() {
        return new long[] {5};
    }

    /** The energy comes from the smaller slot's gradient (here the second): the same number as the energy alone. */
    @Test
    void energyFromTheSmallerSlotIsTheEnergy() {
        Hypersynapse s = new DenseSynapse(Numerics.rng(3).normal(DataType.DOUBLE, 0, 0.3, 6, 4));
        List<INDArray> g = List.of(Numerics.rng(4).normal(DataType.DOUBLE, 0, 1, 3, 2, 3),
                Numerics.rng(5).normal(DataType.DOUBLE, 0, 1, 3, 4));
        Numerics.assertClose(s.energy(EagerOps.INSTANCE, g), s.energyAndGradient(EagerOps.INSTANCE, g).energy(), 1e-12,
                1e-12, "energy of energyAndGradient");
    }
}
