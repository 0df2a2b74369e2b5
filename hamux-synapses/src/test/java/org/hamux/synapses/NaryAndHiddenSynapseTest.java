package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.NeuronLayer;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.testing.GraphChecks;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.LayerNormLagrangian;
import org.hamux.layers.SoftmaxLagrangian;
import org.hamux.layers.TanhLagrangian;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The n-ary dense synapse (one, three layers) and the hidden-layer synapse (matrix and per-head forms). */
class NaryAndHiddenSynapseTest {

    private static INDArray normal(long salt, double std, long... shape) {
        return Numerics.rng(salt).normal(DataType.FLOAT, 0, std, shape);
    }

    /** W [4, 2*3, 5] between a [4] identity, a [2, 3] tanh and a [5] tanh layer. */
    @Nested
    class ThreeLayerDense extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return new DenseSynapse(normal(1, 0.3, 4, 6, 5));
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {4}, new long[] {2, 3}, new long[] {5});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian(), new TanhLagrangian(1.0), new TanhLagrangian(0.7));
        }

        @Test
        void gradientIsRightWhenALayerFillsTheFirstAndLastSlots() {
            EnergyGraph graph = EnergyGraph.builder()
                    .layer("a", new TanhLagrangian(1.0), 4)
                    .layer("b", new TanhLagrangian(1.0), 3)
                    .synapse("s", new DenseSynapse(normal(2, 0.3, 4, 3, 4)), "a", "b", "a")
                    .build();
            Map<String, INDArray> x = GraphChecks.randomStates(graph, BATCH, 1.0, 31);
            GraphChecks.assertGradientMatchesAutodiff(graph, x, 1e-8);
            GraphChecks.assertGradientMatchesFiniteDifferences(graph, x, 1e-6);
        }
    }

    /** W [6] on one [2, 3] layer: a bias by another name. */
    @Nested
    class OneLayerDense extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return new DenseSynapse(normal(3, 1, 6));
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {2, 3});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian());
        }
    }

    /** A softmax hidden layer (H = 7) fed by a [4] identity and a [2, 3] tanh layer; one [5] layer twice. */
    @Nested
    class SoftmaxHidden extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return new HiddenSynapse(new SoftmaxLagrangian(1.5), List.of(normal(4, 0.5, 4, 7), normal(5, 0.5, 6, 7)));
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {4}, new long[] {2, 3});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian(), new TanhLagrangian(1.0));
        }

        @Override
        protected Hypersynapse selfSynapse() {
            return new HiddenSynapse(new SoftmaxLagrangian(1.0), List.of(normal(6, 0.5, 5, 7), normal(7, 0.5, 5, 7)));
        }

        @Override
        protected long[] selfShape() {
            return new long[] {5};
        }
    }

    /** Three heads of a layernorm hidden layer (H = 4) fed by one [5] tanh layer. */
    @Nested
    class LayerNormHeads extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return new HiddenSynapse(new LayerNormLagrangian(1.2, Nd4j.scalar(DataType.FLOAT, 0.1f), 1e-3),
                    List.of(normal(8, 0.5, 3, 5, 4)));
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {5});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new TanhLagrangian(1.0));
        }
    }

    @Test
    void twoLayerDenseIsUnchanged() {
        // E = -g1^T W g2 for the 2-D weights, the 3-D path of the same contraction agrees
        INDArray w = normal(9, 1, 4, 3).castTo(DataType.DOUBLE);
        INDArray g1 = Numerics.rng(10).normal(DataType.DOUBLE, 0, 1, 3, 4);
        INDArray g2 = Numerics.rng(11).normal(DataType.DOUBLE, 0, 1, 3, 3);
        INDArray e = new DenseSynapse(w).energy(EagerOps.INSTANCE, List.of(g1, g2));
        assertClose(g1.mmul(w).mul(g2).sum(1).neg(), e, 1e-12, 1e-12, "-g1 W g2");
        // a third layer of size 1 with activation 1 leaves the energy as it is
        INDArray one = Nd4j.ones(DataType.DOUBLE, 3, 1);
        INDArray e3 = new DenseSynapse(w.reshape(4, 3, 1)).energy(EagerOps.INSTANCE, List.of(g1, g2, one));
        assertClose(e, e3, 1e-12, 1e-12, "3-ary with a unit third layer");
    }

    @Test
    void perHeadHiddenSumsTheHeadsEnergies() {
        INDArray w = normal(12, 0.5, 2, 5, 4).castTo(DataType.DOUBLE);
        INDArray g = Numerics.rng(13).normal(DataType.DOUBLE, 0, 1, 3, 5);
        Lagrangian l = new SoftmaxLagrangian(1.0).castTo(DataType.DOUBLE);
        INDArray e = new HiddenSynapse(l, List.of(w)).energy(EagerOps.INSTANCE, List.of(g));
        INDArray e0 = new HiddenSynapse(l, List.of(w.slice(0).dup())).energy(EagerOps.INSTANCE, List.of(g));
        INDArray e1 = new HiddenSynapse(l, List.of(w.slice(1).dup())).energy(EagerOps.INSTANCE, List.of(g));
        assertClose(e0.add(e1), e, 1e-12, 1e-12, "two heads = sum of two one-head synapses");
    }

    @Test
    void rejectsWeightsOfDifferentHiddenSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HiddenSynapse(
                new SoftmaxLagrangian(), List.of(normal(14, 1, 4, 7), normal(15, 1, 3, 6))));
        assertTrue(e.getMessage().contains("'W1'") && e.getMessage().contains("[3, 6]"), e.getMessage());
    }
}
