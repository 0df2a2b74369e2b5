package org.hamux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.io.AtomicFile;
import org.hamux.core.io.Npz;
import org.hamux.core.io.OutputSet;
import org.hamux.core.spec.Spec;
import org.hamux.train.Checkpoint;
import org.hamux.viz.ImageGrid;
import org.hamux.viz.LinePlot;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code hamux run SPEC}: runs the dynamics from the spec's initial states, prints a summary, and with
 * {@code --out} writes the final states, activations and energy trace.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Runs the dynamics of SPEC from its initial states and prints a summary.",
            "With --out DIR it writes DIR/states.npz (final x per layer), DIR/activations.npz (final g per layer)"
                + " and DIR/energy.csv (step,total,mean: the batch-summed energy and its mean per sample, before"
                + " each step and at the end; then e0,e1,... the energy of every sample).",
            "A \"retrieval\" section is scored (retrieved K/B queries); its \"png\" is written into DIR"
                + " (default " + RunCommand.DEFAULT_OUT + ")."})
final class RunCommand implements Callable<Integer> {

    /** Where the retrieval picture goes without {@code --out}. */
    static final String DEFAULT_OUT = "hamux-out";
    /** The energy plot draws every sample's curve up to this batch size, and quantile curves above it. */
    static final int MAX_SAMPLE_CURVES = 64;
    /** The relaxation strip shows at most this many samples, at this many steps. */
    static final int STRIP_SAMPLES = 8;
    static final int STRIP_FRAMES = 6;
    /** The animation of the relaxation has this many frames, each shown this long. */
    static final int GIF_FRAMES = 31;
    static final int GIF_DELAY_MS = 120;
    /** The retrieval picture shows this many samples a band, and at most this many in all. */
    static final int PNG_COLUMNS = 20;
    static final int PNG_MAX_SAMPLES = 500;
    /** The retrieval picture scales images up to about this many pixels a side. */
    static final int PNG_CELL_PIXELS = 64;

    @CommandLine.Spec
    CommandSpec cmd;

    @Mixin
    SharedOptions options;

