package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.hamux.core.DivergenceException;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.NeuronLayer;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.TanhLagrangian;
import org.hamux.synapses.DamSynapse.Separation;
import org.hamux.synapses.DamSynapse.Similarity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The Dense Associative Memory family: the contract for every preset and form, MCHN equivalence, LSR's edges. */
class DamSynapseTest {

    private static INDArray memories(long salt, double std, long k, long d) {
        return Numerics.rng(salt).normal(DataType.FLOAT, 0, std, k, d);
    }

    /** Classic Hopfield on a flattened [2, 3] tanh layer. */
    @Nested
    class Hopfield extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.hopfield(memories(1, 0.5, 4, 6));
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {2, 3});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new TanhLagrangian(1.5));
        }
    }

    /** An odd power (n = 3, beta 0.8) on a [6] tanh layer. */
    @Nested
    class PowerDam extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.powerDam(memories(2, 0.5, 5, 6), 3, 0.8);
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {6});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new TanhLagrangian(1.0));
        }
    }

    /** Exp of the distance similarity, no log, prefactor 2, on every row of a [3, 4] tanh layer. */
    @Nested
    class ExpDistanceRows extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.builder(memories(3, 0.7, 5, 4)).separation(Separation.EXP)
                    .similarity(Similarity.NEG_HALF_SQ_DISTANCE).prefactor(2.0).beta(0.6).build();
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {3, 4});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new TanhLagrangian(1.0));
        }
    }

    /** Exp, dot, log with eps 0.3, prefactor 1/beta: a MCHN with a ghost memory. */
    @Nested
    class ExpLogEps extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.builder(memories(4, 1, 5, 6)).separation(Separation.EXP).log(0.3)
                    .inverseBetaPrefactor().beta(0.9).build();
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {6});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian());
        }
    }

    /** LSR, beta 0.1 (support radius sqrt(20)), on a [4] identity layer: every test point has a memory in reach. */
    @Nested
    class Lsr extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.lsr(memories(5, 1, 6, 4), 0.1, 0);
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

    /** The Energy Transformer's Hopfield module on every row (token) of a [3, 4] identity layer. */
    @Nested
    class EtHopfieldRows extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.etHopfield(memories(6, 0.4, 7, 4));
        }

        @Override
        protected List<long[]> layerShapes() {
            return List.of(new long[] {3, 4});
        }

        @Override
        protected List<Lagrangian> layerLagrangians() {
            return List.of(new IdentityLagrangian());
        }
    }

    /** relu-power 3 with log (eps 1) and a numeric prefactor, distance similarity. */
    @Nested
    class ReluPowerLog extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return DamSynapse.builder(memories(7, 1, 6, 5)).separation(Separation.RELU_POWER).n(3)
                    .similarity(Similarity.NEG_HALF_SQ_DISTANCE).log(1.0).prefactor(0.7).beta(0.05).build();
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
    void expLogInverseBetaIsTheLseMemory() {
        for (long[] shape : List.of(new long[] {6}, new long[] {2, 6})) {
            INDArray xi = memories(10, 1, 5, 6).castTo(DataType.DOUBLE);
            INDArray g = Numerics.rng(11).normal(DataType.DOUBLE, 0, 1.5, 3, shape[0], shape.length > 1 ? shape[1] : 1)
                    .reshape(org.hamux.core.ops.Shapes.withBatch(3, shape));
            Hypersynapse lse = DamSynapse.lseMemory(xi, 0.7);
            Hypersynapse dam = DamSynapse.builder(xi).separation(Separation.EXP).log(0).inverseBetaPrefactor()
                    .beta(0.7).build();
            assertClose(lse.energy(EagerOps.INSTANCE, List.of(g)), dam.energy(EagerOps.INSTANCE, List.of(g)),
                    1e-12, 1e-12, "energy of dam(exp, log, 1/beta) vs lse-memory");
            assertClose(lse.gradient(EagerOps.INSTANCE, List.of(g)).get(0),
                    dam.gradient(EagerOps.INSTANCE, List.of(g)).get(0), 1e-12, 1e-12, "gradient vs lse-memory");
        }
    }

    @Test
    void lsrIsInfiniteWithAZeroGradientWhereNoMemoryIsInReach() {
        INDArray xi = memories(12, 0.1, 3, 4).castTo(DataType.DOUBLE);
        Hypersynapse s = DamSynapse.lsr(xi, 2.0, 0);
        // sample 0 at a memory (inside the support), sample 1 at distance 5 from all (radius sqrt(2/beta) = 1)
        INDArray g = org.nd4j.linalg.factory.Nd4j.vstack(xi.getRow(0).reshape(1, 4),
                org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {1, 4}, 2.5, DataType.DOUBLE));
        INDArray e = s.energy(EagerOps.INSTANCE, List.of(g));
        INDArray d = s.gradient(EagerOps.INSTANCE, List.of(g)).get(0);
        assertTrue(Double.isFinite(e.getDouble(0)), e.toString());
        assertEquals(Double.POSITIVE_INFINITY, e.getDouble(1), e.toString());
        assertFalse(d.isNaN().any(), d.toString());
        assertEquals(0.0, d.getRow(1).amaxNumber().doubleValue(), d.toString());
    }

    @Test
    void lsrWithEpsHasAFlatFinitePlateau() {
        INDArray xi = memories(12, 0.1, 3, 4).castTo(DataType.DOUBLE);
        Hypersynapse s = DamSynapse.lsr(xi, 2.0, 1e-3);
        INDArray far = org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {1, 4}, 2.5, DataType.DOUBLE);
        assertEquals(-Math.log(1e-3) / 2.0, s.energy(EagerOps.INSTANCE, List.of(far)).getDouble(0), 1e-12);
        assertEquals(0.0, s.gradient(EagerOps.INSTANCE, List.of(far)).get(0).amaxNumber().doubleValue());
    }

    @Test
    void theDynamicsReportAnInfiniteLsrEnergyWithTheSynapseAndTheStep() {
        INDArray xi = memories(13, 0.1, 3, 4);
        EnergyGraph graph = EnergyGraph.builder()
                .layer("v", new IdentityLagrangian(), 4)
                .synapse("memory", DamSynapse.lsr(xi, 2.0, 0), "v")
                .build();
        INDArray x0 = org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {2, 4}, 3.0f);
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Dynamics.builder().dt(0.1).steps(10).build().run(graph, Map.of("v", x0)));
        assertTrue(e.getMessage().contains("synapse 'memory'") && e.getMessage().contains("initial state")
                && e.getMessage().contains("not dt") && e.getMessage().contains("eps")
                && e.getMessage().contains("Infinity"), e.getMessage());
    }

    @Test
    void lsrRetrievesTheNearestMemory() {
        INDArray xi = memories(14, 1, 4, 6).castTo(DataType.DOUBLE);
        EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("v", new NeuronLayer(new long[] {6}, new IdentityLagrangian(), 1.0, false, null))
                .synapse("memory", DamSynapse.lsr(xi, 0.5, 0), "v")
                .build();
        INDArray x0 = xi.getRow(2).reshape(1, 6).add(Numerics.rng(15).normal(DataType.DOUBLE, 0, 0.1, 1, 6));
        Dynamics.Result r = Dynamics.builder().dt(0.2).steps(300).build().run(graph, Map.of("v", x0));
        // descent on E_LSR alone (layer energy off): x <- x + dt sum_mu [in reach] (xi_mu - x) / z; with xi_2
        // alone in reach the fixed point is xi_2 itself
        assertClose(xi.getRow(2).reshape(1, 6), r.states().get("v"), 1e-3, 1e-3, "retrieved memory");
    }

    @Test
    void rejectsBadSettings() {
        INDArray xi = memories(16, 1, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> DamSynapse.builder(xi).power(0).build());
        assertThrows(IllegalArgumentException.class, () -> DamSynapse.builder(xi).n(2.5).build());
        assertThrows(IllegalArgumentException.class, () -> DamSynapse.builder(xi).beta(-1).build());
        assertThrows(IllegalArgumentException.class, () -> DamSynapse.builder(xi).log(-1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DamSynapse.hopfield(xi).check(List.of(new long[] {4})));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[K, 4]"), e.getMessage());
    }

    @Test
    void describesItsForm() {
        String s = DamSynapse.lsr(memories(17, 1, 2, 3), 0.5, 0).toString();
        assertTrue(s.startsWith("Lsr(") && s.contains("shifted-relu") && s.contains("1/beta"), s);
    }
}
