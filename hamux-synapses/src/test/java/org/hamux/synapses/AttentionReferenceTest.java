package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;

import java.util.List;
import java.util.Random;
import org.hamux.core.ops.EagerOps;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The attention energy and its gradient against plain Java loops written from the equation
 * {@code E = -sum_h (1/beta_h) sum_q log sum_k exp(beta_h <W_Q[h] g_q, W_K[h] g_k>)}, in float64.
 */
class AttentionReferenceTest {

    private static final int B = 3;
    private static final int H = 2;
    private static final int Y = 3;
    private static final int D = 5;

    private final Random random = new Random(20261123L);

    private double[] normal(int n, double std) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = std * random.nextGaussian();
        }
        return a;
    }

    @Test
    void selfAttentionWithoutDiagonalMatchesPlainLoops() {
        check(4, 4, true, false, new double[] {0.7, 1.4});
    }

    @Test
    void selfAttentionWithDiagonalMatchesPlainLoops() {
        check(4, 4, true, true, new double[] {0.9, 0.9});
    }

    @Test
    void crossAttentionMatchesPlainLoops() {
        check(3, 5, false, false, new double[] {1.0 / Math.sqrt(Y), 1.0 / Math.sqrt(Y)});
    }

    private void check(int nq, int nk, boolean self, boolean diagonal, double[] beta) {
        double[] wq = normal(H * Y * D, 0.8);
        double[] wk = normal(H * Y * D, 0.8);
        double[] gq = normal(B * nq * D, 1);
        double[] gk = self ? gq : normal(B * nk * D, 1);
        INDArray betaArray = beta[0] == beta[1] ? Nd4j.scalar(beta[0]) : Nd4j.createFromArray(beta);
        AttentionSynapse s = new AttentionSynapse(Nd4j.create(wq, new long[] {H, Y, D}, DataType.DOUBLE),
                Nd4j.create(wk, new long[] {H, Y, D}, DataType.DOUBLE), betaArray, diagonal);
        List<INDArray> g = self ? List.of(Nd4j.create(gq, new long[] {B, nq, D}, DataType.DOUBLE))
                : List.of(Nd4j.create(gq, new long[] {B, nq, D}, DataType.DOUBLE),
                        Nd4j.create(gk, new long[] {B, nk, D}, DataType.DOUBLE));
        INDArray energy = s.energy(EagerOps.INSTANCE, g);
        List<INDArray> grad = s.gradient(EagerOps.INSTANCE, g);

        double[] e = new double[B];
        double[] dq = new double[B * nq * D];
        double[] dk = new double[B * nk * D];
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                double[][] q = new double[nq][Y];
                double[][] k = new double[nk][Y];
                for (int y = 0; y < Y; y++) {
                    for (int d = 0; d < D; d++) {
                        for (int n = 0; n < nq; n++) {
                            q[n][y] += wq[(h * Y + y) * D + d] * gq[(b * nq + n) * D + d];
                        }
                        for (int n = 0; n < nk; n++) {
                            k[n][y] += wk[(h * Y + y) * D + d] * gk[(b * nk + n) * D + d];
                        }
                    }
                }
                for (int qi = 0; qi < nq; qi++) {
                    double[] a = new double[nk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int ki = 0; ki < nk; ki++) {
                        if (self && !diagonal && ki == qi) {
                            continue;
                        }
                        for (int y = 0; y < Y; y++) {
                            a[ki] += beta[h] * q[qi][y] * k[ki][y];
                        }
                        max = Math.max(max, a[ki]);
                    }
                    double z = 0;
                    for (int ki = 0; ki < nk; ki++) {
                        if (!(self && !diagonal && ki == qi)) {
                            z += Math.exp(a[ki] - max);
                        }
                    }
                    e[b] -= (max + Math.log(z)) / beta[h];
                    for (int ki = 0; ki < nk; ki++) {
                        if (self && !diagonal && ki == qi) {
                            continue;
                        }
                        double p = Math.exp(a[ki] - max) / z;
                        // dE/dA_hqk = -p; A = sum_y (W_Q g_q)_y (W_K g_k)_y
                        for (int y = 0; y < Y; y++) {
                            for (int d = 0; d < D; d++) {
                                dq[(b * nq + qi) * D + d] -= p * k[ki][y] * wq[(h * Y + y) * D + d];
                                dk[(b * nk + ki) * D + d] -= p * q[qi][y] * wk[(h * Y + y) * D + d];
                            }
                        }
                    }
                }
            }
        }
        assertClose(Nd4j.create(e), energy, 1e-9, 1e-12, "energy");
        INDArray expectQ = Nd4j.create(dq, new long[] {B, nq, D}, DataType.DOUBLE);
        INDArray expectK = Nd4j.create(dk, new long[] {B, nk, D}, DataType.DOUBLE);
        if (self) {
            assertClose(expectQ.add(expectK), grad.get(0), 1e-9, 1e-12, "dE/dg (query and key terms)");
        } else {
            assertClose(expectQ, grad.get(0), 1e-9, 1e-12, "dE/dg of the queries");
            assertClose(expectK, grad.get(1), 1e-9, 1e-12, "dE/dg of the keys");
        }
    }
}
