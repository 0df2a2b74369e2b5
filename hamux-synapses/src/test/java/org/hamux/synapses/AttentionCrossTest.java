package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.LayerNormLagrangian;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cross-attention: queries from a [3, 5] layer, keys from a [2, 2, 5] layer (2x2 token axes), 3 heads
 * of 2 dims with one beta per head; every key counts.
 */
class AttentionCrossTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return new AttentionSynapse(Numerics.rng(63).normal(DataType.FLOAT, 0, 0.8, 3, 2, 5),
                Numerics.rng(64).normal(DataType.FLOAT, 0, 0.8, 3, 2, 5),
                Nd4j.createFromArray(0.5f, 1.0f, 2.0f), false);
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {3, 5}, new long[] {2, 2, 5});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new LayerNormLagrangian(1.0, 0.0), new IdentityLagrangian());
    }

    @Override
    protected Hypersynapse selfSynapse() {
        return synapse();
    }
}
