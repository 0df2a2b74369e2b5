// Distributed memory with random features (DrDAM, Hoover et al. 2024; tutorial notebook "Distributed Memory").
// The log-sum-exp memory with the distance similarity,
//     E(v) = -(1/beta) log sum_mu exp(-beta/2 |v - xi_mu|^2),
// is a kernel sum; with Y random features phi of the kernel, sum_mu phi(v) . phi(xi_mu) = phi(v) . T with
// T = sum_mu phi(xi_mu): the memories fold into one vector, and the model no longer grows with their number.
// This notebook measures the error of the estimate against Y (the O(sqrt(D / Y)) trend), the dynamics' error, retrieval
// of images, and adding memories to T.
// Run from the repository root:
//     ./hamux jshell examples/notebooks/random-features.jsh
// (-R-Dhamux.size=small runs the small version the tests run.)

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Rng;
import org.hamux.core.io.Npz;
import org.hamux.core.ops.EagerOps;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.synapses.DamSynapse;
import org.hamux.synapses.RandomFeatureSynapse;
import org.hamux.viz.ImageGrid;
import org.hamux.viz.LinePlot;
import org.hamux.viz.Report;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

boolean small = "small".equals(System.getProperty("hamux.size"));
Path examples = Path.of(System.getProperty("hamux.examples", "examples"));
Path pages = Path.of(System.getProperty("hamux.pages", small ? System.getProperty("hamux.out", "hamux-out") : "examples/notebooks/pages"));
Files.createDirectories(pages);
Report report = new Report("Distributed memory with random features");
RandomFeatureSynapse.Kind TRIG = RandomFeatureSynapse.Kind.TRIGONOMETRIC;

Hypersynapse exact(INDArray xi, double beta) {
    return DamSynapse.builder(xi).separation(DamSynapse.Separation.EXP).
            similarity(DamSynapse.Similarity.NEG_HALF_SQ_DISTANCE).log(0).inverseBetaPrefactor().beta(beta).build();
}
EnergyGraph graph(Hypersynapse memory, long d) {
    return EnergyGraph.builder().dtype(DataType.DOUBLE).
            layer("v", new NeuronLayer(new long[] {d}, new IdentityLagrangian(), 1.0, false, null)).
            synapse("memory", memory, "v").
            build();
}
double meanAbs(INDArray a) { return Nd4j.math().abs(a).meanNumber().doubleValue(); }

// 1. The error of the energy and of its gradient against Y, for D = 4, 16, 64: K = 10 memories with |xi| about 1,
//    queries near them (so that the kernel sum is not tiny), beta = 1, trigonometric features, 4 draws of omega.
report.text("The log-sum-exp memory with the distance similarity is a kernel sum; `Y` random features `phi` of the " +
        "kernel fold the memories into one vector `T = sum_mu phi(xi_mu)` (`random-features` synapse), so that the " +
        "model no longer grows with the number of memories. Trigonometric features `[cos h, sin h] / sqrt(Y)`, " +
        "`h = sqrt(beta) omega v`, `omega ~ N(0, I)`.");
report.heading("The estimate's error against the number of features Y");
int[] ys = small ? new int[] {64, 1024, 16384} : new int[] {64, 256, 1024, 4096, 16384, 65536};
int[] dims = small ? new int[] {4, 16} : new int[] {4, 16, 64};
List<LinePlot.Series> errSeries = new ArrayList<>();
List<List<Object>> slopes = new ArrayList<>();
for (int d : dims) {
    INDArray xi = new Rng(10 + d).normal(DataType.DOUBLE, 0, 1 / Math.sqrt(d), 10, d);
    INDArray v = xi.get(NDArrayIndex.interval(0, 5)).add(new Rng(20 + d).normal(DataType.DOUBLE, 0, 0.3 / Math.sqrt(d), 5, d));
    Hypersynapse ex = exact(xi, 1.0);
    INDArray e0 = ex.energy(EagerOps.INSTANCE, List.of(v));
    INDArray g0 = ex.gradient(EagerOps.INSTANCE, List.of(v)).get(0);
    double[] x = new double[ys.length], errE = new double[ys.length], errG = new double[ys.length];
    for (int i = 0; i < ys.length; i++) {
        for (long seed = 0; seed < 4; seed++) {
            RandomFeatureSynapse rf = RandomFeatureSynapse.of(xi, 1.0, ys[i], TRIG, 100 + seed);
            errE[i] += meanAbs(rf.energy(EagerOps.INSTANCE, List.of(v)).sub(e0)) / 4;
            errG[i] += meanAbs(rf.gradient(EagerOps.INSTANCE, List.of(v)).get(0).sub(g0)) / 4;
        }
        x[i] = ys[i];
        report.println("D %2d  Y %6d: mean |E - E_exact| %.2e, mean |dE/dv - exact| %.2e", d, ys[i], errE[i], errG[i]);
    }
    double slope = Math.log(errE[ys.length - 1] / errE[0]) / Math.log((double) ys[ys.length - 1] / ys[0]);
    slopes.add(List.of(d, String.format(java.util.Locale.ROOT, "%.2f", slope), String.format(java.util.Locale.ROOT, "%.2e", errE[ys.length - 1])));
    errSeries.add(new LinePlot.Series("D " + d + ": energy", x, errE));
}
report.table(List.of("D", "slope of log error against log Y (published: -0.5)", "error at the largest Y"), slopes);

