package org.hamux.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hamux.bench.Benchmark;
import org.hamux.bench.OpsProfile;
import org.hamux.bench.TrainBenchmark;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.Rng;
import org.hamux.viz.LinePlot;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.hamux.train.Training;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hamux bench [WORKLOAD...]}: times the benchmark workloads (specs under {@code examples/bench/}) and
 * prints one row each: median and fastest milliseconds per step, energies, GFLOP per step, GFLOP/s and the
 * fraction of ND4J's float32 matrix-product peak measured in the same process, and the memory a step keeps. A spec
 * with a {@code "training"} section is a training workload ({@link TrainBenchmark}): its step is one optimizer step,
 * and its first and last columns are losses.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Times the benchmark workloads: the median and fastest wall time of one full step of the dynamics"
                + " (energy, dE/dg, update) after warm-up, over at least " + Benchmark.MIN_SAMPLES + " steps.",
            "WORKLOAD is a name (dam-lse, dam-lse-60k, ham3, et, train-ham, train-et: the specs DIR/NAME.json) or a spec"
                + " file; default: every spec in DIR.",
            "A spec with a \"training\" section is timed as training: a step is one optimizer step (T steps of the"
                + " dynamics, the backward pass, the update), and the first and last columns are the loss.",
            "--scaling adds the dam-lse series (K in 1000, 10000, 60000; batch 1, 16, 256) and plots it."})
final class BenchCommand implements Callable<Integer> {

    /** The memory sizes of the scaling series. */
    static final long[] SCALING_K = {1000, 10000, 60000};
    /** The batch sizes of the scaling series. */
    static final long[] SCALING_BATCH = {1, 16, 256};
    /** Steps of a scaling point with this many memories or more (as dam-lse-60k). */
    static final long LARGE_K = 60000;
    /** Matrix size of the peak measurement. */
    static final int PEAK_N = 2048;

    @CommandLine.Spec
    CommandSpec cmd;

    @Mixin
    SharedOptions options;

    @Parameters(paramLabel = "WORKLOAD", arity = "0..*", description = "Workload names or spec files.")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the workload specs are (default: $HAMUX_HOME/examples/bench, else examples/bench).")
    Path dir;

    @Option(names = "--csv", description = "Print comma-separated values instead of a table.")
    boolean csv;

    @Option(names = "--scaling", description = "Also run the dam-lse scaling series and plot it (--out).")
    boolean scaling;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the scaling plot goes (default: hamux-out).")
    Path out = Path.of(RunCommand.DEFAULT_OUT);

    @Option(names = "--max-seconds", paramLabel = "S", description = "Timed runs per workload stop after about S seconds (default: ${DEFAULT-VALUE}).")
    double maxSeconds = 30;

    @Option(names = "--profile", description = "Also time every op of the step (a second pass of --max-seconds, "
            + "after up to 2 s of --warmup) and print, below each workload, the median milliseconds a step of each op.")
    boolean profile;

    @Option(names = "--warmup", paramLabel = "S", description = "Untimed runs of each workload for about S seconds first, so "
            + "that the JIT has compiled the step (default: ${DEFAULT-VALUE}; 0 for a single run).")
    double warmupSeconds = 12;

