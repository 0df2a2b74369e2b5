package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.TanhLagrangian;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 3x3 "same" convolution from 2 to 3 channels with a bias on a [2, 7, 6] layer, then 2x2 max pooling
 * (stride = window; the 7th row is dropped) to a [3, 3, 3] layer.
 */
class ConvPoolMaxTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return new ConvPoolSynapse(Numerics.rng(74).normal(DataType.FLOAT, 0, 0.4, 3, 2, 3, 3),
                Numerics.rng(75).normal(DataType.FLOAT, 0, 0.5, 3), new int[] {1, 1}, new int[] {1, 1},
                ConvPoolSynapse.Pool.MAX, new int[] {2, 2}, null);
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {2, 7, 6}, new long[] {3, 3, 3});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new TanhLagrangian(1.0), new IdentityLagrangian());
    }
}