// 2. The dynamics: the same queries relaxed with the exact memory and with the random-feature one
report.heading("The dynamics and retrieval of images");
INDArray images = Npz.read(examples.resolve("data/fashion-mnist-1000.npz")).get("images").castTo(DataType.DOUBLE).div(255);
int k = 100, q = small ? 8 : 20;
double beta = 0.2;
INDArray memories = images.get(NDArrayIndex.interval(0, k));
INDArray queries = memories.get(NDArrayIndex.interval(0, q)).add(new Rng(3).normal(DataType.DOUBLE, 0, 0.1, q, 784));
Dynamics dynamics = Dynamics.builder().dt(0.1).steps(small ? 40 : 100).build();
int retrieved(INDArray x, INDArray stored) {
    int r = 0;
    for (int i = 0; i < x.rows(); i++) if (Nd4j.argMin(stored.subRowVector(x.getRow(i)).norm2(1)).getInt(0) == i) r++;
    return r;
}
INDArray exactFinal = dynamics.run(graph(exact(memories, beta), 784), Map.of("v", queries)).states().get("v");
Dynamics fewSteps = Dynamics.builder().dt(0.1).steps(5).build();
INDArray exactEarly = fewSteps.run(graph(exact(memories, beta), 784), Map.of("v", queries)).states().get("v");
report.println("exact memory (K %d, beta %.1f, %d steps; %d numbers): retrieved %d/%d noisy images (N(0, 0.1^2) added)",
        k, beta, dynamics.steps(), k * 784, retrieved(exactFinal, memories), q);
int[] imageYs = small ? new int[] {4096, 8192} : new int[] {4096, 8192, 16384, 32768};
List<Double> yx = new ArrayList<>(), dist = new ArrayList<>(), early = new ArrayList<>();
INDArray lastRf = null;
for (int i = 0; i < imageYs.length; i++) {
    RandomFeatureSynapse rf = RandomFeatureSynapse.of(memories, beta, imageYs[i], TRIG, 7);
    INDArray fin;
    try {
        fin = dynamics.run(graph(rf, 784), Map.of("v", queries)).states().get("v");
    } catch (org.hamux.core.DivergenceException e) {
        report.println("random features Y %5d: the estimate phi(v) . T fell to 0 or below for some query (too few features " +
                "for the kernel's small values): %s", imageYs[i], e.getMessage());
        continue;
    }
    yx.add((double) imageYs[i]);
    dist.add(fin.sub(exactFinal).norm2(1).meanNumber().doubleValue() / Math.sqrt(784));   // rms per pixel
    INDArray fin5 = fewSteps.run(graph(rf, 784), Map.of("v", queries)).states().get("v");
    early.add(fin5.sub(exactEarly).norm2(1).meanNumber().doubleValue() / Math.sqrt(784));
    report.println("random features Y %5d (T holds %d numbers; omega is drawn again from its seed): retrieved %d/%d; rms " +
            "distance per pixel to the exact dynamics' states %.4f after 5 steps, %.4f at the end", imageYs[i],
            rf.parameter(RandomFeatureSynapse.FOLDED).length(), retrieved(fin, memories), q, early.get(early.size() - 1),
            dist.get(dist.size() - 1));
    lastRf = fin;
}
Path grid = pages.resolve("random-features-grid.png");
ImageGrid.writePng(grid, List.of(queries, exactFinal, lastRf, memories.get(NDArrayIndex.interval(0, q))), 28, 28, 2);
report.figure(grid, "rows: noisy queries; the exact memory's result; random features (Y " + imageYs[imageYs.length - 1] + "); the stored images");

// 3. Adding memories changes T, not the size of the model
report.heading("Adding memories");
RandomFeatureSynapse first = RandomFeatureSynapse.of(memories, beta, imageYs[imageYs.length - 1], TRIG, 7);
INDArray more = images.get(NDArrayIndex.interval(k, 2 * k));
RandomFeatureSynapse both = first.withMemories(more);
INDArray newQueries = more.get(NDArrayIndex.interval(0, q)).add(new Rng(4).normal(DataType.DOUBLE, 0, 0.1, q, 784));
INDArray all = Nd4j.vstack(more, memories);
INDArray fin2 = dynamics.run(graph(both, 784), Map.of("v", newQueries)).states().get("v");
INDArray exact2 = dynamics.run(graph(exact(all, beta), 784), Map.of("v", newQueries)).states().get("v");
report.println("%d more memories added to T: %d numbers in T before and after; retrieved %d/%d queries of the added images " +
        "(the exact memory of all %d: %d/%d)", k, both.parameter(RandomFeatureSynapse.FOLDED).length(), retrieved(fin2, all), q,
        all.rows(), retrieved(exact2, all), q);
report.text("Published (DrDAM, Hoover et al. 2024): the error of the estimate falls as `O(sqrt(D / Y))`; the " +
        "random-feature memory follows the exact one's dynamics more closely as `Y` grows, with a model whose size does " +
        "not depend on the number of memories.");

Path plot = pages.resolve("random-features-error.png");
LinePlot.writePng(plot, List.of(
        new LinePlot.Panel("energy error against Y", "features Y", "mean |E - E_exact|", true, true, errSeries),
        new LinePlot.Panel("images: distance to the exact dynamics", "features Y", "rms per pixel", true, true,
                List.of(new LinePlot.Series("after 5 steps", yx.stream().mapToDouble(v -> v).toArray(), early.stream().mapToDouble(v -> v).toArray()),
                        new LinePlot.Series("at the end", yx.stream().mapToDouble(v -> v).toArray(), dist.stream().mapToDouble(v -> v).toArray())))));
report.figure(plot, "the error of the energy estimate against Y (log-log), and the distance of the dynamics' final states to the exact ones");
report.write(pages.resolve("random-features.md"));
/exit
