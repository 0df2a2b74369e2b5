package org.hamux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.io.AtomicFile;
import org.hamux.viz.ImageGrid;
import org.hamux.core.io.Npz;
import org.hamux.core.io.OutputSet;
import org.hamux.core.spec.Spec;
import org.hamux.train.Checkpoint;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code hamux run SPEC}: runs the dynamics from the spec's initial states, prints a summary, and with
 * {@code --out} writes the final states, activations and energy trace.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Runs the dynamics of SPEC from its initial states and prints a summary.",
            "With --out DIR it writes DIR/states.npz (final x per layer), DIR/activations.npz (final g per layer)"
                + " and DIR/energy.csv (step,total,mean: the batch-summed energy and its mean per sample, before"
                + " each step and at the end; plus e0,e1,... per sample for batches up to "
                + RunCommand.MAX_SAMPLE_COLUMNS + ").",
            "A \"retrieval\" section is scored (retrieved K/B queries); its \"png\" is written into DIR"
                + " (default " + RunCommand.DEFAULT_OUT + ")."})
final class RunCommand implements Callable<Integer> {

    /** Where the retrieval picture goes without {@code --out}. */
    static final String DEFAULT_OUT = "hamux-out";
    /** energy.csv has one column per sample up to this batch size. */
    static final int MAX_SAMPLE_COLUMNS = 64;
    /** The retrieval picture shows at most this many samples. */
    static final int MAX_PNG_COLUMNS = 32;
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

    @Option(names = {"-q", "--quiet"}, description = "No progress bar (it shows only on a terminal anyway).")
    boolean quiet;

    @Override
    public Integer call() {
        Specs.Loaded loaded = Specs.load(specFile, options);
        EnergyGraph graph = params != null ? withParams(loaded.graph(), params, loaded.dtype()) : loaded.graph();
        Map<String, INDArray> x0 = initialStates(loaded, graph);
        Dynamics dynamics = overrides(loaded.spec().dynamics().toBuilder()).build();
        long t0 = System.nanoTime();
        Dynamics.Result result = runWithProgress(dynamics, graph, x0);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        List<String> lines = summary(loaded, graph, dynamics, result, elapsedMs);
        writeOutputs(graph, loaded.spec().retrieval(), x0, result, lines);
        return 0;
    }

    /** The spec's initial states, checked against its retrieval targets. */
    private Map<String, INDArray> initialStates(Specs.Loaded loaded, EnergyGraph graph) {
        Map<String, INDArray> x0 = loaded.initial();
        if (x0.isEmpty()) {
            String first = graph.layers().keySet().iterator().next();
            throw new HamuxException(specFile + ": the spec has no initial state: add \"initial\": {\"states\": {\""
                    + first + "\": ARRAY}} (or \"initial\": {\"batch\": N} to start from zero)");
        }
        long batch = x0.values().iterator().next().size(0);
        Spec.Retrieval retrieval = loaded.spec().retrieval();
        if (retrieval != null && retrieval.targets().length != batch) {
            throw new HamuxException(specFile + ": at $.retrieval.targets: " + retrieval.targets().length
                    + " targets for a batch of " + batch);
        }
        return x0;
    }

    /** Runs the dynamics with a progress bar on a terminal (none when piped or with --quiet). */
    private Dynamics.Result runWithProgress(Dynamics dynamics, EnergyGraph graph, Map<String, INDArray> x0) {
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
    private static List<String> summary(Specs.Loaded loaded, EnergyGraph graph, Dynamics dynamics, Dynamics.Result result,
                                        long elapsedMs) {
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
        Spec.Retrieval retrieval = spec.retrieval();
        if (retrieval != null) {
            int k = retrieval.retrieved(result.activations().get(retrieval.layer()));
            lines.add(String.format(Locale.ROOT, "retrieved %d/%d queries (%.1f%%)", k, batch, 100.0 * k / batch));
        }
        return lines;
    }

    /**
     * Writes the --out files and the retrieval picture as one set (all or none), then prints {@code lines} with the
     * files written, also when writing fails.
     */
    private void writeOutputs(EnergyGraph graph, Spec.Retrieval retrieval, Map<String, INDArray> x0,
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
                    ? picture(graph, retrieval, x0, result, files, cmd.commandLine().getErr()) : null;
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

    /** {@code graph} with the parameters of {@code file} (a .npz of flat names, or a training folder). */
    static EnergyGraph withParams(EnergyGraph graph, Path file, org.nd4j.linalg.api.buffer.DataType dtype) {
        try {
            return graph.withParameters(Checkpoint.cast(Checkpoint.parameters(file), dtype));
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
        boolean perSample = batch <= MAX_SAMPLE_COLUMNS;
        StringBuilder s = new StringBuilder("step,total,mean");
        if (perSample) {
            for (int i = 0; i < batch; i++) {
                s.append(",e").append(i);
            }
        }
        s.append('\n');
        for (int step = 0; step < trace.size(); step++) {
            double[] e = trace.get(step);
            double total = Arrays.stream(e).sum();
            s.append(step).append(',').append(total).append(',').append(total / Math.max(batch, 1));
            if (perSample) {
                for (double v : e) {
                    s.append(',').append(v);
                }
            }
            s.append('\n');
        }
        return s.toString();
    }

    /**
     * Adds the retrieval grid (rows: queries, retrieved activations, target memories) in {@code --out} (default
     * {@value #DEFAULT_OUT}) to the files of the run; returns its path, or null when the image shape is unknown.
     */
    private Path picture(EnergyGraph graph, Spec.Retrieval r, Map<String, INDArray> x0, Dynamics.Result result,
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
        int[] targets = Arrays.stream(r.targets()).mapToInt(t -> (int) t).toArray();
        List<INDArray> rows = List.of(
                query.reshape('c', batch, size),
                g.reshape('c', batch, size),
                r.memories().getRows(targets));
        int scale = (int) Math.max(1, PNG_CELL_PIXELS / Math.max(image[0], image[1]));
        Path png = (out != null ? out : Path.of(DEFAULT_OUT)).resolve(r.png());
        files.add(png, ImageGrid.png(png, rows, image[0], image[1], scale, MAX_PNG_COLUMNS));
        return png;
    }
}