    @Override
    public Integer call() {
        PrintWriter stdout = cmd.commandLine().getOut();
        PrintWriter stderr = cmd.commandLine().getErr();
        if (!(warmupSeconds >= 0) || !(maxSeconds >= 0) || Double.isInfinite(warmupSeconds + maxSeconds)) {
            throw new HamuxException("--warmup and --max-seconds take a number of seconds, 0 or more");
        }
        Path specDir = dir != null ? dir : defaultDir();
        List<Path> files = specFiles(specDir);
        if (files.isEmpty() && !scaling) {
            throw new HamuxException("no workloads: " + specDir + " holds no .json specs (give --dir or spec files)");
        }
        double peak = Benchmark.gemmPeakGflops(PEAK_N, 10);
        if (csv) {
            stdout.println("name,ms_median,ms_min,energy_first,energy_last,gflop_per_step,gflops,peak_fraction,steps,runs,"
                    + "memory_mb");
        } else {
            String core = System.getenv("OPENBLAS_CORETYPE");
            stdout.printf(Locale.ROOT, "# hamux bench: %s threads, ND4J float32 GEMM peak %.1f GFLOP/s (%dx%d)%s%n",
                    System.getenv().getOrDefault("OMP_NUM_THREADS", String.valueOf(Runtime.getRuntime().availableProcessors())),
                    peak, PEAK_N, PEAK_N, core == null || core.isEmpty() ? "" : ", OPENBLAS_CORETYPE=" + core);
            stdout.printf(Locale.ROOT, "# %-20s %10s %10s %14s %14s %9s %8s %6s %9s %8s%n", "name", "ms_median", "ms_min",
                    "energy_first", "energy_last", "gflop/st", "GFLOP/s", "%peak", "stepsxrun", "MB");
            stdout.println("# (training rows: one step is an optimizer step; the energy columns hold the loss of the first and"
                    + " the last step)");
        }
        stdout.flush();
        for (Path f : files) {
            Spec spec = SpecReader.read(f);
            EnergyGraph graph = spec.graph().castTo(options.dtypeOr(DataType.FLOAT));
            stderr.print(interactive() ? "running " + spec.name() + "...\r" : "");
            stderr.flush();
            Training training = Training.of(spec);
            if (training != null) {
                TrainBenchmark.Batch b = TrainBenchmark.batch(spec, training, graph, options.dtypeOr(DataType.FLOAT));
                print(stdout, TrainBenchmark.time(spec.name(), graph, training, b, maxSeconds, warmupSeconds), peak);
                if (profile) {
                    printTraining(stdout, TrainBenchmark.profile(graph, training, b, maxSeconds, warmupSeconds));
                }
                continue;
            }
            if (spec.initial().isEmpty()) {
                throw new HamuxException(f + ": a workload needs \"initial\" states");
            }
            Map<String, INDArray> x0 = Specs.cast(spec.initial(), options.dtypeOr(DataType.FLOAT));
            print(stdout, Benchmark.time(spec.name(), graph, x0, spec.dynamics(), maxSeconds, warmupSeconds), peak);
            if (profile) {
                print(stdout, Benchmark.profile(graph, x0, spec.dynamics(), maxSeconds, warmupSeconds));
            }
        }
        if (scaling) {
            scalingSeries(stdout, stderr, specDir.resolve("dam-lse.json"), peak);
        }
        return 0;
    }

    /** Runs dam-lse at every (K, batch) of the series, prints the rows and plots milliseconds per step. */
    private void scalingSeries(PrintWriter stdout, PrintWriter stderr, Path damLse, double peak) {
        Spec spec = SpecReader.read(damLse);
        EnergyGraph graph = spec.graph().castTo(DataType.FLOAT);
        String layer = spec.initial().keySet().iterator().next();
        String memory = graph.parameters().keySet().stream().filter(k -> k.endsWith(".xi")).findFirst()
                .orElseThrow(() -> new HamuxException(damLse + ": the scaling series needs a memory synapse (a parameter xi)"));
        long width = graph.parameters().get(memory).size(1);
        double[][] ms = new double[SCALING_K.length][SCALING_BATCH.length];
        for (int i = 0; i < SCALING_K.length; i++) {
            EnergyGraph g = withMemories(damLse, memory, SCALING_K[i], width);
            for (int j = 0; j < SCALING_BATCH.length; j++) {
                Map<String, INDArray> x0 = new LinkedHashMap<>();
                x0.put(layer, new Rng(SCALING_BATCH[j]).normal(DataType.FLOAT, 0, 1, graph.stateShape(layer, SCALING_BATCH[j])));
                int steps = SCALING_K[i] >= LARGE_K ? 10 : spec.dynamics().steps();
                String name = spec.name() + "/K=" + SCALING_K[i] + "/B=" + SCALING_BATCH[j];
                stderr.print(interactive() ? "running " + name + "...\r" : "");
                stderr.flush();
                Benchmark.Row r = Benchmark.time(name, g, x0, spec.dynamics().toBuilder().steps(steps).build(), maxSeconds,
                        warmupSeconds);
                print(stdout, r, peak);
                ms[i][j] = r.msMedian();
            }
        }
        List<LinePlot.Series> byK = new ArrayList<>();
        for (int j = 0; j < SCALING_BATCH.length; j++) {
            double[] y = new double[SCALING_K.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = ms[i][j];
            }
            byK.add(new LinePlot.Series("batch " + SCALING_BATCH[j], toDouble(SCALING_K), y));
        }
        List<LinePlot.Series> byBatch = new ArrayList<>();
        for (int i = 0; i < SCALING_K.length; i++) {
            byBatch.add(new LinePlot.Series("K = " + SCALING_K[i], toDouble(SCALING_BATCH), ms[i].clone()));
        }
        Path png = out.resolve("bench-scaling.png");
        LinePlot.writePng(png, List.of(
                new LinePlot.Panel("dam-lse: time per step against memories", "memories K", "ms per step", true, true, byK),
                new LinePlot.Panel("dam-lse: time per step against batch", "batch", "ms per step", true, true, byBatch)));
        (csv ? stderr : stdout).println((csv ? "" : "# ") + "plot: " + png);
    }

