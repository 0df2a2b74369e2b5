package org.hamux.synapses;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.junit.jupiter.api.Nested;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The synapses on layers and memories with axes of size 1, which SameDiff (ND4J 1.0.0-M2.1) cannot
 * reduce over: a one-neuron layer, a single memory, memories one wide. (No graph-level check on a
 * one-neuron layer: the identity Lagrangian's own {@code sumPerSample} hits the same SameDiff failure.)
 */
class SizeOneAxesTest {

    @Nested
    class DenseToOneNeuron extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return new DenseSynapse(Numerics.rng(7).normal(DataType.FLOAT, 0, 0.3, 3, 1));
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {3}, new long[] {1});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian(), new IdentityLagrangian());
        }
    }

    @Nested
    class BiasOnOneNeuron extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return new BiasSynapse(Numerics.rng(9).normal(DataType.FLOAT, 0, 1, 1));
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {1});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian());
        }
    }

    @Nested
    class OneMemory extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.lseMemory(Numerics.rng(10).normal(DataType.FLOAT, 0, 1, 1, 4), 0.6);
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {4});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian());
        }
    }

    @Nested
    class MemoriesOneWideOnEveryRow extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.lseMemory(Numerics.rng(11).normal(DataType.FLOAT, 0, 1, 4, 1), 1.3);
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {3, 1});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian());
        }
    }
}
