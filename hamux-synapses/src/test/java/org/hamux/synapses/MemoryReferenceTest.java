package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hamux.core.EnergyGraph;
import org.hamux.core.NeuronLayer;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.testing.Numerics;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.SoftmaxLagrangian;
import org.hamux.synapses.DamSynapse.Separation;
import org.hamux.synapses.DamSynapse.Similarity;
import org.hamux.synapses.RandomFeatureSynapse.Kind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Beside {@link IndependentReferenceTest}: the energy and gradient of a float64 graph mixing the memory
 * synapses, against plain Java loops written from the equations. Identity layers {@code v [5]},
 * {@code h [3]}, {@code u [2]}, {@code t [3, 4]}; hopfield on {@code v}; power-dam (n = 3) on {@code h};
 * exp of the distance with log(eps + .) on {@code v}; lsr and et-hopfield on every row of {@code t};
 * positive and trigonometric random features on {@code v}; a 3-ary dense {@code v-h-u}; a softmax hidden
 * layer fed by {@code v} and {@code h}.
 */
class MemoryReferenceTest {

    private static final int B = 3;
    private static final int DV = 5;
    private static final int DH = 3;
    private static final int DU = 2;
    private static final int N = 3;
    private static final int DT = 4;
    private static final int K = 4;
    private static final int H = 4;
    private static final int Y = 6;

    private final Random random = new Random(20261123L);

    private double[][] normal(int rows, int cols, double std) {
        return Numerics.normal(random, rows, cols, std);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sqDist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }

