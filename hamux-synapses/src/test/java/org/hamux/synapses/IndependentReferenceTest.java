package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.hamux.core.EnergyGraph;
import org.hamux.core.NeuronLayer;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.testing.Numerics;
import org.hamux.layers.IdentityLagrangian;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The energy and its gradient of a small float64 graph against plain Java loops written from the
 * equations: identity layers {@code v [5]}, {@code h [3]}, {@code t [3, 4]}; dense {@code v-h}; bias on
 * {@code h}; lse-memory on {@code v} (flattened) and on every row of {@code t}.
 */
class IndependentReferenceTest {

    private static final int B = 3;
    private static final int DV = 5;
    private static final int DH = 3;
    private static final int N = 3;
    private static final int DT = 4;
    private static final int K = 4;
    private static final int K2 = 6;
    private static final double BETA = 0.75;
    private static final double BETA2 = 0.5;

    private final Random random = new Random(20261122L);

    private double[][] normal(int rows, int cols, double std) {
        return Numerics.normal(random, rows, cols, std);
    }

    @Test
    void energyAndGradientMatchPlainLoops() {
        double[][] w = normal(DV, DH, 0.5);
        double[] bias = normal(1, DH, 1)[0];
        double[][] xi = normal(K, DV, 1);
        double[][] xi2 = normal(K2, DT, 1);
        double[][] v = normal(B, DV, 1);
        double[][] h = normal(B, DH, 1);
        double[][][] t = new double[B][][];
        for (int b = 0; b < B; b++) {
            t[b] = normal(N, DT, 1);
        }

        EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("v", new IdentityLagrangian(), DV)
                .layer("h", new IdentityLagrangian(), DH)
                .layer("t", new NeuronLayer(new long[] {N, DT}, new IdentityLagrangian()))
                .synapse("vh", new DenseSynapse(Nd4j.create(w)), "v", "h")
                .synapse("bias", new BiasSynapse(Nd4j.create(bias)), "h")
                .synapse("mem", DamSynapse.lseMemory(Nd4j.create(xi), BETA), "v")
                .synapse("tok", DamSynapse.lseMemory(Nd4j.create(xi2), BETA2), "t")
                .build();
        Map<String, INDArray> x = new LinkedHashMap<>();
        x.put("v", Nd4j.create(v));
        x.put("h", Nd4j.create(h));
        x.put("t", Nd4j.create(t));
        Map<String, INDArray> g = graph.activations(EagerOps.INSTANCE, x);
        INDArray energy = graph.energy(EagerOps.INSTANCE, x, g);
        Map<String, INDArray> grad = graph.gradient(EagerOps.INSTANCE, x, g);

        double[] e = new double[B];
        double[][] dv = new double[B][DV];
        double[][] dh = new double[B][DH];
        double[][][] dt = new double[B][N][DT];
        for (int b = 0; b < B; b++) {
            // identity layers: <x, g> - |x|^2/2 = |x|^2/2, and dE/dg = x
            for (int i = 0; i < DV; i++) {
                e[b] += 0.5 * v[b][i] * v[b][i];
                dv[b][i] = v[b][i];
            }
            for (int j = 0; j < DH; j++) {
                e[b] += 0.5 * h[b][j] * h[b][j];
                dh[b][j] = h[b][j];
            }
            for (int n = 0; n < N; n++) {
                for (int k = 0; k < DT; k++) {
                    e[b] += 0.5 * t[b][n][k] * t[b][n][k];
                    dt[b][n][k] = t[b][n][k];
                }
            }
            // dense: -v W h
            for (int i = 0; i < DV; i++) {
                for (int j = 0; j < DH; j++) {
                    e[b] -= v[b][i] * w[i][j] * h[b][j];
                    dv[b][i] -= w[i][j] * h[b][j];
                    dh[b][j] -= v[b][i] * w[i][j];
                }
            }
            // bias: -b.h
            for (int j = 0; j < DH; j++) {
                e[b] -= bias[j] * h[b][j];
                dh[b][j] -= bias[j];
            }
            e[b] += lse(xi, BETA, v[b], dv[b]);
            for (int n = 0; n < N; n++) {
                e[b] += lse(xi2, BETA2, t[b][n], dt[b][n]);
            }
        }

        assertClose(Nd4j.create(e), energy, 1e-9, 1e-12, "energy");
        assertClose(Nd4j.create(dv), grad.get("v"), 1e-9, 1e-12, "dE/dg of v");
        assertClose(Nd4j.create(dh), grad.get("h"), 1e-9, 1e-12, "dE/dg of h");
        assertClose(Nd4j.create(dt), grad.get("t"), 1e-9, 1e-12, "dE/dg of t");
    }

    /**
     * {@code -(1/beta) log sum_mu exp(beta <xi_mu, g>)}; adds {@code -sum_mu p_mu xi_mu} to {@code grad}.
     */
    private static double lse(double[][] xi, double beta, double[] g, double[] grad) {
        double[] s = new double[xi.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int mu = 0; mu < xi.length; mu++) {
            for (int i = 0; i < g.length; i++) {
                s[mu] += beta * xi[mu][i] * g[i];
            }
            max = Math.max(max, s[mu]);
        }
        double z = 0;
        for (double sm : s) {
            z += Math.exp(sm - max);
        }
        for (int mu = 0; mu < xi.length; mu++) {
            double p = Math.exp(s[mu] - max) / z;
            for (int i = 0; i < g.length; i++) {
                grad[i] -= p * xi[mu][i];
            }
        }
        return -(max + Math.log(z)) / beta;
    }
}
