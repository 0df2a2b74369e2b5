package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.SigmoidLagrangian;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 2x2 convolution from 1 to 2 channels, stride 1, no padding, no bias, on a [1, 8, 7] layer ([2, 7, 6]
 * after the convolution), then overlapping 3x2 average pooling with stride [2, 2] to a [2, 3, 3] layer.
 */
class ConvPoolAvgTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return new ConvPoolSynapse(Numerics.rng(76).normal(DataType.FLOAT, 0, 0.5, 2, 1, 2, 2), null,
                new int[] {1, 1}, new int[] {0, 0}, ConvPoolSynapse.Pool.AVG, new int[] {3, 2}, new int[] {2, 2});
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {1, 8, 7}, new long[] {2, 3, 3});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new SigmoidLagrangian(1.0, 1.0), new IdentityLagrangian());
    }
}
