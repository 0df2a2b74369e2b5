// Pre-norm attention as clustering on the sphere (Schaeffer et al. 2024, "Bridging Associative Memory and Probabilistic
// Modeling", section 5). Tokens x_i pass through layer norm, g_i = LN(x_i) (a vector of norm sqrt(D) once centred), and
// energy attention E = -(1/beta) sum_q log sum_(k != q) exp(beta g_q . g_k) (W_Q = W_K = I, one head) pulls each
// token toward a softmax-weighted mean of the others: the fixed-point iteration of a mixture of von Mises-Fisher
// distributions on the sphere, u_q <- normalize(sum_k exp(kappa u_q . u_k) u_k). The tokens gather into clusters.
// This notebook runs the dynamics of a layernorm layer and an attention synapse (the Energy Transformer's pair) on
// tokens drawn from a mixture of four directions, counts the clusters along the steps, and runs the vMF iteration
// beside it.
// Run from the repository root:
//     ./hamux jshell examples/notebooks/prenorm-attention-clustering.jsh
// (-R-Dhamux.size=small runs the small version the tests run.)

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Rng;
import org.hamux.layers.LayerNormLagrangian;
import org.hamux.synapses.AttentionSynapse;
import org.hamux.viz.LinePlot;
import org.hamux.viz.Report;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

boolean small = "small".equals(System.getProperty("hamux.size"));
Path pages = Path.of(System.getProperty("hamux.pages", small ? System.getProperty("hamux.out", "hamux-out") : "examples/notebooks/pages"));
Files.createDirectories(pages);
Report report = new Report("Pre-norm attention as clustering on the sphere");

int d = 16, n = small ? 48 : 96, clusters = 4;
double beta = 16;
// tokens: one of four random directions each (round robin), plus noise; then given random offsets and scales, which
// the layer norm removes
INDArray directions = new Rng(1).normal(DataType.DOUBLE, 0, 1, clusters, d);
INDArray tokens = Nd4j.create(DataType.DOUBLE, 1, n, d);
int[] truth = new int[n];
INDArray noise = new Rng(2).normal(DataType.DOUBLE, 0, 0.6, n, d);
double[] scale = new Rng(3).uniform(DataType.DOUBLE, 0.5, 2, n).toDoubleVector();
for (int i = 0; i < n; i++) {
    truth[i] = i % clusters;
    tokens.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(i))
            .assign(directions.getRow(truth[i]).add(noise.getRow(i)).mul(scale[i]).add(scale[i] - 1));
}

// the clusters of unit vectors u [n, D]: groups joined where cosine similarity exceeds 0.99 (single linkage)
int count(INDArray u) {
    INDArray unit = u.divColumnVector(u.norm2(1).reshape(n, 1));
    INDArray cos = unit.mmul(unit.transpose());
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) parent[i] = i;
    int groups = n;
    for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) if (cos.getDouble(i, j) > 0.99) {
        int a = i, b = j;
        while (parent[a] != a) a = parent[a];
        while (parent[b] != b) b = parent[b];
        if (a != b) { parent[a] = b; groups--; }
    }
    return groups;
}
// the fraction of token pairs of the same true direction that share a cluster (and of different ones that do not)
double agreement(INDArray u) {
    INDArray unit = u.divColumnVector(u.norm2(1).reshape(n, 1));
    INDArray cos = unit.mmul(unit.transpose());
    int same = 0, total = 0;
    for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
        boolean together = cos.getDouble(i, j) > 0.99;
        if (together == (truth[i] == truth[j])) same++;
        total++;
    }
    return same / (double) total;
}

INDArray eye = Nd4j.eye(d).castTo(DataType.DOUBLE).reshape(1, d, d);
EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE).
        layer("tokens", new NeuronLayer(new long[] {n, d}, new LayerNormLagrangian(1.0, 0.0, 1e-5), 1.0, true, null)).
        synapse("attention", new AttentionSynapse(eye, eye.dup(), Nd4j.scalar(DataType.DOUBLE, beta / d), false), "tokens").
        build();

report.text(n + " tokens of " + d + " dimensions, each one of 4 random directions plus noise (std 0.6), then " +
        "scaled and offset at random. A layernorm layer and an energy-attention synapse (`W_Q = W_K = I`, one head, " +
        "beta " + beta + " / D on the normalized tokens) relax with Euler steps; a cluster is a group of tokens whose " +
        "activations' cosine similarity exceeds 0.99. Beside it, the fixed-point iteration of a mixture of von " +
        "Mises-Fisher distributions on the unit sphere, `u_q <- normalize(sum_(k != q) exp(kappa u_q . u_k) u_k)`, with " +
        "kappa = beta (the same weights on unit vectors).");
report.heading("Clusters along the steps");
int[] checkpoints = small ? new int[] {0, 10, 40, 120} : new int[] {0, 5, 10, 20, 40, 80, 160, 320};
List<List<Object>> rows = new ArrayList<>();
double[] sx = new double[checkpoints.length], sAttention = new double[checkpoints.length], sVmf = new double[checkpoints.length];
// the vMF iteration on unit vectors, started from the layer-normed tokens
INDArray u0 = new LayerNormLagrangian(1.0, 0.0, 1e-5).activation(org.hamux.core.ops.EagerOps.INSTANCE, tokens).reshape(n, d);
INDArray u = u0.divColumnVector(u0.norm2(1).reshape(n, 1));
int done = 0;
for (int c = 0; c < checkpoints.length; c++) {
    int steps = checkpoints[c];
    INDArray g = steps == 0 ? u0 : Dynamics.builder().dt(0.1).steps(steps).build().run(graph, Map.of("tokens", tokens))
            .activations().get("tokens").reshape(n, d);
    for (; done < steps / 10 + (steps > 0 ? 1 : 0) && steps > 0; done++) {            // one vMF iteration per 10 steps
        INDArray w = Transforms.exp(u.mmul(u.transpose()).muli(beta * 1.0), false);
        for (int i = 0; i < n; i++) w.putScalar(i, i, 0);                            // k != q, as the attention
        INDArray next = w.mmul(u);
        u = next.divColumnVector(next.norm2(1).reshape(n, 1));
    }
    int ca = count(g), cv = steps == 0 ? count(u0) : count(u);
    sx[c] = Math.max(steps, 1);
    sAttention[c] = ca;
    sVmf[c] = cv;
    rows.add(List.of(steps, ca, String.format(java.util.Locale.ROOT, "%.3f", agreement(g)), cv));
    report.println("step %3d: %2d clusters of the attention dynamics (agreement with the 4 directions %.3f); vMF iteration %2d clusters",
            steps, ca, agreement(g), cv);
}
report.table(List.of("Euler step", "clusters (attention)", "pairs grouped as the true directions", "clusters (vMF iteration, one per 10 steps)"), rows);
report.text("Published (Schaeffer et al. 2024, section 5): normalization followed by self-attention performs clustering " +
        "on the hypersphere, as the fixed-point iteration of a mixture of von Mises-Fisher distributions.");
Path png = pages.resolve("prenorm-attention-clustering.png");
LinePlot.writePng(png, List.of(new LinePlot.Panel("clusters of the tokens along the steps", "Euler step (0 shown at 1)",
        "clusters (cosine > 0.99)", true, true, List.of(new LinePlot.Series("layernorm + attention", sx, sAttention),
        new LinePlot.Series("vMF iteration", sx, sVmf)))));
report.figure(png, "the number of clusters along the steps: the tokens gather into the mixture's directions");
report.write(pages.resolve("prenorm-attention-clustering.md"));
/exit
