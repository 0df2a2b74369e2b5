// The capacity of Dense Associative Memories (tutorial chapter 2; Krotov & Hopfield 2016; Demircigil et al. 2017).
// K random +-1 patterns of D bits; start at each stored pattern and ask, for every bit, whether the discrete update
// would flip it (its flip lowers the energy: EnergyGraph.flipChanges, one synchronous sweep). With
// F_n(x) = x^n / n the signal-to-noise argument gives the fraction of unstable bits
//     p = Phi(-sqrt(D^(n-1) / ((2n-3)!! K))),
// so at p = Phi(-alpha) (alpha = 2.576: 0.5% of the bits) the capacity is
//     K_max = D^(n-1) / (alpha^2 (2n-3)!!)
// (for n = 2, the classical Hopfield network: 0.151 D; its retrieval capacity 0.138 D allows about 1.6% errors);
// for the exponential energy -sum exp(xi . sigma) the capacity grows exponentially with D.
// Run from the repository root:
//     ./hamux jshell examples/notebooks/capacity.jsh
// (-R-Dhamux.size=small runs the small version the tests run.)

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Rng;
import org.hamux.core.ops.EagerOps;
import org.hamux.layers.SignLagrangian;
import org.hamux.synapses.DamSynapse;
import org.hamux.viz.LinePlot;
import org.hamux.viz.Report;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

boolean small = "small".equals(System.getProperty("hamux.size"));
Path pages = Path.of(System.getProperty("hamux.pages", small ? System.getProperty("hamux.out", "hamux-out") : "examples/notebooks/pages"));
Files.createDirectories(pages);
Report report = new Report("The capacity of Dense Associative Memories");
double ALPHA = 2.576;
double P_STAR = 0.5 * org.apache.commons.math3.special.Erf.erfc(ALPHA / Math.sqrt(2));   // Phi(-alpha) = 0.005

// K random +-1 patterns [K, D]
INDArray patterns(int k, int d, long seed) {
    return new Rng(seed).uniform(DataType.DOUBLE, -1, 1, k, d).gte(0).castTo(DataType.DOUBLE).muli(2).subi(1);
}

Hypersynapse energy(int n, INDArray xi) {
    return n == 0 ? DamSynapse.builder(xi).separation(DamSynapse.Separation.EXP).build()     // -sum exp(xi . sigma)
            : DamSynapse.builder(xi).power(n).prefactor(1.0 / n).build();                     // -sum (xi . sigma)^n / n
}

// The fraction of unstable bits and of intact patterns, starting at 200 stored patterns: of one set of K, or of as
// many independent sets of K as it takes
double[] stability(int n, int d, int k, long seed) {
    double unstable = 0, intact = 0;
    int tested = 0;
    for (int trial = 0; tested < 200; trial++) {
        INDArray xi = patterns(k, d, seed * 1000 + trial);
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE).
                layer("sigma", new NeuronLayer(new long[] {d}, new SignLagrangian(), 1.0, true, null)).
                synapse("memory", energy(n, xi), "sigma").
                build();
        int b = Math.min(k, 200 - tested);
        INDArray start = xi.get(NDArrayIndex.interval(0, b));
        INDArray flips = g.flipChanges(EagerOps.INSTANCE, Map.of("sigma", start), "sigma").lt(0).castTo(DataType.DOUBLE);
        unstable += flips.sumNumber().doubleValue();
        intact += flips.sum(1).eq(0).castTo(DataType.DOUBLE).sumNumber().doubleValue();
        tested += b;
    }
    return new double[] {unstable / (tested * (double) d), intact / tested};
}

long doubleFactorial(int m) { long r = 1; for (int i = m; i > 1; i -= 2) r *= i; return r; }
double predictedUnstable(int n, int d, int k) {
    double z = Math.sqrt(Math.pow(d, n - 1) / (doubleFactorial(2 * n - 3) * (double) k));
    return 0.5 * org.apache.commons.math3.special.Erf.erfc(z / Math.sqrt(2));
}
double kMax(int n, int d) { return Math.pow(d, n - 1) / (ALPHA * ALPHA * doubleFactorial(2 * n - 3)); }

report.text("K random `+-1` patterns of D bits are stored in a DenseAM with `F_n(x) = x^n / n`. Starting " +
        "at 200 stored patterns (of one set of K, or of several independent sets when K is smaller), every bit is tested with the discrete update's rule: it is " +
        "unstable where flipping it lowers the energy (`EnergyGraph.flipChanges`). The signal-to-noise argument predicts " +
        "the fraction of unstable bits `p = Phi(-sqrt(D^(n-1) / ((2n-3)!! K)))`, hence at `p = Phi(-2.576) = 0.5%` the " +
        "capacity `K_max = D^(n-1) / (2.576^2 (2n-3)!!)`.");

