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
 * A 3x2 kernel from 2 to 3 channels with a bias, stride [2, 1], padding [0, 1], from a [2, 8, 5] layer
 * to a [3, 3, 6] layer (the last input row is read by no window); a 3x3 "same" kernel (stride 1,
 * padding 1, 2 to 2 channels) for one [2, 5, 5] layer in both slots.
 */
class ConvSynapseTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return new ConvSynapse(Numerics.rng(71).normal(DataType.FLOAT, 0, 0.4, 3, 2, 3, 2),
                Numerics.rng(72).normal(DataType.FLOAT, 0, 0.5, 3), new int[] {2, 1}, new int[] {0, 1});
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {2, 8, 5}, new long[] {3, 3, 6});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new TanhLagrangian(1.0), new IdentityLagrangian());
    }

    @Override
    protected Hypersynapse selfSynapse() {
        return new ConvSynapse(Numerics.rng(73).normal(DataType.FLOAT, 0, 0.3, 2, 2, 3, 3), null,
                new int[] {1, 1}, new int[] {1, 1});
    }

    @Override
    protected long[] selfShape() {
        return new long[] {2, 5, 5};
    }
}
