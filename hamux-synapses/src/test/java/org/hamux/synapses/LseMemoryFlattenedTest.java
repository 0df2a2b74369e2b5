package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.TanhLagrangian;
import org.nd4j.linalg.api.buffer.DataType;

/** Memories [4, 6] acting on a [2, 3] tanh layer flattened, beta 0.4. */
class LseMemoryFlattenedTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return DamSynapse.lseMemory(Numerics.rng(6).normal(DataType.FLOAT, 0, 1, 4, 6), 0.4);
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {2, 3});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new TanhLagrangian(1.2));
    }
}