List<LinePlot.Panel> panels = new ArrayList<>();
List<List<Object>> table = new ArrayList<>();
int[][] dims = small ? new int[][] {{2, 100}, {3, 50}} : new int[][] {{2, 100}, {2, 200}, {2, 400}, {3, 50}, {3, 100}, {4, 30}, {4, 50}};
double[] loads = small ? new double[] {0.25, 0.5, 1, 2, 4} : new double[] {0.125, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4};
Map<Integer, List<LinePlot.Series>> byN = new java.util.TreeMap<>();
for (int[] nd : dims) {
    int n = nd[0], d = nd[1];
    double km = kMax(n, d);
    double[] x = new double[loads.length], measured = new double[loads.length], predicted = new double[loads.length];
    double[] ksUsed = new double[loads.length];
    for (int i = 0; i < loads.length; i++) {
        int k = Math.max(2, (int) Math.round(loads[i] * km));
        double[] s = stability(n, d, k, 11 + i);
        x[i] = k / km;
        ksUsed[i] = k;
        measured[i] = s[0];
        predicted[i] = predictedUnstable(n, d, k);
        report.println("n %d  D %3d  K %6d (K/K_max %5.3f): unstable bits %.4f (predicted %.4f), intact patterns %.3f",
                n, d, k, x[i], s[0], predicted[i], s[1]);
    }
    double kCrit = Double.NaN;                                              // where p crosses 0.5%, linear in (p, log K)
    for (int i = 0; i + 1 < loads.length; i++) {
        if (measured[i] <= P_STAR && measured[i + 1] > P_STAR) {
            double t = (P_STAR - measured[i]) / (measured[i + 1] - measured[i]);
            kCrit = Math.exp(Math.log(ksUsed[i]) + t * (Math.log(ksUsed[i + 1]) - Math.log(ksUsed[i])));
        }
    }
    table.add(List.of(n, d, String.format(java.util.Locale.ROOT, "%.1f", km),
            Double.isNaN(kCrit) ? "-" : String.format(java.util.Locale.ROOT, "%.1f (%.2f K_max)", kCrit, kCrit / km),
            n == 2 ? String.format(java.util.Locale.ROOT, "%.1f (0.138 D)", 0.138 * d) : "-"));
    List<LinePlot.Series> s = byN.computeIfAbsent(n, key -> new ArrayList<>());
    s.add(new LinePlot.Series("D " + d + " measured", x, measured));
    if (s.size() == 1) s.add(new LinePlot.Series("predicted (any D)", x, predicted));   // p depends on K / K_max alone
}
report.table(List.of("n", "D", "K_max predicted (p = 0.5%)", "K measured at p = 0.5%", "retrieval capacity (published)"), table);
byN.forEach((n, series) -> panels.add(new LinePlot.Panel("n = " + n + ": unstable bits against K / K_max", "K / K_max",
        "fraction of unstable bits", true, false, series)));

// The exponential energy: the largest K with p <= 0.5% against D
report.heading("The exponential energy");
int[] ds = small ? new int[] {8, 12} : new int[] {8, 10, 12, 14, 16};
double[] dx = new double[ds.length], dk = new double[ds.length];
for (int i = 0; i < ds.length; i++) {
    int d = ds[i];
    int best = 1;
    for (int k = 2; k <= (1 << d); k *= 2) {
        double[] s = stability(0, d, k, 100 + k);
        if (s[0] <= P_STAR) best = k; else break;
    }
    dx[i] = d;
    dk[i] = best;
    report.println("exponential, D %2d: the largest K (a power of 2) with p <= 0.5%% is %d", d, best);
}
panels.add(new LinePlot.Panel("exponential: capacity against D", "D", "largest K with p <= 0.5%", false, true,
        List.of(new LinePlot.Series("measured", dx, dk))));
double growth = Math.pow(dk[ds.length - 1] / dk[0], 1.0 / (ds[ds.length - 1] - ds[0]));
report.println("the capacity grows by a factor %.2f per bit of D (exponential in D)", growth);
report.text("Published: the polynomial capacity grows as `D^(n-1)` (Krotov & Hopfield 2016; the classical network's " +
        "retrieval capacity is 0.138 D, Amit, Gutfreund & Sompolinsky 1985), the exponential one as `exp(alpha D)` " +
        "(Demircigil et al. 2017).");
Path png = pages.resolve("capacity.png");
LinePlot.writePng(png, panels);
report.figure(png, "the fraction of unstable bits against the load, with the prediction; the exponential capacity against D");
report.write(pages.resolve("capacity.md"));
/exit
