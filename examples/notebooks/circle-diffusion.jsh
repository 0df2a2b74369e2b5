// Dense Associative Memory and diffusion on the circle (tutorial chapter 4; Pham et al. 2025, "Memorization to
// Generalization: Emergence of Diffusion Models from Associative Memory").
// K points xi_mu on the unit circle, the energy
//     E(x) = -(1/beta) log sum_mu exp(-beta |x - xi_mu|^2)
// (a dam synapse: exp, distance similarity -|x - xi|^2/2 with inverse temperature 2 beta, prefactor 1/beta). Few points:
// its minima are the points (memories). Many: the sum tends to K times the circle's average, and
//     E(x) + log(K)/beta -> R^2 + 1 - log(I0(2 beta R)) / beta,   R = |x|,
// whose minima form a ring (the manifold): generalization. Reverse diffusion is annealed Langevin dynamics on
// -log p_t = -log sum_mu exp(-|x - xi_mu|^2 / (2 sigma^2 t)), t from 1 down: beta_t = 1/(2 sigma^2 t) grows along
// the steps (a schedule), with noise at temperature 1.
// Run from the repository root:
//     ./hamux jshell examples/notebooks/circle-diffusion.jsh
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
import org.hamux.core.StepSchedule;
import org.hamux.core.ops.EagerOps;
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
Report report = new Report("Dense Associative Memory and diffusion on the circle");

// K points drawn uniformly on the unit circle (seeded)
INDArray circle(int k, long seed) {
    double[] a = new Rng(seed).uniform(DataType.DOUBLE, 0, 2 * Math.PI, k).toDoubleVector();
    INDArray p = Nd4j.create(DataType.DOUBLE, k, 2);
    for (int i = 0; i < k; i++) { p.putScalar(i, 0, Math.cos(a[i])); p.putScalar(i, 1, Math.sin(a[i])); }
    return p;
}
// E = -c log sum exp(-beta |x - xi|^2): the distance similarity is -|x - xi|^2 / 2, so its inverse temperature is 2 beta
Hypersynapse memory(INDArray xi, double beta, double prefactor) {
    return DamSynapse.builder(xi).separation(DamSynapse.Separation.EXP).similarity(DamSynapse.Similarity.NEG_HALF_SQ_DISTANCE).
            log(0).beta(2 * beta).prefactor(prefactor).build();
}
EnergyGraph graph(Hypersynapse m) {
    return EnergyGraph.builder().dtype(DataType.DOUBLE).
            layer("x", new NeuronLayer(new long[] {2}, new IdentityLagrangian(), 1.0, false, null)).
            synapse("memory", m, "x").
            build();
}
// log I0(z) = z + log((1/pi) int_0^pi exp(z (cos t - 1)) dt), the integral by the midpoint rule
double logI0(double z) {
    int n = 4000;
    double s = 0;
    for (int i = 0; i < n; i++) s += Math.exp(z * (Math.cos(Math.PI * (i + 0.5) / n) - 1));
    return z + Math.log(s / n);
}
double norm(double[] p) { return Math.hypot(p[0], p[1]); }

report.text("K points on the unit circle and the energy `E(x) = -(1/beta) log sum_mu exp(-beta |x - xi_mu|^2)` " +
        "(a `dam` synapse: exp separation, distance similarity, inverse temperature `2 beta`, prefactor `1/beta`). " +
        "Its minima are found by running the dynamics from a grid of starts and classified: at a stored point (within a " +
        "tenth of the points' mean half-gap `pi/K`), on the manifold (radius within 0.05 of the ring's), or spurious.");

// 1. Minima for K = 2, 9, 1000 at beta 50
report.heading("Memories, spurious states and the manifold");
double beta = 50;
int side = small ? 21 : 41;
INDArray starts = Nd4j.create(DataType.DOUBLE, side * side, 2);
for (int i = 0; i < side; i++) for (int j = 0; j < side; j++) {
    starts.putScalar(i * side + j, 0, -1.5 + 3.0 * i / (side - 1));
    starts.putScalar(i * side + j, 1, -1.5 + 3.0 * j / (side - 1));
}
// the ring's radius: the R > 0 where d/dR [R^2 - log I0(2 beta R) / beta] = 0
double ringRadius(double b) {
    double lo = 0.01, hi = 1.5;
    for (int it = 0; it < 100; it++) {
        double mid = (lo + hi) / 2, h = 1e-6;
        double slope = 2 * mid - (logI0(2 * b * (mid + h)) - logI0(2 * b * (mid - h))) / (2 * h) / b;
        if (slope > 0) hi = mid; else lo = mid;
    }
    return (lo + hi) / 2;
}
double ring = ringRadius(beta);
List<List<Object>> rows = new ArrayList<>();
int[] ks = small ? new int[] {2, 9, 300} : new int[] {2, 9, 1000};
Dynamics relax = Dynamics.builder().dt(0.02).steps(small ? 1500 : 3000).tolerance(1e-10).build();
for (int k : ks) {
    INDArray xi = circle(k, 9);
    INDArray end = relax.run(graph(memory(xi, beta, 1 / beta)), Map.of("x", starts)).states().get("x");
    List<double[]> minima = new ArrayList<>();
    for (int i = 0; i < end.rows(); i++) {
        double[] p = end.getRow(i).toDoubleVector();
        boolean seen = false;
        for (double[] m : minima) if (Math.hypot(m[0] - p[0], m[1] - p[1]) < 1e-3) { seen = true; break; }
        if (!seen) minima.add(p);
    }
    int stored = 0, manifold = 0, spurious = 0;
    for (double[] m : minima) {
        double nearest = xi.subRowVector(Nd4j.create(m)).norm2(1).minNumber().doubleValue();
        if (nearest < 0.1 * Math.PI / k) stored++;
        else if (Math.abs(norm(m) - ring) < 0.05) manifold++;
        else spurious++;
    }
    rows.add(List.of(k, minima.size(), stored, manifold, spurious));
    report.println("K %4d: %4d distinct end points from %d starts: %d at stored points, %d on the manifold, %d spurious",
            k, minima.size(), starts.rows(), stored, manifold, spurious);
}
report.table(List.of("K", "distinct end points", "stored points", "on the manifold", "spurious"), rows);

