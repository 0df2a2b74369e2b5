package org.hamux.synapses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.layers.TanhLagrangian;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The binary limit: a tanh layer with a large beta and a power or exp memory ends where the discrete
 * Dense Associative Memory update of Krotov &amp; Hopfield (2016) ends,
 * <pre>  sigma_i &lt;- sign( sum_mu [F(xi_mu_i + sum_{j != i} xi_mu_j sigma_j) - F(-xi_mu_i + sum_{j != i} xi_mu_j sigma_j)] )</pre>
 * applied neuron by neuron until nothing changes, from the same corrupted +-1 starts.
 */
class BinaryLimitTest {

    private static final int N = 30;
    private static final int K = 4;
    private static final double LAYER_BETA = 1000;

    @ParameterizedTest
    @ValueSource(strings = {"power", "exp"})
    void continuousDynamicsEndsWhereTheDiscreteUpdateEnds(String separation) {
        Random random = new Random(20261124L);
        double[][] xi = new double[K][N];
        for (double[] m : xi) {
            for (int i = 0; i < N; i++) {
                m[i] = random.nextBoolean() ? 1 : -1;
            }
        }
        // F(s) = (s/N)^4, or exp(3 s/N): the same function in both updates (the synapse's beta is the 1/N, 3/N)
        double beta = separation.equals("power") ? 1.0 / N : 3.0 / N;
        DoubleUnaryOperator f = separation.equals("power") ? s -> Math.pow(beta * s, 4) : s -> Math.exp(beta * s);
        INDArray memories = Nd4j.create(xi);
        Hypersynapse memory = separation.equals("power") ? DamSynapse.powerDam(memories, 4, beta)
                : DamSynapse.expDam(memories, beta);
        EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("s", new TanhLagrangian(LAYER_BETA), N)
                .synapse("memory", memory, "s")
                .build();

        int starts = 8;
        double[][] sigma0 = new double[starts][];
        for (int b = 0; b < starts; b++) {
            sigma0[b] = xi[b % K].clone();
            double flip = b < K ? 0.15 : 0.3;                    // the later starts are further from their memory
            for (int i = 0; i < N; i++) {
                if (random.nextDouble() < flip) {
                    sigma0[b][i] = -sigma0[b][i];
                }
            }
        }
        // the continuous start: x = 3 sigma / beta_layer, so that g = tanh(3) sigma ~ 0.995 sigma
        INDArray x0 = Nd4j.create(sigma0).mul(3 / LAYER_BETA);
        Dynamics.Result r = Dynamics.builder().dt(0.1).steps(5000).tolerance(1e-12).build()
                .run(graph, Map.of("s", x0));
        INDArray g = r.activations().get("s");

        int moved = 0;
        StringBuilder report = new StringBuilder(separation + ": start -> discrete / continuous\n");
        for (int b = 0; b < starts; b++) {
            double[] discrete = discrete(sigma0[b], xi, f);
            double[] continuous = g.getRow(b).toDoubleVector();
            double[] signs = Arrays.stream(continuous).map(Math::signum).toArray();
            report.append(str(sigma0[b])).append(" -> ").append(str(discrete)).append(" / ").append(str(signs)).append('\n');
            assertArrayEquals(discrete, signs, report.toString());
            // the binary limit: every neuron saturated
            assertTrue(Arrays.stream(continuous).allMatch(v -> Math.abs(v) > 0.99), report + Arrays.toString(continuous));
            if (!Arrays.equals(discrete, sigma0[b])) {
                moved++;
            }
        }
        System.out.print(report);
        assertTrue(r.converged(), "the continuous dynamics should settle");
        assertTrue(moved >= starts / 2, "most starts should move: " + moved + "\n" + report);
    }

    /** Krotov-Hopfield asynchronous updates in index order, sweeps until no neuron changes. */
    private static double[] discrete(double[] start, double[][] xi, DoubleUnaryOperator f) {
        double[] sigma = start.clone();
        for (int sweep = 0; sweep < 100; sweep++) {
            boolean changed = false;
            for (int i = 0; i < N; i++) {
                double sum = 0;
                for (double[] m : xi) {
                    double rest = 0;                                  // sum_{j != i} xi_mu_j sigma_j
                    for (int j = 0; j < N; j++) {
                        if (j != i) {
                            rest += m[j] * sigma[j];
                        }
                    }
                    sum += f.applyAsDouble(m[i] + rest) - f.applyAsDouble(-m[i] + rest);
                }
                double next = sum >= 0 ? 1 : -1;
                if (next != sigma[i]) {
                    sigma[i] = next;
                    changed = true;
                }
            }
            if (!changed) {
                return sigma;
            }
        }
        throw new AssertionError("the discrete update did not settle");
    }

    private static String str(double[] s) {
        StringBuilder b = new StringBuilder();
        for (double v : s) {
            b.append(v > 0 ? '+' : '-');
        }
        return b.toString();
    }
}