    @Test
    void energyAndGradientMatchPlainLoops() {
        double[][] xiHop = normal(K, DV, 0.5);
        double[][] xiPow = normal(K, DH, 0.5);
        double[][] xiExp = normal(K, DV, 0.5);
        double[][] xiLsr = normal(K, DT, 0.5);
        double[][] xiEt = normal(K, DT, 0.5);
        double[][] xiRf = normal(K, DV, 0.3);
        double[][] omega = normal(Y, DV, 1);
        double[][][] w3 = new double[DV][][];
        for (int i = 0; i < DV; i++) {
            w3[i] = normal(DH, DU, 0.4);
        }
        double[][] wv = normal(DV, H, 0.5);
        double[][] wh = normal(DH, H, 0.5);
        double[][] v = normal(B, DV, 0.5);
        double[][] h = normal(B, DH, 0.5);
        double[][] u = normal(B, DU, 0.5);
        double[][][] t = new double[B][][];
        for (int b = 0; b < B; b++) {
            t[b] = normal(N, DT, 0.5);
        }
        double powBeta = 0.8;
        double expBeta = 0.6;
        double expEps = 0.2;
        double lsrBeta = 0.1;
        double rfBeta = 0.7;
        double hidBeta = 1.3;

        // T = sum_mu phi(xi_mu) from the same omega, in loops: positive and trigonometric
        double[] tPos = new double[Y];
        double[] tTrig = new double[2 * Y];
        for (double[] m : xiRf) {
            double[] pos = positive(omega, m, rfBeta);
            double[] trig = trigonometric(omega, m, rfBeta);
            for (int k = 0; k < Y; k++) {
                tPos[k] += pos[k];
            }
            for (int k = 0; k < 2 * Y; k++) {
                tTrig[k] += trig[k];
            }
        }

        EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("v", new IdentityLagrangian(), DV)
                .layer("h", new IdentityLagrangian(), DH)
                .layer("u", new IdentityLagrangian(), DU)
                .layer("t", new NeuronLayer(new long[] {N, DT}, new IdentityLagrangian()))
                .synapse("hop", DamSynapse.hopfield(Nd4j.create(xiHop)), "v")
                .synapse("pow", DamSynapse.powerDam(Nd4j.create(xiPow), 3, powBeta), "h")
                .synapse("exp", DamSynapse.builder(Nd4j.create(xiExp)).separation(Separation.EXP)
                        .similarity(Similarity.NEG_HALF_SQ_DISTANCE).log(expEps).inverseBetaPrefactor().beta(expBeta).build(), "v")
                .synapse("lsr", DamSynapse.lsr(Nd4j.create(xiLsr), lsrBeta, 0), "t")
                .synapse("et", DamSynapse.etHopfield(Nd4j.create(xiEt)), "t")
                .synapse("rfp", new RandomFeatureSynapse(Nd4j.create(omega), Nd4j.create(tPos), rfBeta, Kind.POSITIVE), "v")
                .synapse("rft", RandomFeatureSynapse.of(Nd4j.create(xiRf), rfBeta, Y, Kind.TRIGONOMETRIC, 1)
                        .withParameters(Map.of("omega", Nd4j.create(omega), "T", Nd4j.create(tTrig))), "v")
                .synapse("vhu", new DenseSynapse(Nd4j.create(w3)), "v", "h", "u")
                .synapse("hid", new HiddenSynapse(new SoftmaxLagrangian(hidBeta), List.of(Nd4j.create(wv), Nd4j.create(wh))),
                        "v", "h")
                .build();
        Map<String, INDArray> x = new LinkedHashMap<>();
        x.put("v", Nd4j.create(v));
        x.put("h", Nd4j.create(h));
        x.put("u", Nd4j.create(u));
        x.put("t", Nd4j.create(t));
        Map<String, INDArray> g = graph.activations(EagerOps.INSTANCE, x);
        INDArray energy = graph.energy(EagerOps.INSTANCE, x, g);
        Map<String, INDArray> grad = graph.gradient(EagerOps.INSTANCE, x, g);

        double[] e = new double[B];
        double[][] dv = new double[B][DV];
        double[][] dh = new double[B][DH];
        double[][] du = new double[B][DU];
        double[][][] dt = new double[B][N][DT];
        for (int b = 0; b < B; b++) {
            // identity layers: |x|^2/2 and dE/dg = x
            e[b] += 0.5 * (dot(v[b], v[b]) + dot(h[b], h[b]) + dot(u[b], u[b]));
            System.arraycopy(v[b], 0, dv[b], 0, DV);
            System.arraycopy(h[b], 0, dh[b], 0, DH);
            System.arraycopy(u[b], 0, du[b], 0, DU);
            for (int n = 0; n < N; n++) {
                e[b] += 0.5 * dot(t[b][n], t[b][n]);
                System.arraycopy(t[b][n], 0, dt[b][n], 0, DT);
            }
            // hopfield: -1/2 sum_mu <xi_mu, v>^2; grad -sum_mu <xi_mu, v> xi_mu
            for (double[] m : xiHop) {
                double s = dot(m, v[b]);
                e[b] -= 0.5 * s * s;
                for (int i = 0; i < DV; i++) {
                    dv[b][i] -= s * m[i];
                }
            }
            // power-dam: -sum_mu (beta <xi_mu, h>)^3; grad -3 beta sum_mu (beta <xi_mu, h>)^2 xi_mu
            for (double[] m : xiPow) {
                double s = powBeta * dot(m, h[b]);
                e[b] -= s * s * s;
                for (int i = 0; i < DH; i++) {
                    dh[b][i] -= 3 * powBeta * s * s * m[i];
                }
            }
            // exp of distance with log: -(1/beta) log(eps + sum_mu exp(-beta/2 |v - xi_mu|^2))
            double z = expEps;
            double[] pull = new double[DV];
            for (double[] m : xiExp) {
                double f = Math.exp(-expBeta / 2 * sqDist(v[b], m));
                z += f;
                for (int i = 0; i < DV; i++) {
                    pull[i] += f * (m[i] - v[b][i]);
                }
            }
            e[b] -= Math.log(z) / expBeta;
            for (int i = 0; i < DV; i++) {
                dv[b][i] -= pull[i] / z;
            }
            for (int n = 0; n < N; n++) {
                // lsr per token: -(1/beta) log sum_mu relu(1 - beta/2 |t_n - xi_mu|^2)
                double zl = 0;
                double[] pl = new double[DT];
                for (double[] m : xiLsr) {
                    double f = 1 - lsrBeta / 2 * sqDist(t[b][n], m);
                    if (f > 0) {
                        zl += f;
                        for (int i = 0; i < DT; i++) {
                            pl[i] += lsrBeta * (m[i] - t[b][n][i]);
                        }
                    }
                }
                e[b] -= Math.log(zl) / lsrBeta;
                for (int i = 0; i < DT; i++) {
                    dt[b][n][i] -= pl[i] / (lsrBeta * zl);
                }
                // et-hopfield per token: -1/2 sum_mu relu(<xi_mu, t_n>)^2
                for (double[] m : xiEt) {
                    double s = Math.max(0, dot(m, t[b][n]));
                    e[b] -= 0.5 * s * s;
                    for (int i = 0; i < DT; i++) {
                        dt[b][n][i] -= s * m[i];
                    }
                }
            }
            // random features: -(1/beta) log(phi(v) . T), gradient by the chain rule on each feature
            double[] pp = positive(omega, v[b], rfBeta);
            double[] pt = trigonometric(omega, v[b], rfBeta);
            double zp = dot(pp, tPos);
            double zt = dot(pt, tTrig);
            e[b] -= (Math.log(zp) + Math.log(zt)) / rfBeta;
            double sq = Math.sqrt(rfBeta);
            for (int k = 0; k < Y; k++) {
                double hk = sq * dot(omega[k], v[b]);
                double cs = -Math.sin(hk) * tTrig[k] + Math.cos(hk) * tTrig[Y + k];   // d(phi_k . T)/dh_k sqrt(Y)
                for (int i = 0; i < DV; i++) {
                    dv[b][i] -= pp[k] * tPos[k] * (sq * omega[k][i] - 2 * rfBeta * v[b][i]) / (rfBeta * zp);
                    dv[b][i] -= cs / Math.sqrt(Y) * sq * omega[k][i] / (rfBeta * zt);
                }
            }
            // 3-ary dense: -sum W[i][j][k] v_i h_j u_k
            for (int i = 0; i < DV; i++) {
                for (int j = 0; j < DH; j++) {
                    for (int k = 0; k < DU; k++) {
                        double wijk = w3[i][j][k];
                        e[b] -= wijk * v[b][i] * h[b][j] * u[b][k];
                        dv[b][i] -= wijk * h[b][j] * u[b][k];
                        dh[b][j] -= wijk * v[b][i] * u[b][k];
                        du[b][k] -= wijk * v[b][i] * h[b][j];
                    }
                }
            }
            // hidden softmax: -(1/beta) log sum_a exp(beta z_a), z = v Wv + h Wh; grad -W softmax(beta z)
            double[] zh = new double[H];
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < H; a++) {
                for (int i = 0; i < DV; i++) {
                    zh[a] += v[b][i] * wv[i][a];
                }
                for (int j = 0; j < DH; j++) {
                    zh[a] += h[b][j] * wh[j][a];
                }
                max = Math.max(max, hidBeta * zh[a]);
            }
            double zs = 0;
            for (int a = 0; a < H; a++) {
                zs += Math.exp(hidBeta * zh[a] - max);
            }
            e[b] -= (max + Math.log(zs)) / hidBeta;
            for (int a = 0; a < H; a++) {
                double p = Math.exp(hidBeta * zh[a] - max) / zs;
                for (int i = 0; i < DV; i++) {
                    dv[b][i] -= wv[i][a] * p;
                }
                for (int j = 0; j < DH; j++) {
                    dh[b][j] -= wh[j][a] * p;
                }
            }
        }