    /**
     * The graph of {@code damLse} with its memory parameter {@code memory} ({@code synapse.name}) re-initialised
     * as {@code k} uniform [0, 1) rows of {@code width} (seed {@code k}): the spec is read again with that
     * parameter, since a parameter's replacement must keep its shape.
     */
    private static EnergyGraph withMemories(Path damLse, String memory, long k, long width) {
        String[] name = memory.split("\\.", 2);
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(damLse));
            if (!(root.path("synapses").path(name[0]).path("params") instanceof ObjectNode params)) {
                throw new HamuxException(damLse + ": the scaling series needs the memory under synapses." + name[0] + ".params");
            }
            ObjectNode init = params.putObject(name[1]);
            init.put("init", "uniform");
            init.putArray("shape").add(k).add(width);
            init.put("seed", k);
            return SpecReader.parse(root.toString(), damLse.toAbsolutePath().getParent(), damLse.toString(), Registry.standard())
                    .graph().castTo(DataType.FLOAT);
        } catch (java.io.IOException e) {
            throw new HamuxException("cannot read " + damLse + ": " + e.getMessage());
        }
    }

    private void print(PrintWriter stdout, Benchmark.Row r, double peak) {
        if (csv) {
            stdout.printf(Locale.ROOT, "%s,%.4f,%.4f,%.8g,%.8g,%.6g,%.4g,%.4g,%d,%d,%.4g%n", r.name(), r.msMedian(), r.msMin(),
                    r.energyFirst(), r.energyLast(), r.gflop(), r.gflops(), r.gflops() / peak, r.steps(), r.runs(),
                    r.memoryMb());
        } else {
            stdout.printf(Locale.ROOT, "  %-20s %10.3f %10.3f %14.6g %14.6g %9.4f %8.1f %5.0f%% %9s %8.1f%n", r.name(),
                    r.msMedian(), r.msMin(), r.energyFirst(), r.energyLast(), r.gflop(), r.gflops(), 100 * r.gflops() / peak,
                    r.steps() + "x" + r.runs(), r.memoryMb());
        }
        stdout.flush();
    }

    /** A profile as comment lines (also with {@code --csv}): each op's median ms a step, its calls, its share. */
    private static void print(PrintWriter stdout, OpsProfile.Report p) {
        stdout.printf(Locale.ROOT, "#   where a step's %.3f ms go (median of %d steps): %-8s %10s %6s%n", p.stepMs(), p.steps(),
                "ms/step", "calls", "share");
        for (OpsProfile.Line l : p.lines()) {
            stdout.printf(Locale.ROOT, "#     %-47s %8.3f %10.1f %5.0f%%%n", l.op(), l.ms(), l.calls(), 100 * l.ms() / p.stepMs());
        }
        stdout.printf(Locale.ROOT, "#     %-47s %8.3f %10s %5.0f%%%n", "(the rest: the update, the engine, profiling)", p.restMs(), "",
                100 * p.restMs() / p.stepMs());
        stdout.flush();
    }

    /** A training profile as comment lines: each op's mean milliseconds per optimizer step, its calls, its share. */
    private static void printTraining(PrintWriter stdout, OpsProfile.Report p) {
        stdout.printf(Locale.ROOT, "#   where the forward and backward pass's %.3f ms go (median of %d runs): %-8s %10s %6s%n", p.stepMs(),
                p.steps(), "ms/step", "calls", "share");
        for (OpsProfile.Line l : p.lines()) {
            stdout.printf(Locale.ROOT, "#     %-60s %8.3f %10.1f %5.0f%%%n", l.op(), l.ms(), l.calls(), 100 * l.ms() / p.stepMs());
        }
        stdout.flush();
    }

    private List<Path> specFiles(Path specDir) {
        List<Path> files = new ArrayList<>();
        if (workloads.isEmpty()) {
            if (scaling) {
                return files;
            }
            try (var s = Files.list(specDir)) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            } catch (java.io.IOException e) {
                throw new HamuxException("cannot list the workloads in " + specDir + ": " + e.getMessage()
                        + " (give --dir DIR or set HAMUX_HOME)");
            }
            return files;
        }
        for (String w : workloads) {
            Path p = w.endsWith(".json") ? Path.of(w) : specDir.resolve(w + ".json");
            if (!Files.isRegularFile(p)) {
                throw new HamuxException("unknown workload '" + w + "': no spec " + p);
            }
            files.add(p);
        }
        return files;
    }

    private static Path defaultDir() {
        String home = System.getenv("HAMUX_HOME");
        return home != null ? Path.of(home, "examples", "bench") : Path.of("examples", "bench");
    }

    private static boolean interactive() {
        return System.console() != null;
    }

    private static double[] toDouble(long[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
