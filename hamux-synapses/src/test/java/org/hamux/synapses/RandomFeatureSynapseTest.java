package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.testing.Numerics;
import org.hamux.core.testing.SynapseContract;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.TanhLagrangian;
import org.hamux.synapses.DamSynapse.Separation;
import org.hamux.synapses.DamSynapse.Similarity;
import org.hamux.synapses.RandomFeatureSynapse.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DrDAM: the contract for both kinds of features, convergence to the exact memory, folding in memories. */
class RandomFeatureSynapseTest {

    private static INDArray memories(long salt, double std, long k, long d) {
        return Numerics.rng(salt).normal(DataType.DOUBLE, 0, std, k, d);
    }

    /** Trigonometric features, beta 0.5, 512 frequencies, on a [4] identity layer. */
    @Nested
    class Trigonometric extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return RandomFeatureSynapse.of(memories(1, 0.5, 6, 4), 0.5, 512, Kind.TRIGONOMETRIC, 3);
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

    /** Positive features on every row of a [3, 4] tanh layer. */
    @Nested
    class PositiveRows extends SynapseContract {
        @Override
        protected Hypersynapse synapse() {
            return RandomFeatureSynapse.of(memories(2, 0.5, 6, 4), 0.8, 256, Kind.POSITIVE, 4);
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

    @Test
    void energyAndGradientConvergeToTheExactMemoryAsFeaturesGrow() {
        double beta = 1.0;
        INDArray xi = memories(10, 0.5, 8, 4);
        // queries near the memories, where the kernel sum is not tiny
        INDArray g = xi.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .add(Numerics.rng(11).normal(DataType.DOUBLE, 0, 0.3, 3, 4));
        Hypersynapse exact = DamSynapse.builder(xi).separation(Separation.EXP)
                .similarity(Similarity.NEG_HALF_SQ_DISTANCE).log(0).inverseBetaPrefactor().beta(beta).build();
        INDArray e0 = exact.energy(EagerOps.INSTANCE, List.of(g));
        INDArray d0 = exact.gradient(EagerOps.INSTANCE, List.of(g)).get(0);
        int[] ys = {16, 256, 4096, 65536};
        for (Kind kind : Kind.values()) {
            double[] errE = new double[ys.length];
            double[] errG = new double[ys.length];
            StringBuilder table = new StringBuilder(org.hamux.core.Setting.word(kind) + " features: Y, max |E - E_exact|, max |dE/dg - exact|"
                    + " (mean over 4 seeds)\n");
            for (int i = 0; i < ys.length; i++) {
                for (long seed = 0; seed < 4; seed++) {
                    Hypersynapse rf = RandomFeatureSynapse.of(xi, beta, ys[i], kind, 100 + seed);
                    INDArray e = rf.energy(EagerOps.INSTANCE, List.of(g));
                    INDArray d = rf.gradient(EagerOps.INSTANCE, List.of(g)).get(0);
                    errE[i] += e.sub(e0).amaxNumber().doubleValue() / 4;
                    errG[i] += d.sub(d0).amaxNumber().doubleValue() / 4;
                }
                table.append(String.format("%8d  %.2e  %.2e%n", ys[i], errE[i], errG[i]));
            }
            System.out.print(table);
            assertFalse(Double.isNaN(errE[0]) || Double.isNaN(errG[0]), table.toString());
            for (int i = 1; i < ys.length; i++) {
                // Monte Carlo error ~ 1/sqrt(Y): 16x more features, about 4x smaller; allow noise (2x)
                assertTrue(errE[i] < errE[i - 1] / 2 && errG[i] < errG[i - 1] / 2, table.toString());
            }
            // positive features of the RBF kernel have the larger variance (their weights grow as exp(|x|^2))
            double small = kind == Kind.TRIGONOMETRIC ? 0.01 : 0.1;
            assertTrue(errE[ys.length - 1] < small && errG[ys.length - 1] < small, table.toString());
        }
    }

    @Test
    void memoriesAddedLaterAreFoldedIntoTheSameSizeModel() {
        INDArray xi = memories(20, 0.5, 6, 4);
        RandomFeatureSynapse all = RandomFeatureSynapse.of(xi, 0.7, 64, Kind.TRIGONOMETRIC, 5);
        RandomFeatureSynapse first = RandomFeatureSynapse.of(xi.getRows(0, 1, 2), 0.7, 64, Kind.TRIGONOMETRIC, 5);
        RandomFeatureSynapse both = first.withMemories(xi.getRows(3, 4, 5));
        assertArrayEquals(new long[] {128}, both.parameter("T").shape());
        assertEquals(first.parameterCount(), both.parameterCount(), "the model does not grow with the memories");
        assertClose(all.parameter("T"), both.parameter("T"), 1e-12, 1e-12, "T of 3 + 3 memories vs 6 at once");
        INDArray g = Numerics.rng(21).normal(DataType.DOUBLE, 0, 0.5, 3, 4);
        assertClose(all.energy(EagerOps.INSTANCE, List.of(g)), both.energy(EagerOps.INSTANCE, List.of(g)), 1e-12, 1e-12,
                "energy");
        assertFalse(first.energy(EagerOps.INSTANCE, List.of(g)).equalsWithEps(both.energy(EagerOps.INSTANCE, List.of(g)), 1e-6),
                "withMemories returns a new synapse and leaves the first one alone");
    }

    @Test
    void aNonPositiveTrigonometricEstimateGivesInfinityAndNoPull() {
        // one memory, 4 frequencies: T = phi(xi); at the query phi(g).T is made <= 0 by choosing g opposite
        INDArray omega = Nd4j.create(new double[][] {{1, 0}});
        RandomFeatureSynapse s = new RandomFeatureSynapse(omega, Nd4j.create(new double[] {1, 0}), 1.0, Kind.TRIGONOMETRIC);
        // phi(g).T = cos(g_0): positive at g_0 = 0, negative at g_0 = pi
        INDArray g = Nd4j.create(new double[][] {{0, 0.3}, {Math.PI, 0.3}});
        INDArray e = s.energy(EagerOps.INSTANCE, List.of(g));
        INDArray d = s.gradient(EagerOps.INSTANCE, List.of(g)).get(0);
        assertEquals(0.0, e.getDouble(0), 1e-12, "-log(cos 0)");
        assertEquals(Double.POSITIVE_INFINITY, e.getDouble(1));
        assertFalse(d.isNaN().any(), d.toString());
        assertEquals(0.0, d.getRow(1).amaxNumber().doubleValue());
    }

    @Test
    void rejectsAFoldedVectorOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RandomFeatureSynapse(
                Nd4j.zeros(DataType.DOUBLE, 5, 3), Nd4j.zeros(DataType.DOUBLE, 5), 1.0, Kind.TRIGONOMETRIC));
        assertTrue(e.getMessage().contains("'T'") && e.getMessage().contains("[10]"), e.getMessage());
    }
}