// 2. Large K: our energy against the exact limit along a radius
report.heading("The large-K limit");
int kBig = small ? 2000 : 20000;
INDArray many = circle(kBig, 11);
int nr = 60;
double[] rs = new double[nr], ours = new double[nr], exact = new double[nr];
INDArray along = Nd4j.create(DataType.DOUBLE, nr, 2);
for (int i = 0; i < nr; i++) { rs[i] = 0.05 + 1.45 * i / (nr - 1); along.putScalar(i, 0, rs[i] * Math.cos(0.3)); along.putScalar(i, 1, rs[i] * Math.sin(0.3)); }
double[] e = memory(many, beta, 1 / beta).energy(EagerOps.INSTANCE, List.of(along)).toDoubleVector();
double worst = 0;
for (int i = 0; i < nr; i++) {
    ours[i] = e[i] + Math.log(kBig) / beta;
    exact[i] = rs[i] * rs[i] + 1 - logI0(2 * beta * rs[i]) / beta;
    worst = Math.max(worst, Math.abs(ours[i] - exact[i]));
}
report.println("K %d points, beta %.0f: E + log(K)/beta against R^2 + 1 - log I0(2 beta R)/beta along a radius: largest difference %.4f; " +
        "the ring's radius %.4f (where the limit is smallest)", kBig, beta, worst, ring);

// 3. Reverse diffusion: annealed Langevin dynamics, beta_t = 1/(2 sigma^2 t) with t from 1 to 0.001 (sigma 1)
report.heading("Reverse diffusion as annealed dynamics");
int samples = small ? 200 : 1000;
int steps = small ? 300 : 1000;
List<List<Object>> drawn = new ArrayList<>();
double[] kx = new double[ks.length], spread = new double[ks.length];
for (int i = 0; i < ks.length; i++) {
    INDArray xi = circle(ks[i], 9);
    // E = -log sum exp(-beta_t |x - xi|^2) (prefactor 1: -log p_t), temperature 1; dt = 0.1 / beta_t keeps the steps stable
    Dynamics reverse = Dynamics.builder().steps(steps).noise(1.0, 21).
            schedule("memory.beta", StepSchedule.geometric(2 * 0.5, 2 * 500)).
            schedule("dt", StepSchedule.geometric(0.1 / 0.5, 0.1 / 500)).build();
    INDArray noise = new Rng(22).normal(DataType.DOUBLE, 0, 1, samples, 2);          // x_1 ~ N(0, sigma^2 I)
    INDArray end = reverse.run(graph(memory(xi, 0.5, 1.0)), Map.of("x", noise)).states().get("x");
    // each sample's angle to its nearest stored point, in units of the mean half-gap pi/K: near 0 when the samples
    // sit on the points (memorization), 0.5 when they spread evenly along the circle (generalization)
    double[] ang = new double[ks[i]];
    for (int m = 0; m < ks[i]; m++) ang[m] = Math.atan2(xi.getDouble(m, 1), xi.getDouble(m, 0));
    double[] rel = new double[samples];
    int onRing = 0;
    for (int s2 = 0; s2 < samples; s2++) {
        double[] p = end.getRow(s2).toDoubleVector();
        double a = Math.atan2(p[1], p[0]), best = Math.PI;
        for (double am : ang) { double dd = Math.abs(Math.IEEEremainder(a - am, 2 * Math.PI)); best = Math.min(best, dd); }
        rel[s2] = best / (Math.PI / ks[i]);
        if (Math.abs(norm(p) - 1) < 0.1) onRing++;
    }
    java.util.Arrays.sort(rel);
    kx[i] = ks[i];
    spread[i] = rel[samples / 2];
    drawn.add(List.of(ks[i], String.format(java.util.Locale.ROOT, "%.3f", spread[i]),
            String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * onRing / samples)));
    report.println("K %4d: median angle of a sample to its nearest stored point %.3f half-gaps (0: on the points, 0.5: " +
            "spread along the circle); %.1f%% of the samples within 0.1 of the circle", ks[i], spread[i], 100.0 * onRing / samples);
}
report.table(List.of("K", "median angle to the nearest point, in half-gaps pi/K", "samples on the circle"), drawn);
report.text("Published (tutorial chapter 4; Pham et al. 2025): with few points the energy's minima are the stored " +
        "points and diffusion reproduces them (memorization); with many, the minima merge into the manifold and the " +
        "samples fall anywhere on the circle (generalization), the energy tending to `R^2 + 1 - log I0(2 beta R) / beta`.");

Path png = pages.resolve("circle-diffusion.png");
LinePlot.writePng(png, List.of(
        new LinePlot.Panel("K " + kBig + ", beta " + (int) beta + ": energy along a radius", "R", "E + log(K)/beta", false, false,
                List.of(new LinePlot.Series("ours", rs, ours), new LinePlot.Series("R^2 + 1 - log I0(2 beta R)/beta", rs, exact))),
        new LinePlot.Panel("reverse diffusion: memorization to generalization", "K", "median angle to a point / (pi/K)", true, false,
                List.of(new LinePlot.Series("samples", kx, spread)))));
report.figure(png, "the energy along a radius against the large-K limit; how far the samples of reverse diffusion fall from the stored points, against K");
report.write(pages.resolve("circle-diffusion.md"));
/exit