        assertClose(Nd4j.create(e), energy, 1e-9, 1e-12, "energy");
        assertClose(Nd4j.create(dv), grad.get("v"), 1e-9, 1e-12, "dE/dg of v");
        assertClose(Nd4j.create(dh), grad.get("h"), 1e-9, 1e-12, "dE/dg of h");
        assertClose(Nd4j.create(du), grad.get("u"), 1e-9, 1e-12, "dE/dg of u");
        assertClose(Nd4j.create(dt), grad.get("t"), 1e-9, 1e-12, "dE/dg of t");
    }

    /** {@code exp(sqrt(beta) omega_k . x - beta |x|^2) / sqrt(Y)}. */
    private static double[] positive(double[][] omega, double[] x, double beta) {
        double[] phi = new double[omega.length];
        for (int k = 0; k < omega.length; k++) {
            phi[k] = Math.exp(Math.sqrt(beta) * dot(omega[k], x) - beta * dot(x, x)) / Math.sqrt(omega.length);
        }
        return phi;
    }

    /** {@code [cos h, sin h] / sqrt(Y)}, {@code h_k = sqrt(beta) omega_k . x}. */
    private static double[] trigonometric(double[][] omega, double[] x, double beta) {
        int y = omega.length;
        double[] phi = new double[2 * y];
        for (int k = 0; k < y; k++) {
            double hk = Math.sqrt(beta) * dot(omega[k], x);
            phi[k] = Math.cos(hk) / Math.sqrt(y);
            phi[y + k] = Math.sin(hk) / Math.sqrt(y);
        }
        return phi;
    }
}
