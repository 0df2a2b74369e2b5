package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.TanhLagrangian;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Self-attention keeping the diagonal, on 2x3 tokens of 4 dims, 1 head of 4, beta 0.8. */
class AttentionDiagonalTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return new AttentionSynapse(Numerics.rng(65).normal(DataType.FLOAT, 0, 0.6, 1, 4, 4),
                Numerics.rng(66).normal(DataType.FLOAT, 0, 0.6, 1, 4, 4), Nd4j.scalar(0.8f), true);
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {2, 3, 4});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new TanhLagrangian(1.0));
    }
}
