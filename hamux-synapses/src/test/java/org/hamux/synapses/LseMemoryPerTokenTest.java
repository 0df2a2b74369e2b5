package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.SoftmaxLagrangian;
import org.nd4j.linalg.api.buffer.DataType;

/** Memories [5, 4] acting on every row (token) of a [3, 4] softmax layer, beta 1.5. */
class LseMemoryPerTokenTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return DamSynapse.lseMemory(Numerics.rng(5).normal(DataType.FLOAT, 0, 1, 5, 4), 1.5);
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {3, 4});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new SoftmaxLagrangian(2.0, -1));
    }
}
