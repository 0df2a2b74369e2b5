package org.hamux.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cluster quality and a k-means baseline, for clustering with associative memories (ClAM): normalized
 * mutual information (arithmetic normalization, as scikit-learn's default), the adjusted Rand index, the
 * mean silhouette (Euclidean), and k-means (k-means++ seeding, Lloyd iterations, best of several seeded
 * starts).
 */
public final class Clustering {

    /** k-means starts; the one of least inertia is kept. */
    public static final int KMEANS_STARTS = 5;
    /** The most Lloyd iterations of one k-means start. */
    public static final int KMEANS_ITERATIONS = 100;

    private Clustering() {
    }

    /** NMI of two labelings: {@code I(a; b) / ((H(a) + H(b)) / 2)}; 1 when both have a single cluster. */
    public static double nmi(int[] a, int[] b) {
        Map<Long, Integer> joint = new LinkedHashMap<>();
        Map<Integer, Integer> ca = new LinkedHashMap<>();
        Map<Integer, Integer> cb = new LinkedHashMap<>();
        int n = check(a, b);
        for (int i = 0; i < n; i++) {
            joint.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1, Integer::sum);
            ca.merge(a[i], 1, Integer::sum);
            cb.merge(b[i], 1, Integer::sum);
        }
        double ha = entropy(ca, n);
        double hb = entropy(cb, n);
        if (ha == 0 && hb == 0) {
            return 1.0;
        }
        double mi = 0;
        for (var e : joint.entrySet()) {
            int x = (int) (e.getKey() >> 32);
            int y = (int) (long) e.getKey();
            double pxy = e.getValue() / (double) n;
            mi += pxy * Math.log(pxy / ((ca.get(x) / (double) n) * (cb.get(y) / (double) n)));
        }
        return Math.max(0, mi) / ((ha + hb) / 2);
    }

    private static double entropy(Map<Integer, Integer> counts, int n) {
        double h = 0;
        for (int c : counts.values()) {
            double p = c / (double) n;
            h -= p * Math.log(p);
        }
        return h;
    }

    /** The adjusted Rand index (Hubert and Arabie): 1 for identical partitions, about 0 for random ones. */
    public static double ari(int[] a, int[] b) {
        int n = check(a, b);
        Map<Long, Integer> joint = new LinkedHashMap<>();
        Map<Integer, Integer> ca = new LinkedHashMap<>();
        Map<Integer, Integer> cb = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            joint.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1, Integer::sum);
            ca.merge(a[i], 1, Integer::sum);
            cb.merge(b[i], 1, Integer::sum);
        }
        double index = joint.values().stream().mapToDouble(Clustering::pairs).sum();
        double sa = ca.values().stream().mapToDouble(Clustering::pairs).sum();
        double sb = cb.values().stream().mapToDouble(Clustering::pairs).sum();
        double expected = sa * sb / pairs(n);
        double max = (sa + sb) / 2;
        if (max == expected) {
            return 1.0;
        }
        return (index - expected) / (max - expected);
    }

    private static double pairs(int c) {
        return c * (c - 1) / 2.0;
    }

    private static int check(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new HamuxException("labelings of different lengths: " + a.length + " and " + b.length);
        }
        return a.length;
    }

    /**
     * The mean silhouette of the rows of {@code x} ({@code [N, D]}) under {@code labels}: per sample
     * {@code (b - a) / max(a, b)} with {@code a} the mean distance to its own cluster and {@code b} the least
     * mean distance to another; 0 for a sample alone in its cluster. NaN with fewer than two clusters.
     */
    public static double silhouette(INDArray x, int[] labels) {
        INDArray d = distances(x.castTo(DataType.DOUBLE));
        int n = labels.length;
        int k = Arrays.stream(labels).max().orElse(0) + 1;
        int[] size = new int[k];
        for (int l : labels) {
            size[l]++;
        }
        if (Arrays.stream(size).filter(s -> s > 0).count() < 2) {
            return Double.NaN;
        }
        double[][] dm = d.toDoubleMatrix();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] sum = new double[k];
            for (int j = 0; j < n; j++) {
                sum[labels[j]] += dm[i][j];
            }
            int own = labels[i];
            if (size[own] <= 1) {
                continue;
            }
            double a = sum[own] / (size[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != own && size[c] > 0) {
                    b = Math.min(b, sum[c] / size[c]);
                }
            }
            total += (b - a) / Math.max(a, b);
        }
        return total / n;
    }

    /** Euclidean distances between the rows of {@code x}: {@code [N, N]}. */
    static INDArray distances(INDArray x) {
        INDArray sq = x.mul(x).sum(1);
        INDArray d2 = x.mmul(x.transpose()).muli(-2).addiColumnVector(sq.reshape(sq.length(), 1))
                .addiRowVector(sq.reshape(1, sq.length()));
        return org.nd4j.linalg.ops.transforms.Transforms.sqrt(org.nd4j.linalg.ops.transforms.Transforms.relu(d2, false), false);
    }

    /** The index of the nearest row of {@code centres} ({@code [K, D]}) to every row of {@code x}. */
    public static int[] nearest(INDArray x, INDArray centres) {
        INDArray c = centres.castTo(x.dataType());
        INDArray score = x.mmul(c.transpose()).subRowVector(c.mul(c).sum(1).mul(0.5));
        return Arrays.stream(score.argMax(1).toLongVector()).mapToInt(v -> (int) v).toArray();
    }

    /** k-means of the rows of {@code x} ({@code [N, D]}) into {@code k} clusters: the labels and the centres. */
    public static KMeans kMeans(INDArray x, int k, long seed) {
        INDArray xd = x.castTo(DataType.DOUBLE);
        KMeans best = null;
        SplittableRandom r = new SplittableRandom(seed);
        for (int s = 0; s < KMEANS_STARTS; s++) {
            KMeans run = lloyd(xd, plusPlus(xd, k, r.split()));
            if (best == null || run.inertia() < best.inertia()) {
                best = run;
            }
        }
        return best;
    }

    /** A k-means result. */
    public record KMeans(int[] labels, INDArray centres, double inertia) {
    }

    private static INDArray plusPlus(INDArray x, int k, SplittableRandom r) {
        int n = (int) x.size(0);
        INDArray c = Nd4j.zeros(DataType.DOUBLE, k, x.size(1));
        c.putRow(0, x.getRow(r.nextInt(n)));
        double[] best = new double[n];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int j = 1; j < k; j++) {
            INDArray diff = x.subRowVector(c.getRow(j - 1));
            double[] d = diff.mul(diff).sum(1).toDoubleVector();
            double total = 0;
            for (int i = 0; i < n; i++) {
                best[i] = Math.min(best[i], d[i]);
                total += best[i];
            }
            double u = r.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                u -= best[i];
                if (u <= 0) {
                    pick = i;
                    break;
                }
            }
            c.putRow(j, x.getRow(pick));
        }
        return c;
    }

    private static KMeans lloyd(INDArray x, INDArray c) {
        int k = (int) c.size(0);
        int[] labels = null;
        for (int it = 0; it < KMEANS_ITERATIONS; it++) {
            int[] next = nearest(x, c);
            if (labels != null && Arrays.equals(labels, next)) {
                break;
            }
            labels = next;
            INDArray sums = Nd4j.zeros(DataType.DOUBLE, k, x.size(1));
            int[] count = new int[k];
            for (int i = 0; i < labels.length; i++) {
                sums.getRow(labels[i]).addi(x.getRow(i));
                count[labels[i]]++;
            }
            for (int j = 0; j < k; j++) {
                if (count[j] > 0) {
                    c.putRow(j, sums.getRow(j).div(count[j]));
                }
            }
        }
        double inertia = 0;
        for (int i = 0; i < labels.length; i++) {
            INDArray d = x.getRow(i).sub(c.getRow(labels[i]));
            inertia += d.mul(d).sumNumber().doubleValue();
        }
        return new KMeans(labels, c, inertia);
    }

    /**
     * ClAM next to k-means on the same data: the scores (NMI, ARI, silhouette, clusters used) and each sample's
     * ClAM cluster (the memory nearest its final state) with the inputs it was computed from ({@code [n, features]}).
     */
    public record Report(int k, long samples, double[] clam, double[] kmeans, int[] assigned, INDArray inputs) {

        /** Three lines: a header, ClAM, k-means (NMI, ARI, silhouette, clusters used). */
        public String table() {
            return String.format(Locale.ROOT, "clusters:  K=%d on %d samples%n           %-8s %8s %8s %10s %6s%n"
                            + "           %-8s %8.4f %8.4f %10.4f %6d%n           %-8s %8.4f %8.4f %10.4f %6d",
                    k, samples, "", "NMI", "ARI", "silhouette", "used",
                    "ClAM", clam[0], clam[1], clam[2], (int) clam[3], "k-means", kmeans[0], kmeans[1], kmeans[2], (int) kmeans[3]);
        }
    }

    /**
     * Clusters {@code data} with the memories of {@code t.cluster()}: each sample's final state (the training
     * dynamics from its input) goes to the nearest memory; scored with NMI and ARI against the labels (NaN
     * without) and by the silhouette of the inputs, next to k-means with the same K and seed.
     */
    public static Report report(EnergyGraph graph, Training t, Dataset data) {
        Training.Cluster c = t.cluster();
        INDArray memories = graph.parameters().get(c.memories());
        String inputName = t.inputs().get(c.layer());
        if (inputName == null) {
            throw new HamuxException("cluster layer '" + c.layer() + "' has no input in training.inputs");
        }
        INDArray xAll = data.array(inputName, "the cluster input");
        long n = data.size();
        INDArray flat = xAll.reshape('c', n, xAll.length() / n).castTo(DataType.DOUBLE);
        int[] clam = new int[(int) n];
        Training onLayer = t.toBuilder().loss(Loss.mse(c.layer(), Loss.Of.STATE, inputName)).build();
        DataType dtype = Trainer.dtype(graph);
        for (long from = 0; from < n; from += Trainer.EVAL_BATCH) {
            int len = (int) Math.min(Trainer.EVAL_BATCH, n - from);
            int[] idx = new int[len];
            for (int i = 0; i < len; i++) {
                idx[i] = (int) (from + i);
            }
            Map<String, INDArray> in = new LinkedHashMap<>();
            t.inputs().forEach((layer, name) -> in.put(layer, Targets.prepare(Dataset.rows(data.array(name, "input"), idx),
                    graph.layer(layer).shape(), dtype, "input")));
            INDArray out = Evaluation.output(graph, onLayer, in);
            int[] lab = nearest(out.reshape('c', len, out.length() / len).castTo(DataType.DOUBLE), memories);
            System.arraycopy(lab, 0, clam, (int) from, len);
        }
        int k = (int) memories.size(0);
        KMeans km = kMeans(flat, k, t.seed());
        int[] truth = null;
        if (c.labels() != null) {
            double[] v = data.array(c.labels(), "the cluster labels").castTo(DataType.DOUBLE).toDoubleVector();
            truth = Arrays.stream(v).mapToInt(d -> (int) d).toArray();
        }
        return new Report(k, n, scores(flat, clam, truth), scores(flat, km.labels(), truth), clam, flat);
    }

    private static double[] scores(INDArray x, int[] labels, int[] truth) {
        return new double[] {truth != null ? nmi(truth, labels) : Double.NaN, truth != null ? ari(truth, labels) : Double.NaN,
                silhouette(x, labels), Arrays.stream(labels).distinct().count()};
    }
}
