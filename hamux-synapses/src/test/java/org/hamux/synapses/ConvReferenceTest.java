package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;

import java.util.List;
import java.util.Random;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.EagerOps;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and pooling energies and gradients against plain Java loops written from the equations
 * (cross-correlation, zero padding, bias, floor-sized pooling without padding), in float64.
 */
class ConvReferenceTest {

    private static final int B = 3;
    private static final int C = 2;
    private static final int O = 3;

    private final Random random = new Random(20261124L);

    private double[] normal(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextGaussian();
        }
        return a;
    }

    @Test
    void convolutionMatchesPlainLoops() {
        check(9, 7, 3, 2, new int[] {2, 1}, new int[] {1, 1}, null, null, null);
    }

    @Test
    void convolutionWithMaxPoolingMatchesPlainLoops() {
        check(7, 8, 3, 3, new int[] {1, 1}, new int[] {1, 0}, ConvPoolSynapse.Pool.MAX, new int[] {2, 3}, new int[] {2, 3});
    }

    @Test
    void convolutionWithOverlappingAveragePoolingMatchesPlainLoops() {
        check(8, 6, 2, 2, new int[] {1, 2}, new int[] {0, 1}, ConvPoolSynapse.Pool.AVG, new int[] {3, 2}, new int[] {2, 1});
    }

    private void check(int h, int w, int kh, int kw, int[] stride, int[] pad, ConvPoolSynapse.Pool pool, int[] win, int[] ps) {
        double[] k = normal(O * C * kh * kw);
        double[] bias = normal(O);
        double[] x = normal(B * C * h * w);
        int ho = (h + 2 * pad[0] - kh) / stride[0] + 1;
        int wo = (w + 2 * pad[1] - kw) / stride[1] + 1;
        // c[b][o][i][j] = sum W[o][c][u][v] x[b][c][i s + u - p][j s + v - p] + bias[o]
        double[][][][] c = new double[B][O][ho][wo];
        for (int b = 0; b < B; b++) {
            for (int o = 0; o < O; o++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        double s = bias[o];
                        for (int ch = 0; ch < C; ch++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int r = i * stride[0] + u - pad[0];
                                    int q = j * stride[1] + v - pad[1];
                                    if (r >= 0 && r < h && q >= 0 && q < w) {
                                        s += k[((o * C + ch) * kh + u) * kw + v] * x[((b * C + ch) * h + r) * w + q];
                                    }
                                }
                            }
                        }
                        c[b][o][i][j] = s;
                    }
                }
            }
        }
        int hp = pool == null ? ho : (ho - win[0]) / ps[0] + 1;
        int wp = pool == null ? wo : (wo - win[1]) / ps[1] + 1;
        double[] y = normal(B * O * hp * wp);
        double[] e = new double[B];
        double[] dy = new double[B * O * hp * wp];
        double[][][][] dc = new double[B][O][ho][wo];
        for (int b = 0; b < B; b++) {
            for (int o = 0; o < O; o++) {
                for (int i = 0; i < hp; i++) {
                    for (int j = 0; j < wp; j++) {
                        int at = ((b * O + o) * hp + i) * wp + j;
                        double value;
                        if (pool == null) {
                            value = c[b][o][i][j];
                            dc[b][o][i][j] -= y[at];
                        } else if (pool == ConvPoolSynapse.Pool.AVG) {
                            value = 0;
                            for (int u = 0; u < win[0]; u++) {
                                for (int v = 0; v < win[1]; v++) {
                                    value += c[b][o][i * ps[0] + u][j * ps[1] + v] / (win[0] * win[1]);
                                    dc[b][o][i * ps[0] + u][j * ps[1] + v] -= y[at] / (win[0] * win[1]);
                                }
                            }
                        } else {
                            value = Double.NEGATIVE_INFINITY;
                            int bu = 0;
                            int bv = 0;
                            for (int u = 0; u < win[0]; u++) {
                                for (int v = 0; v < win[1]; v++) {
                                    if (c[b][o][i * ps[0] + u][j * ps[1] + v] > value) {
                                        value = c[b][o][i * ps[0] + u][j * ps[1] + v];
                                        bu = u;
                                        bv = v;
                                    }
                                }
                            }
                            dc[b][o][i * ps[0] + bu][j * ps[1] + bv] -= y[at];
                        }
                        e[b] -= y[at] * value;
                        dy[at] = -value;
                    }
                }
            }
        }
        double[] dx = new double[B * C * h * w];
        for (int b = 0; b < B; b++) {
            for (int o = 0; o < O; o++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        for (int ch = 0; ch < C; ch++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int r = i * stride[0] + u - pad[0];
                                    int q = j * stride[1] + v - pad[1];
                                    if (r >= 0 && r < h && q >= 0 && q < w) {
                                        dx[((b * C + ch) * h + r) * w + q] += k[((o * C + ch) * kh + u) * kw + v] * dc[b][o][i][j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        INDArray kernel = Nd4j.create(k, new long[] {O, C, kh, kw}, DataType.DOUBLE);
        INDArray b = Nd4j.create(bias, new long[] {O}, DataType.DOUBLE);
        Hypersynapse s = pool == null ? new ConvSynapse(kernel, b, stride, pad)
                : new ConvPoolSynapse(kernel, b, stride, pad, pool, win, ps);
        List<INDArray> g = List.of(Nd4j.create(x, new long[] {B, C, h, w}, DataType.DOUBLE),
                Nd4j.create(y, new long[] {B, O, hp, wp}, DataType.DOUBLE));
        s.check(List.of(new long[] {C, h, w}, new long[] {O, hp, wp}));
        assertClose(Nd4j.create(e), s.energy(EagerOps.INSTANCE, g), 1e-9, 1e-12, s + ": energy");
        List<INDArray> grad = s.gradient(EagerOps.INSTANCE, g);
        assertClose(Nd4j.create(dx, new long[] {B, C, h, w}, DataType.DOUBLE), grad.get(0), 1e-9, 1e-12, s + ": dE/dg1");
        assertClose(Nd4j.create(dy, new long[] {B, O, hp, wp}, DataType.DOUBLE), grad.get(1), 1e-9, 1e-12, s + ": dE/dg2");
    }

    @Test
    void maxPoolingRoutesATieToTheFirstMaximalElement() {
        // a 1x1 identity kernel makes c = g1; the 2x2 window [[1, 3], [3, 0]] ties at 3: row-major first is (0, 1)
        INDArray one = Nd4j.ones(DataType.DOUBLE, 1, 1, 1, 1);
        ConvPoolSynapse s = new ConvPoolSynapse(one, null, new int[] {1, 1}, new int[] {0, 0}, ConvPoolSynapse.Pool.MAX,
                new int[] {2, 2}, null);
        INDArray g1 = Nd4j.create(new double[] {1, 3, 3, 0}, new long[] {1, 1, 2, 2}, DataType.DOUBLE);
        INDArray g2 = Nd4j.create(new double[] {2}, new long[] {1, 1, 1, 1}, DataType.DOUBLE);
        List<INDArray> grad = s.gradient(EagerOps.INSTANCE, List.of(g1, g2));
        assertClose(Nd4j.create(new double[] {0, -2, 0, 0}, new long[] {1, 1, 2, 2}, DataType.DOUBLE), grad.get(0),
                0, 0, "the tie's gradient");
        assertClose(Nd4j.create(new double[] {-3}, new long[] {1, 1, 1, 1}, DataType.DOUBLE), grad.get(1), 0, 0, "dE/dg2");
    }
}
