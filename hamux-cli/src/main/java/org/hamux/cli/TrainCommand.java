package org.hamux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.spec.Spec;
import org.hamux.train.Checkpoint;
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

/** {@code hamux train SPEC --out DIR}: trains the parameters the spec's "training" section names. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Trains the parameters named in the spec's \"training\" section by backpropagating through T unrolled"
                + " steps of the dynamics, and prints one line per epoch.",
            "After every epoch it writes DIR/checkpoint.npz (parameters, optimizer state, epoch), DIR/params.npz"
                + " (the parameters alone, for 'hamux run --params' and 'hamux eval --params') and DIR/history.csv,"
                + " each whole or not at all. --resume continues from DIR/checkpoint.npz."})
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec cmd;

    @Mixin
    SharedOptions options;

    @Parameters(paramLabel = "SPEC", description = "The JSON spec, with a \"training\" section.")
    Path specFile;

    @Option(names = "--data", paramLabel = "PATH",
            description = "Training data: .npz, .npy, .csv, an IDX file or a folder of MNIST-style IDX files"
                    + " (default: the spec's training.data.train).")
    Path data;

    @Option(names = "--test", paramLabel = "PATH",
            description = "Test data, evaluated after every epoch (default: the spec's training.data.test, else the"
                    + " t10k files when --data is an IDX folder, else a held-out split of the training data; an IDX"
                    + " folder gives its t10k files).")
    Path test;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the checkpoints go.")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "Number of epochs (default: the spec's).")
    Integer epochs;

    @Option(names = "--resume", description = "Continue from DIR/checkpoint.npz.")
    boolean resume;

    @Option(names = "--recompute", paramLabel = "K", description = "Keep the states every K steps only and compute the "
            + "steps between them again in the backward pass: the memory of K steps instead of all, for a second forward "
            + "pass (default: the spec's; 0 keeps every step).")
    Integer recompute;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training samples (and N test samples).")
    long limit;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar (it shows only on a terminal anyway).")
    boolean quiet;

    @Override
    public Integer call() {
        checkOptions();
        Specs.Loaded loaded = Specs.load(specFile, options);
        Training t = settings(loaded.spec());
        Dataset[] data = datasets(t);
        announce(data[0], data[1], t);
        long t0 = System.nanoTime();
        fit(loaded.graph(), t, data[0], data[1]);
        PrintWriter stdout = cmd.commandLine().getOut();
        stdout.printf(Locale.ROOT, "elapsed:   %.1f s%n", (System.nanoTime() - t0) / 1e9);
        stdout.println("wrote:     " + out.resolve(Checkpoint.PARAMS) + ", " + out.resolve(Checkpoint.FILE));
        stdout.flush();
        return 0;
    }

    private void checkOptions() {
        if (epochs != null && epochs < 0) {
            throw new ParameterException(cmd.commandLine(), "--epochs must be at least 0, got " + epochs);
        }
        if (limit < 0) {
            throw new ParameterException(cmd.commandLine(), "--limit must be at least 0, got " + limit);
        }
        if (recompute != null && recompute < 0) {
            throw new ParameterException(cmd.commandLine(), "--recompute must be at least 0, got " + recompute);
        }
        if (resume && !Checkpoint.exists(out)) {
            throw new HamuxException("cannot resume: " + out.resolve(Checkpoint.FILE) + " does not exist");
        }
    }

    /** The spec's training section with the command line's --epochs and --recompute. */
    private Training settings(Spec spec) {
        Training t = TrainingData.settings(spec, specFile);
        if (epochs != null) {
            t = t.toBuilder().epochs(epochs).build();
        }
        if (recompute != null) {
            t = t.toBuilder().recompute(recompute).build();
        }
        return t;
    }

    /** The training set and the test set (null if none): from --data/--test, the spec, an IDX folder's own, or a split. */
    private Dataset[] datasets(Training t) {
        Path trainPath = TrainingData.pick(data, t, false);
        if (trainPath == null) {
            throw new ParameterException(cmd.commandLine(), "no training data: give --data PATH or training.data.train in the spec");
        }
        Dataset train = TrainingData.read(trainPath, t, Dataset.Part.TRAIN, limit);
        Path testPath = TrainingData.pick(test, t, true);
        if (testPath == null && java.nio.file.Files.isDirectory(trainPath)) {
            testPath = trainPath; // an IDX folder holds its own test set (t10k-*): no split of the training set
        }
        if (testPath != null) {
            return new Dataset[] {train, TrainingData.read(testPath, t, Dataset.Part.TEST, limit)};
        }
        if (t.data() != null && t.data().split() > 0) {
            return TrainingData.split(train, t, specFile);
        }
        return new Dataset[] {train, null};
    }

    private void announce(Dataset train, Dataset testSet, Training t) {
        PrintWriter stdout = cmd.commandLine().getOut();
        stdout.printf(Locale.ROOT, "train:     %s (%d samples)%s%n", train.source(), train.size(),
                testSet != null ? ", test: " + testSet.source() + " (" + testSet.size() + " samples)" : "");
        stdout.printf(Locale.ROOT, "training:  %s through %d steps (dt %s), loss %s, %s lr %s, batch %d, %d epoch(s)%n",
                t.train(), t.steps(), t.dt(), t.loss(), t.optimizer().type(), t.optimizer().lr(), t.batch(), t.epochs());
        stdout.flush();
    }

    /** Trains, one line per epoch on stdout and a progress bar on a terminal. */
    private void fit(EnergyGraph graph, Training t, Dataset train, Dataset testSet) {
        PrintWriter stdout = cmd.commandLine().getOut();
        TrainingBar bar = !quiet && System.console() != null ? new TrainingBar(cmd.commandLine().getErr(), t.epochs()) : null;
        Trainer.Listener listener = new Trainer.Listener() {
            @Override
            public void batch(int epoch, int b, int batches, double loss, double acc) {
                if (bar != null) {
                    bar.batch(epoch, b, batches, loss, acc);
                }
            }

            @Override
            public void epoch(Metrics.Epoch e) {
                if (bar != null) {
                    bar.clear();
                }
                stdout.println(line(e, t.epochs()));
                stdout.flush();
            }
        };
        try {
            new Trainer(graph, t).fit(train, testSet, out, resume, listener);
        } finally {
            if (bar != null) {
                bar.clear();
            }
        }
    }

    static String line(Metrics.Epoch e, int epochs) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d: train loss %.5f", e.epoch(), epochs,
                e.trainLoss()));
        if (!Double.isNaN(e.trainAccuracy())) {
            s.append(String.format(Locale.ROOT, " acc %.2f%%", 100 * e.trainAccuracy()));
        }
        if (!Double.isNaN(e.testLoss())) {
            s.append(String.format(Locale.ROOT, " | test loss %.5f", e.testLoss()));
            if (!Double.isNaN(e.testAccuracy())) {
                s.append(String.format(Locale.ROOT, " acc %.2f%%", 100 * e.testAccuracy()));
            }
        }
        s.append(String.format(Locale.ROOT, " (%.1f s)", e.seconds()));
        return s.toString();
    }

    /** {@code epoch 1/3 [#####.....] 120/937 loss 0.53 acc 81.2% 1m20s left}, redrawn at most every 100 ms. */
    static final class TrainingBar {
        private static final int WIDTH = 24;
        private final TerminalLine line;
        private final int epochs;
        private long epochStart;
        private int epochNow = -1;

        TrainingBar(PrintWriter out, int epochs) {
            this.line = new TerminalLine(out);
            this.epochs = epochs;
        }

        void batch(int epoch, int b, int batches, double loss, double acc) {
            long now = System.currentTimeMillis();
            if (epoch != epochNow) {
                epochNow = epoch;
                epochStart = now;
            }
            if (!line.due(b >= batches)) {
                return;
            }
            double perBatch = (now - epochStart) / (double) b;
            long left = (long) (perBatch * ((batches - b) + (long) (epochs - epoch) * batches) / 1000);
            int filled = WIDTH * b / batches;
            line.show(String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d loss %.4f%s %dm%02ds left", epoch, epochs,
                    "#".repeat(filled), ".".repeat(WIDTH - filled), b, batches, loss,
                    Double.isNaN(acc) ? "" : String.format(Locale.ROOT, " acc %.1f%%", 100 * acc), left / 60, left % 60));
        }

        void clear() {
            line.clear();
        }
    }
}
