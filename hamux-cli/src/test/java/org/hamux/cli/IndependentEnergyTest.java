package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hamux.core.io.Npy;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code hamux energy --dtype float64} against an independent implementation of the same math: plain Java
 * loops written from the formulas of DESIGN.md, on a graph with a layer of every Lagrangian, dense (also one
 * layer twice), bias and lse-memory synapses (flattened and per row). Energies of every part and
 * {@code dE/dg} of every layer agree to 1e-9 relative.
 */
class IndependentEnergyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int B = 3;
    private static final double RTOL = 1e-9;

    @TempDir
    Path dir;

    private final Random random = new Random(20261125L);

    /** A layer of the reference: per-sample shape {@code rows x cols} (rows 1 for a vector), state, Lagrangian. */
    private record Ref(String name, int rows, int cols, String json, Lag lag) {
        int size() {
            return rows * cols;
        }
    }

    /** {@code L} of one sample and its gradient, on a flat row-major state of {@code rows x cols}. */
    private interface Lag {
        double value(double[] x, int rows, int cols);

        double[] activation(double[] x, int rows, int cols);
    }

    /** An element-wise Lagrangian {@code L = sum f(x_i)}, {@code g_i = f'(x_i)}. */
    private static Lag elementwise(java.util.function.DoubleUnaryOperator f, java.util.function.DoubleUnaryOperator df) {
        return new Lag() {
            public double value(double[] x, int r, int c) {
                double s = 0;
                for (double v : x) {
                    s += f.applyAsDouble(v);
                }
                return s;
            }

            public double[] activation(double[] x, int r, int c) {
                double[] g = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    g[i] = df.applyAsDouble(x[i]);
                }
                return g;
            }
        };
    }

    private static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** {@code L = sum_rows (1/beta) log sum_j exp(beta x_rj)}: softmax over the last axis. */
    private static Lag softmax(double beta) {
        return new Lag() {
            public double value(double[] x, int r, int c) {
                double s = 0;
                for (int i = 0; i < r; i++) {
                    double z = 0;
                    for (int j = 0; j < c; j++) {
                        z += Math.exp(beta * x[i * c + j]);
                    }
                    s += Math.log(z) / beta;
                }
                return s;
            }

            public double[] activation(double[] x, int r, int c) {
                double[] g = new double[x.length];
                for (int i = 0; i < r; i++) {
                    double z = 0;
                    for (int j = 0; j < c; j++) {
                        z += Math.exp(beta * x[i * c + j]);
                    }
                    for (int j = 0; j < c; j++) {
                        g[i * c + j] = Math.exp(beta * x[i * c + j]) / z;
                    }
                }
                return g;
            }
        };
    }

    /** {@code L = log(1 + sum_r e^x_rc)} over the first axis (axis 0), summed over columns. */
    private static Lag ghostmaxFirstAxis() {
        return new Lag() {
            public double value(double[] x, int r, int c) {
                double s = 0;
                for (int j = 0; j < c; j++) {
                    double z = 1;
                    for (int i = 0; i < r; i++) {
                        z += Math.exp(x[i * c + j]);
                    }
                    s += Math.log(z);
                }
                return s;
            }

            public double[] activation(double[] x, int r, int c) {
                double[] g = new double[x.length];
                for (int j = 0; j < c; j++) {
                    double z = 1;
                    for (int i = 0; i < r; i++) {
                        z += Math.exp(x[i * c + j]);
                    }
                    for (int i = 0; i < r; i++) {
                        g[i * c + j] = Math.exp(x[i * c + j]) / z;
                    }
                }
                return g;
            }
        };
    }

    /**
     * Per row: layernorm {@code L = D gamma sqrt(var + eps) + sum delta x}, {@code g = gamma (x - mean) /
     * sqrt(var + eps) + delta} (centered), or spherical {@code L = gamma sqrt(|x|^2 + eps) + sum delta x},
     * {@code g = gamma x / sqrt(|x|^2 + eps) + delta} (not centered).
     */
    private static Lag norm(boolean centered, double gamma, double[] delta, double eps) {
        return new Lag() {
            public double value(double[] x, int r, int c) {
                double s = 0;
                for (int i = 0; i < r; i++) {
                    double mean = centered ? mean(x, i, c) : 0;
                    double q = 0;
                    for (int j = 0; j < c; j++) {
                        q += (x[i * c + j] - mean) * (x[i * c + j] - mean);
                        s += delta[j] * x[i * c + j];
                    }
                    s += centered ? c * gamma * Math.sqrt(q / c + eps) : gamma * Math.sqrt(q + eps);
                }
                return s;
            }

            public double[] activation(double[] x, int r, int c) {
                double[] g = new double[x.length];
                for (int i = 0; i < r; i++) {
                    double mean = centered ? mean(x, i, c) : 0;
                    double q = 0;
                    for (int j = 0; j < c; j++) {
                        q += (x[i * c + j] - mean) * (x[i * c + j] - mean);
                    }
                    double norm = centered ? Math.sqrt(q / c + eps) : Math.sqrt(q + eps);
                    for (int j = 0; j < c; j++) {
                        g[i * c + j] = gamma * (x[i * c + j] - mean) / norm + delta[j];
                    }
                }
                return g;
            }
        };
    }

    private static double mean(double[] x, int row, int c) {
        double m = 0;
        for (int j = 0; j < c; j++) {
            m += x[row * c + j];
        }
        return m / c;
    }

    private final List<Ref> layers = List.of(
            new Ref("a", 1, 4, "{\"type\": \"identity\"}", elementwise(v -> v * v / 2, v -> v)),
            new Ref("b", 1, 3, "{\"type\": \"relu\"}", elementwise(v -> Math.pow(Math.max(v, 0), 2) / 2, v -> Math.max(v, 0))),
            new Ref("c", 1, 3, "{\"type\": \"repu\", \"n\": 3}",
                    elementwise(v -> Math.pow(Math.max(v, 0), 3) / 3, v -> Math.pow(Math.max(v, 0), 2))),
            new Ref("d", 1, 3, "{\"type\": \"exp\", \"beta\": 0.7}",
                    elementwise(v -> Math.exp(0.7 * v) / 0.7, v -> Math.exp(0.7 * v))),
            new Ref("e", 1, 3, "{\"type\": \"rexp\", \"beta\": 1.3}",
                    elementwise(v -> Math.exp(1.3 * Math.max(v, 0)) / 1.3 - Math.max(v, 0), v -> Math.exp(1.3 * Math.max(v, 0)) - 1)),
            new Ref("f", 1, 3, "{\"type\": \"tanh\", \"beta\": 2.0}",
                    elementwise(v -> Math.log(Math.cosh(2 * v)) / 2, v -> Math.tanh(2 * v))),
            new Ref("s", 1, 3, "{\"type\": \"sigmoid\", \"beta\": 1.5, \"scale\": 2.0}",
                    elementwise(v -> 2 / 1.5 * softplus(1.5 * v), v -> 2 / (1 + Math.exp(-1.5 * v)))),
            new Ref("m", 2, 3, "{\"type\": \"softmax\", \"beta\": 0.8, \"axis\": -1}", softmax(0.8)),
            new Ref("n", 2, 3, "{\"type\": \"layernorm\", \"gamma\": 1.2, \"eps\": 1e-5, \"params\": {\"delta\": [0.1, -0.2, 0.3]}}",
                    norm(true, 1.2, new double[] {0.1, -0.2, 0.3}, 1e-5)),
            new Ref("p", 2, 3, "{\"type\": \"spherical\", \"gamma\": 0.9, \"delta\": 0.1, \"eps\": 1e-3}",
                    norm(false, 0.9, new double[] {0.1, 0.1, 0.1}, 1e-3)),
            new Ref("h", 3, 2, "{\"type\": \"ghostmax\", \"axis\": 0}", ghostmaxFirstAxis()));

    /** Dense synapses {@code name: [from, to]} with random weights {@code [size(from), size(to)]}. */
    private final Map<String, String[]> dense = new LinkedHashMap<>(Map.of(
            "ab", new String[] {"a", "b"}, "cd", new String[] {"c", "d"}, "ef", new String[] {"e", "f"},
            "sm", new String[] {"s", "m"}, "np", new String[] {"n", "p"}, "ha", new String[] {"h", "a"},
            "aa", new String[] {"a", "a"}));

    private double[][] normal(int rows, int cols, double std) {
        return Numerics.normal(random, rows, cols, std);
    }

    private Ref ref(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void energyAndGradientOfEveryPartMatchPlainLoopsInDoublePrecision() throws Exception {
        Map<String, double[][]> x = new LinkedHashMap<>();
        for (Ref l : layers) {
            x.put(l.name(), normal(B, l.size(), 1.0));
        }
        Map<String, double[][]> w = new LinkedHashMap<>();
        dense.forEach((k, v) -> w.put(k, normal(ref(v[0]).size(), ref(v[1]).size(), 0.4)));
        double[] layerBias = normal(1, 3, 1.0)[0]; // on layer b, in the layer
        double[] synBias = normal(1, 3, 1.0)[0]; // a bias synapse on layer f
        double[][] xi = normal(5, 4, 1.0); // lse-memory on a (flattened)
        double beta = 0.6;
        double[][] xiRows = normal(4, 3, 1.0); // lse-memory on every row of n
        double betaRows = 1.7;

        // the spec: weights inline, states from .npy files
        StringBuilder s = new StringBuilder("{\"hamux\": 1, \"dtype\": \"float64\", \"layers\": {");
        for (Ref l : layers) {
            s.append('"').append(l.name()).append("\": {\"shape\": ").append(l.rows() == 1 ? "[" + l.cols() + "]"
                    : "[" + l.rows() + ", " + l.cols() + "]").append(", \"lagrangian\": ").append(l.json());
            if (l.name().equals("b")) {
                s.append(", \"bias\": ").append(JSON.writeValueAsString(layerBias));
            }
            s.append("},");
        }
        s.setLength(s.length() - 1);
        s.append("}, \"synapses\": {");
        w.forEach((k, v) -> s.append("\"").append(k).append("\": {\"type\": \"dense\", \"params\": {\"W\": ")
                .append(json(v)).append("}},"));
        s.append("\"fb\": {\"type\": \"bias\", \"params\": {\"b\": ").append(JSON.writeValueAsString(synBias)).append("}},");
        s.append("\"mem\": {\"type\": \"lse-memory\", \"beta\": ").append(beta).append(", \"params\": {\"xi\": ")
                .append(json(xi)).append("}},");
        s.append("\"tok\": {\"type\": \"lse-memory\", \"beta\": ").append(betaRows).append(", \"params\": {\"xi\": ")
                .append(json(xiRows)).append("}}");
        s.append("}, \"connections\": [");
        dense.forEach((k, v) -> s.append("{\"synapse\": \"").append(k).append("\", \"layers\": [\"").append(v[0])
                .append("\", \"").append(v[1]).append("\"]},"));
        s.append("{\"synapse\": \"fb\", \"layers\": [\"f\"]}, {\"synapse\": \"mem\", \"layers\": [\"a\"]},")
                .append("{\"synapse\": \"tok\", \"layers\": [\"n\"]}]}");
        String spec = TinySpecs.write(dir, "all.json", s.toString());

        String[] args = new String[4 + 2 * layers.size()];
        args[0] = "energy";
        args[1] = spec;
        args[2] = "--dtype=float64";
        args[3] = "--grad-out=" + dir.resolve("grad");
        int i = 4;
        for (Ref l : layers) {
            Path f = dir.resolve(l.name() + ".npy");
            Npy.write(f, Nd4j.create(x.get(l.name())));
            args[i++] = "--state";
            args[i++] = l.name() + "=" + f;
        }
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r::toString);
        JsonNode out = JSON.readTree(r.out());

        // the reference, sample by sample
        for (int b = 0; b < B; b++) {
            Map<String, double[]> g = new LinkedHashMap<>();
            Map<String, double[]> grad = new LinkedHashMap<>();
            double total = 0;
            for (Ref l : layers) {
                double[] xl = x.get(l.name())[b];
                double[] gl = l.lag().activation(xl, l.rows(), l.cols());
                g.put(l.name(), gl);
                // E_layer = <x, g> - L(x) - <bias, g>;  dE/dg = x - bias
                double e = dot(xl, gl) - l.lag().value(xl, l.rows(), l.cols());
                double[] d = xl.clone();
                if (l.name().equals("b")) {
                    e -= dot(layerBias, gl);
                    for (int j = 0; j < d.length; j++) {
                        d[j] -= layerBias[j];
                    }
                }
                grad.put(l.name(), d);
                check(out.get("layers").get(l.name()).get(b).asDouble(), e, "energy of layer " + l.name());
                total += e;
            }
            for (var e : dense.entrySet()) {
                // E = -g1^T W g2;  dE/dg1 = -W g2,  dE/dg2 = -W^T g1
                double[][] wk = w.get(e.getKey());
                double[] g1 = g.get(e.getValue()[0]);
                double[] g2 = g.get(e.getValue()[1]);
                double en = 0;
                for (int p = 0; p < g1.length; p++) {
                    for (int q = 0; q < g2.length; q++) {
                        en -= g1[p] * wk[p][q] * g2[q];
                        grad.get(e.getValue()[0])[p] -= wk[p][q] * g2[q];
                        grad.get(e.getValue()[1])[q] -= wk[p][q] * g1[p];
                    }
                }
                check(out.get("synapses").get(e.getKey()).get(b).asDouble(), en, "energy of synapse " + e.getKey());
                total += en;
            }
            // bias synapse: E = -b.g, dE/dg = -b
            double eb = -dot(synBias, g.get("f"));
            for (int j = 0; j < 3; j++) {
                grad.get("f")[j] -= synBias[j];
            }
            check(out.get("synapses").get("fb").get(b).asDouble(), eb, "energy of synapse fb");
            total += eb;
            // lse-memory: E = -(1/beta) log sum_mu exp(beta xi_mu.g); dE/dg = -sum_mu p_mu xi_mu
            total += lse(xi, beta, g.get("a"), 0, grad.get("a"), out.get("synapses").get("mem").get(b).asDouble(), "mem");
            double tok = 0;
            for (int row = 0; row < 2; row++) {
                tok += lse(xiRows, betaRows, g.get("n"), row * 3, grad.get("n"), Double.NaN, "tok");
            }
            check(out.get("synapses").get("tok").get(b).asDouble(), tok, "energy of synapse tok");
            total += tok;
            check(out.get("total").get(b).asDouble(), total, "total energy of sample " + b);

            for (Ref l : layers) {
                INDArray got = Npy.read(dir.resolve("grad").resolve(l.name() + ".npy"));
                double[] flat = got.reshape(got.size(0), l.size()).getRow(b).toDoubleVector();
                for (int j = 0; j < flat.length; j++) {
                    check(flat[j], grad.get(l.name())[j], "dE/dg of layer " + l.name() + "[" + b + ", " + j + "]");
                }
            }
        }
    }

    /**
     * The lse-memory energy on {@code xi[0].length} entries of {@code g} from {@code offset}; adds its gradient
     * into {@code grad}; checks the energy against {@code reported} unless NaN.
     */
    private static double lse(double[][] xi, double beta, double[] g, int offset, double[] grad, double reported,
                              String name) {
        double[] score = new double[xi.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int mu = 0; mu < xi.length; mu++) {
            for (int j = 0; j < xi[mu].length; j++) {
                score[mu] += beta * xi[mu][j] * g[offset + j];
            }
            max = Math.max(max, score[mu]);
        }
        double z = 0;
        for (double sc : score) {
            z += Math.exp(sc - max);
        }
        double e = -(max + Math.log(z)) / beta;
        for (int mu = 0; mu < xi.length; mu++) {
            double p = Math.exp(score[mu] - max) / z;
            for (int j = 0; j < xi[mu].length; j++) {
                grad[offset + j] -= p * xi[mu][j];
            }
        }
        if (!Double.isNaN(reported)) {
            check(reported, e, "energy of synapse " + name);
        }
        return e;
    }

    private static void check(double got, double want, String what) {
        assertTrue(Math.abs(got - want) <= RTOL * Math.max(1e-3, Math.abs(want)),
                what + ": hamux " + got + ", reference " + want);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static String json(double[][] a) {
        try {
            return JSON.writeValueAsString(a);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
