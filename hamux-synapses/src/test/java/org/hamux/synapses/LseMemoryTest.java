package org.hamux.synapses;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Five memories on a [6] identity layer, beta 0.7. */
class LseMemoryTest extends SynapseContract {

    @Override
    protected Hypersynapse synapse() {
        return DamSynapse.lseMemory(Numerics.rng(4).normal(DataType.FLOAT, 0, 1, 5, 6), 0.7);
    }

    @Override
    protected List<long[]> layerShapes() {
        return List.of(new long[] {6});
    }

    @Override
    protected List<Lagrangian> layerLagrangians() {
        return List.of(new IdentityLagrangian());
    }

    @Test
    void largeSimilaritiesNeitherOverflowNorUnderflow() {
        INDArray xi = Numerics.rng(60).normal(DataType.FLOAT, 0, 100, 5, 6);
        INDArray g = Numerics.rng(61).normal(DataType.FLOAT, 0, 100, 3, 6);
        Hypersynapse s = DamSynapse.lseMemory(xi, 2.0);
        INDArray e = s.energy(EagerOps.INSTANCE, List.of(g));
        INDArray d = s.gradient(EagerOps.INSTANCE, List.of(g)).get(0);
        assertFalse(e.isNaN().any() || e.isInfinite().any() || d.isNaN().any() || d.isInfinite().any(), e + " " + d);
        // -max_mu <xi_mu, g> - log(K)/beta <= E <= -max_mu <xi_mu, g>
        INDArray max = g.mmul(xi.transpose()).max(1);
        for (int b = 0; b < 3; b++) {
            double lo = -max.getDouble(b) - Math.log(5) / 2.0;
            double hi = -max.getDouble(b);
            double eb = e.getDouble(b);
            assertTrue(eb >= lo - 1e-3 * Math.abs(lo) && eb <= hi + 1e-3 * Math.abs(hi),
                    lo + " <= " + eb + " <= " + hi);
        }
    }
}
