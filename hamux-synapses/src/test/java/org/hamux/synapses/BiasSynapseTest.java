package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.TanhLagrangian;
import org.nd4j.linalg.api.buffer.DataType;

/** A bias on a [2, 3] tanh layer. */
class BiasSynapseTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return new BiasSynapse(Numerics.rng(3).normal(DataType.FLOAT, 0, 1, 2, 3));
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {2, 3});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new TanhLagrangian());
    }
}
