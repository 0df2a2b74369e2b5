package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.LayerNormLagrangian;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Self-attention on one layer of 4 tokens of 6 dims (1 connection slot, the diagonal left out), 2 heads
 * of 3, default beta; the same synapse connected twice to one layer (two slots: diagonal kept) for the
 * two-slot check.
 */
class AttentionSelfTest extends SynapseContract {

    private static AttentionSynapse make() {
        return new AttentionSynapse(Numerics.rng(61).normal(DataType.FLOAT, 0, 0.7, 2, 3, 6),
                Numerics.rng(62).normal(DataType.FLOAT, 0, 0.7, 2, 3, 6), null, false);
    }

    @Override
    protected Hypersynapse synapse() {
        return make();
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {4, 6});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new LayerNormLagrangian(1.0, 0.1));
    }

    @Override
    protected Hypersynapse selfSynapse() {
        return make();
    }
}
