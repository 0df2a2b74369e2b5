package org.hamux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.spec.Spec;
import org.hamux.train.Checkpoint;
import org.hamux.train.Clustering;
import org.hamux.viz.LinePlot;
import org.hamux.train.Dataset;
import org.hamux.train.Metrics;
import org.hamux.train.Trainer;
import org.hamux.train.Training;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code hamux eval SPEC --params DIR --data PATH}: the loss and accuracy of trained parameters. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs the dynamics of the spec's \"training\" section (same steps, dt and clamping) on the data"
                + " and prints the mean loss, the accuracy where the targets are class labels, and the clustering"
                + " scores of a \"cluster\" section (NMI, ARI, silhouette, next to k-means).")
final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec cmd;

    @Mixin
    SharedOptions options;

    @Parameters(paramLabel = "SPEC", description = "The JSON spec, with a \"training\" section.")
    Path specFile;

    @Option(names = "--params", paramLabel = "FILE|DIR",
            description = "Trained parameters: a .npz of flat names, or a training folder (its params.npz)."
                    + " Without it, the spec's own parameters.")
    Path params;

    @Option(names = "--data", paramLabel = "PATH",
            description = "The data (default: the spec's training.data.test, else the held-out split of training.data.train,"
                    + " else all of it).")
    Path data;

    @Option(names = "--part", paramLabel = "train|test", description = "Which files of an IDX folder (default: test).")
    String part = "test";

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples.")
    long limit;

    @Option(names = "--plot", paramLabel = "DIR", description = "Write the pictures of the evaluation into DIR: for a"
            + " \"cluster\" section on points in two dimensions, clusters.png and clusters.svg (the points coloured by the"
            + " memory they end nearest, and the memories).")
    Path plot;

    @Override
    public Integer call() {
        PrintWriter stdout = cmd.commandLine().getOut();
        if (!part.equals("train") && !part.equals("test")) {
            throw new ParameterException(cmd.commandLine(), "--part must be train or test, got '" + part + "'");
        }
        Specs.Loaded loaded = Specs.load(specFile, options);
        Spec spec = loaded.spec();
        Training t = TrainingData.settings(spec, specFile);
        EnergyGraph graph = loaded.graph();
        if (params != null) {
            graph = RunCommand.withParams(graph, spec, params, loaded.dtype());
        }
        Path path = TrainingData.pick(data, t, true);
        boolean heldOut = false;
        if (path == null) {
            path = TrainingData.pick(null, t, false);
            heldOut = path != null && t.data().split() > 0;
        }
        if (path == null) {
            throw new ParameterException(cmd.commandLine(), "no data: give --data PATH or training.data in the spec");
        }
        Dataset d;
        if (heldOut) { // the same held-out samples as 'hamux train' tests on
            d = TrainingData.split(TrainingData.read(path, t, Dataset.Part.TRAIN, limit), t, specFile)[1];
        } else {
            d = TrainingData.read(path, t, part.equals("train") ? Dataset.Part.TRAIN : Dataset.Part.TEST, limit);
        }
        long t0 = System.nanoTime();
        Metrics m = Trainer.evaluate(graph, t, d);
        stdout.printf(Locale.ROOT, "data:      %s (%d samples%s)%n", d.source(), m.samples(), heldOut ? ", the held-out split" : "");
        stdout.printf(Locale.ROOT, "loss:      %.6f (%s, mean per sample)%n", m.loss(), t.loss());
        if (!Double.isNaN(m.accuracy())) {
            stdout.printf(Locale.ROOT, "accuracy:  %.2f%% (%d/%d)%n", 100 * m.accuracy(), Math.round(m.accuracy() * m.samples()),
                    m.samples());
        }
        if (t.cluster() != null) {
            Clustering.Report r = Clustering.report(graph, t, d);
            stdout.println(r.table());
            if (plot != null) {
                clusterPicture(r, graph.parameters().get(t.cluster().memories()), stdout);
            }
        } else if (plot != null) {
            cmd.commandLine().getErr().println("hamux: warning: --plot draws the clusters of a \"cluster\" section; the"
                    + " spec has none");
        }
        stdout.printf(Locale.ROOT, "elapsed:   %.1f s%n", (System.nanoTime() - t0) / 1e9);
        stdout.flush();
        return 0;
    }

    /** The points of a two-dimensional clustering, a colour per memory, and the memories: clusters.png and .svg. */
    private void clusterPicture(Clustering.Report r, org.nd4j.linalg.api.ndarray.INDArray memories, PrintWriter stdout) {
        if (r.inputs().size(1) != 2) {
            cmd.commandLine().getErr().println("hamux: warning: no picture: the clusters are drawn for points in two"
                    + " dimensions, these have " + r.inputs().size(1));
            return;
        }
        double[][] p = r.inputs().toDoubleMatrix();
        java.util.List<LinePlot.Series> series = new java.util.ArrayList<>();
        for (int c = 0; c < r.k(); c++) {
            int cluster = c;
            int[] members = java.util.stream.IntStream.range(0, p.length).filter(i -> r.assigned()[i] == cluster).toArray();
            if (members.length > 0) {
                series.add(LinePlot.Series.scatter("memory " + c + " (" + members.length + ")",
                        java.util.Arrays.stream(members).mapToDouble(i -> p[i][0]).toArray(),
                        java.util.Arrays.stream(members).mapToDouble(i -> p[i][1]).toArray()));
            }
        }
        double[][] xi = memories.reshape('c', r.k(), 2).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        series.add(LinePlot.Series.marks("the memories", java.util.Arrays.stream(xi).mapToDouble(m -> m[0]).toArray(),
                java.util.Arrays.stream(xi).mapToDouble(m -> m[1]).toArray()));
        LinePlot.Panel panel = new LinePlot.Panel(String.format(Locale.ROOT, "ClAM, K = %d: NMI %.3f, ARI %.3f", r.k(),
                r.clam()[0], r.clam()[1]), "x1", "x2", false, false, series);
        org.hamux.core.io.OutputSet files = new org.hamux.core.io.OutputSet();
        files.add(plot.resolve("clusters.png"), LinePlot.png(java.util.List.of(panel)));
        files.add(plot.resolve("clusters.svg"), LinePlot.svg(panel));
        for (Path f : files.commit()) {
            stdout.println("wrote:     " + f);
        }
    }
}