    @Parameters(paramLabel = "SPEC", description = "The JSON spec.")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the results into DIR.")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Number of steps (default: the spec's).")
    Integer steps;

    @Option(names = "--dt", paramLabel = "X", description = "Euler step (default: the spec's).")
    Double dt;

    @Option(names = "--tolerance", paramLabel = "X",
            description = "Stop when no free neuron moves more than X in a step; 0 turns it off (default: the spec's).")
    Double tolerance;

    @Option(names = "--params", paramLabel = "FILE|DIR",
            description = "Parameters to use instead of the spec's: a .npz of flat names (e.g. hid_lbl.W), as"
                    + " 'hamux train' writes, or a training folder (its params.npz).")
    Path params;

    @Option(names = "--state", paramLabel = "LAYER=FILE",
            description = "Start LAYER at the states of a .npy file or FILE.npz:KEY ([batch, ...shape]) instead of the"
                    + " spec's \"initial\"; repeatable, the layers not given start at zero.")
    Map<String, String> stateFiles = new LinkedHashMap<>();

    @Option(names = "--plot", description = "Also draw energy.png and energy.svg (the energy of every sample against the"
            + " step, with the batch's mean) and, for layers shaped like images, <layer>-frames.png (the relaxation of the"
            + " first samples at six steps) and <layer>-relaxation.gif (animated) into DIR (default " + DEFAULT_OUT + ").")
    boolean plot;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar (it shows only on a terminal anyway).")
    boolean quiet;

    @Override
    public Integer call() {
        Specs.Loaded loaded = Specs.load(specFile, options);
        EnergyGraph graph = params != null ? withParams(loaded.graph(), loaded.spec(), params, loaded.dtype()) : loaded.graph();
        Map<String, INDArray> x0 = initialStates(loaded, graph);
        Dynamics dynamics = overrides(loaded.spec().dynamics().toBuilder()).build();
        long t0 = System.nanoTime();
        Dynamics.Result result = runWithProgress(dynamics, graph, x0);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        Spec.Retrieval retrieval = retrieval(loaded);
        long[] nearest = retrieval != null ? retrieval.nearest(result.activations().get(retrieval.layer())) : null;
        List<String> lines = summary(loaded, retrieval, nearest, graph, dynamics, result, elapsedMs);
        writeOutputs(graph, retrieval, nearest, x0, result, lines);
        return 0;
    }

    /** The spec's initial states, checked against its retrieval targets. */
    private Map<String, INDArray> initialStates(Specs.Loaded loaded, EnergyGraph graph) {
        Map<String, INDArray> x0 = stateFiles.isEmpty() ? loaded.initial() : Specs.readStates(stateFiles, graph, loaded.dtype());
        if (x0.isEmpty()) {
            String first = graph.layers().keySet().iterator().next();
            throw new HamuxException(specFile + ": the spec has no initial state: add \"initial\": {\"states\": {\""
                    + first + "\": ARRAY}} (or \"initial\": {\"batch\": N} to start from zero), or give --state "
                    + first + "=FILE.npy");
        }
        long batch = x0.values().iterator().next().size(0);
        Spec.Retrieval retrieval = retrieval(loaded);
        if (retrieval != null && retrieval.targets().length != batch) {
            throw new HamuxException(specFile + ": at $.retrieval.targets: " + retrieval.targets().length
                    + " targets for a batch of " + batch);
        }
        return x0;
    }

    /** The spec's retrieval scoring: its targets are its own queries', so none when --state gives other states. */
    private Spec.Retrieval retrieval(Specs.Loaded loaded) {
        return stateFiles.isEmpty() ? loaded.spec().retrieval() : null;
    }

    /** Runs the dynamics with a progress bar on a terminal (none when piped or with --quiet). */
    private Dynamics.Result runWithProgress(Dynamics dynamics, EnergyGraph graph, Map<String, INDArray> x0) {
        if (plot) {
            frames = new Frames(graph, x0, dynamics.steps());
            dynamics = dynamics.toBuilder().listener(frames).build();
        }
        if (quiet || System.console() == null) {
            return dynamics.run(graph, x0);
        }
        ProgressBar bar = new ProgressBar(cmd.commandLine().getErr(), dynamics.steps());
        try {
            return dynamics.toBuilder().listener(bar).build().run(graph, x0);
        } finally {
            bar.clear();
        }
    }

    /** The lines printed on stdout: spec, steps, convergence, energies, time and retrieval. */
    private static List<String> summary(Specs.Loaded loaded, Spec.Retrieval retrieval, long[] nearest, EnergyGraph graph,
                                        Dynamics dynamics, Dynamics.Result result, long elapsedMs) {
        Spec spec = loaded.spec();
        long batch = result.states().values().iterator().next().size(0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "spec:      %s (%s, batch %d, %d layers, %d synapses)", spec.name(),
                SharedOptions.name(loaded.dtype()), batch, graph.layers().size(), graph.synapses().size()));
        lines.add(String.format(Locale.ROOT, "steps:     %d of %d (dt %s)", result.steps(), dynamics.steps(),
                dynamics.dt()));
        lines.add("converged: " + (result.converged() ? "yes" : "no") + " (tolerance "
                + (dynamics.tolerance() > 0 ? String.valueOf(dynamics.tolerance()) : "off") + ")");
        lines.add(String.format(Locale.ROOT, "energy:    first %.6g (mean %.6g per sample), last %.6g (mean %.6g per sample)",
                result.firstEnergy(), result.firstEnergy() / batch, result.lastEnergy(), result.lastEnergy() / batch));
        lines.add("elapsed:   " + elapsedMs + " ms");
        if (retrieval != null) {
            int k = retrieval.retrieved(nearest);
            lines.add(String.format(Locale.ROOT, "retrieved %d/%d queries (%.1f%%)", k, batch, 100.0 * k / batch));
        }
        return lines;
    }

    /**
     * Writes the --out files and the retrieval picture as one set (all or none), then prints {@code lines} with the
     * files written, also when writing fails.
     */
    private void writeOutputs(EnergyGraph graph, Spec.Retrieval retrieval, long[] nearest, Map<String, INDArray> x0,
                              Dynamics.Result result, List<String> lines) {
        PrintWriter stdout = cmd.commandLine().getOut();
        OutputSet files = new OutputSet();
        try {
            if (out != null) {
                files.add(out.resolve("states.npz"), Npz.writer(result.states()));
                files.add(out.resolve("activations.npz"), Npz.writer(result.activations()));
                files.add(out.resolve("energy.csv"), text(energyCsv(result.energyTrace())));
            }
            Path png = retrieval != null && retrieval.png() != null
                    ? picture(graph, retrieval, nearest, x0, result, files, cmd.commandLine().getErr()) : null;
            if (plot) {
                Path dir = out != null ? out : Path.of(DEFAULT_OUT);
                LinePlot.Panel energy = energyPanel(result.energyTrace());
                files.add(dir.resolve("energy.png"), LinePlot.png(List.of(energy)));
                files.add(dir.resolve("energy.svg"), LinePlot.svg(energy));
                frames.write(dir, files);
            }
            for (Path p : files.commit()) {
                lines.add((p.equals(png) ? "png:       " : "wrote:     ") + p);
            }
        } catch (HamuxException e) {
            files.abandon();
            throw new OutputFailure(e.getMessage(), e);
        } finally {
            lines.forEach(stdout::println);
            stdout.flush();
        }
    }

    private static AtomicFile.Writer text(String s) {
        return o -> o.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * {@code graph} with the parameters of {@code file} (a .npz of flat names, or a training folder). The file must hold
     * every parameter the spec trains (its "training" section's list; every parameter of the graph when it has none) and
     * none the graph does not have; either is an error naming the parameters.
     */
    static EnergyGraph withParams(EnergyGraph graph, Spec spec, Path file, org.nd4j.linalg.api.buffer.DataType dtype) {
        Map<String, INDArray> values = Checkpoint.cast(Checkpoint.parameters(file), dtype);
        org.hamux.train.Training t = org.hamux.train.Training.of(spec);
        List<String> expected = t != null ? t.train() : List.copyOf(graph.parameters().keySet());
        List<String> missing = expected.stream().filter(k -> !values.containsKey(k)).toList();
        List<String> unknown = values.keySet().stream().filter(k -> !graph.parameters().containsKey(k)).toList();
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new HamuxException("--params " + file + ": " + (missing.isEmpty() ? "" : "lacks " + missing
                    + (t != null ? " (the spec trains them)" : " (a spec without \"training\" takes every parameter)"))
                    + (missing.isEmpty() || unknown.isEmpty() ? "" : "; ") + (unknown.isEmpty() ? ""
                    : "has " + unknown + ", which the graph does not (it has " + graph.parameters().keySet() + ")"));
        }
        try {
            return graph.withParameters(values);
        } catch (HamuxException e) {
            throw new HamuxException("--params " + file + ": " + e.getMessage(), e);
        }
    }

    private Dynamics.Builder overrides(Dynamics.Builder b) {
        if (steps != null) {
            if (steps < 0) {
                throw new ParameterException(cmd.commandLine(), "--steps must be at least 0, got " + steps);
            }
            b.steps(steps);
        }
        if (dt != null) {
            if (!(dt > 0) || dt.isInfinite()) {
                throw new ParameterException(cmd.commandLine(), "--dt must be positive and finite, got " + dt);
            }
            b.dt(dt);
        }
        if (tolerance != null) {
            if (!(tolerance >= 0)) {
                throw new ParameterException(cmd.commandLine(), "--tolerance must be at least 0, got " + tolerance);
            }
            b.tolerance(tolerance);
        }
        return b;
    }

    /** {@code step,total,mean[,e0,e1,...]}, one row per entry of the trace. */
    static String energyCsv(List<double[]> trace) {
        int batch = trace.isEmpty() ? 0 : trace.get(0).length;
        StringBuilder s = new StringBuilder("step,total,mean");
        for (int i = 0; i < batch; i++) {
            s.append(",e").append(i);
        }
        s.append('\n');
        for (int step = 0; step < trace.size(); step++) {
            double[] e = trace.get(step);
            double total = Arrays.stream(e).sum();
            s.append(step).append(',').append(total).append(',').append(total / Math.max(batch, 1));
            for (double v : e) {
                s.append(',').append(v);
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** The frames of the relaxation, when --plot asks for them. */
    private Frames frames;

    /**
     * The energy against the step: every sample's curve (thin, no legend) up to {@value #MAX_SAMPLE_CURVES} samples,
     * else the batch's 10%, 50% and 90% quantiles, and the mean over the batch.
     */
    static LinePlot.Panel energyPanel(List<double[]> trace) {
        int steps = trace.size();
        int batch = trace.get(0).length;
        double[] x = new double[steps];
        double[] mean = new double[steps];
        for (int t = 0; t < steps; t++) {
            x[t] = t;
            mean[t] = Arrays.stream(trace.get(t)).sum() / batch;
        }
        List<LinePlot.Series> series = new ArrayList<>();
        if (batch <= MAX_SAMPLE_CURVES) {
            for (int b = 0; b < batch; b++) {
                double[] y = new double[steps];
                for (int t = 0; t < steps; t++) {
                    y[t] = trace.get(t)[b];
                }
                series.add(LinePlot.Series.unnamed(x, y));
            }
        } else {
            for (double q : new double[] {0.1, 0.5, 0.9}) {
                double[] y = new double[steps];
                for (int t = 0; t < steps; t++) {
                    double[] e = trace.get(t).clone();
                    Arrays.sort(e);
                    y[t] = e[(int) Math.min(batch - 1, Math.round(q * (batch - 1)))];
                }
                series.add(new LinePlot.Series(Math.round(q * 100) + "% of the samples below", x, y));
            }
        }
        series.add(new LinePlot.Series("mean over the batch of " + batch, x, mean));
        return new LinePlot.Panel("energy along the steps", "step", "energy per sample", false, false, series);
    }

    /**
     * Adds the retrieval grid (rows: queries, retrieved activations, target memories) in {@code --out} (default
     * {@value #DEFAULT_OUT}) to the files of the run; returns its path, or null when the image shape is unknown.
     */
    private Path picture(EnergyGraph graph, Spec.Retrieval r, long[] nearest, Map<String, INDArray> x0, Dynamics.Result result,
                         OutputSet files, PrintWriter stderr) {
        long[] image = r.image();
        long[] shape = graph.layer(r.layer()).shape();
        if (image == null && shape.length == 2) {
            image = shape;
        }
        if (image == null || image.length != 2) {
            stderr.println("hamux: warning: no picture: $.retrieval.png needs \"image\": [height, width]");
            return null;
        }
        INDArray g = result.activations().get(r.layer());
        long batch = g.size(0);
        long size = graph.layer(r.layer()).size();
        INDArray query = x0.containsKey(r.layer()) ? x0.get(r.layer()) : Nd4j.zeros(g.dataType(), g.shape());
        int shown = (int) Math.min(batch, PNG_MAX_SAMPLES);
        int[] targets = Arrays.stream(r.targets()).limit(shown).mapToInt(t -> (int) t).toArray();
        org.nd4j.linalg.indexing.INDArrayIndex first = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, shown);
        List<INDArray> rows = List.of(
                query.reshape('c', batch, size).get(first),
                g.reshape('c', batch, size).get(first),
                r.memories().getRows(targets));
        boolean[] failed = new boolean[shown];
        for (int i = 0; i < shown; i++) {
            failed[i] = nearest[i] != r.targets()[i];
        }
        long failures = batch - r.retrieved(nearest);
        int scale = (int) Math.max(1, PNG_CELL_PIXELS / Math.max(image[0], image[1]));
        Path png = (out != null ? out : Path.of(DEFAULT_OUT)).resolve(r.png());
        String caption = String.format(Locale.ROOT, "framed in red: the samples whose final state is nearest another"
                + " memory than their target (%d of %d)%s", failures, batch, shown < batch ? "; the first " + shown + " drawn" : "");
        files.add(png, ImageGrid.labelled(png, r.labels(), rows, failed, caption,
                image[0], image[1], scale, PNG_COLUMNS));
        return png;
    }

    /**
     * The states of the first {@value #STRIP_SAMPLES} samples of every layer shaped like an image ({@code [H, W]} or
     * {@code [1, H, W]}) at {@value #GIF_FRAMES} steps from the first to the last, kept as the run passes them; written
     * as {@code <layer>-frames.png} (a row per sample, {@value #STRIP_FRAMES} of the steps) and
     * {@code <layer>-relaxation.gif} (the samples side by side, every kept step a frame, looping); black to white spans
     * the 1st to the 99th percentile of the kept values.
     */
    static final class Frames implements org.hamux.core.StepListener {
        private final Map<String, long[]> images = new LinkedHashMap<>();
        private final Map<String, List<INDArray>> kept = new LinkedHashMap<>();
        private final java.util.Set<Integer> at = new java.util.TreeSet<>();

        Frames(EnergyGraph graph, Map<String, INDArray> x0, int steps) {
            graph.layers().forEach((name, l) -> {
                long[] s = l.shape();
                if (s.length == 2 || (s.length == 3 && s[0] == 1)) {
                    images.put(name, new long[] {s[s.length - 2], s[s.length - 1]});
                    kept.put(name, new ArrayList<>());
                }
            });
            for (int f = 0; f < GIF_FRAMES; f++) {
                at.add((int) Math.round((double) f * steps / (GIF_FRAMES - 1)));
            }
            if (at.contains(0)) {
                x0.forEach((name, x) -> keep(name, x));
            }
        }

        private void keep(String name, INDArray x) {
            if (kept.containsKey(name)) {
                long n = Math.min(STRIP_SAMPLES, x.size(0));
                long[] hw = images.get(name);
                kept.get(name).add(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup('c')
                        .reshape('c', n, hw[0] * hw[1]).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
            }
        }

        @Override
        public void onStep(int step, double[] energy, Map<String, INDArray> x, double maxChange) {
            if (step > 0 && at.contains(step)) {
                x.forEach(this::keep);
            }
        }

        void write(Path dir, OutputSet files) {
            kept.forEach((name, list) -> {
                if (list.size() < 2) {
                    return;
                }
                // black..white from the 1st to the 99th percentile of every kept value (a noisy start spans far more)
                double[] all = Nd4j.vstack(list.toArray(new INDArray[0])).data().asDouble();
                Arrays.sort(all);
                double lo = all[(int) (0.01 * (all.length - 1))];
                double hi = all[(int) (0.99 * (all.length - 1))];
                List<INDArray> frames = list.stream().map(f -> f.sub(lo).divi(Math.max(hi - lo, 1e-12))).toList();
                long n = frames.get(0).size(0);
                int shown = Math.min(STRIP_FRAMES, frames.size());
                List<INDArray> rows = new ArrayList<>();
                for (long b = 0; b < n; b++) {                                  // a row per sample, a column per frame
                    INDArray row = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, shown, frames.get(0).size(1));
                    for (int f = 0; f < shown; f++) {
                        int k = (int) Math.round((double) f * (frames.size() - 1) / Math.max(shown - 1, 1));
                        row.putRow(f, frames.get(k).getRow(b));
                    }
                    rows.add(row);
                }
                long[] hw = images.get(name);
                int scale = (int) Math.max(1, PNG_CELL_PIXELS / Math.max(hw[0], hw[1]));
                Path png = dir.resolve(name + "-frames.png");
                files.add(png, ImageGrid.png(png, rows, hw[0], hw[1], scale, STRIP_FRAMES));
                Path gif = dir.resolve(name + "-relaxation.gif");
                files.add(gif, ImageGrid.gif(gif, frames.stream().map(List::of).toList(), hw[0], hw[1], scale,
                        STRIP_SAMPLES, GIF_DELAY_MS));
            });
        }
    }
}
