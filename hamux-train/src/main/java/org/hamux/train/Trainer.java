package org.hamux.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.Rng;
import org.hamux.core.io.OutputSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a graph's parameters by backpropagating through its dynamics: for every epoch, a seeded shuffle
 * of the training samples into mini-batches (the last partial batch is left out); for every batch, the
 * loss and its gradient through the unrolled steps ({@link Unrolled}), global-norm clipping, the
 * scheduled learning rate and one optimizer update. After every epoch the test data (if any) are
 * evaluated on the inference path ({@link Evaluation}) and a {@link Checkpoint} is written. A resumed run
 * continues from the checkpoint's parameters, optimizer state and epoch; the shuffle of epoch {@code e}
 * depends only on the seed and {@code e}, so it gives the same parameters as an uninterrupted run.
 */
public final class Trainer {

    /** The file of the history of the epochs, beside the checkpoint. */
    public static final String HISTORY = "history.csv";

    /** Samples per batch in evaluation (it changes no number, only memory and speed). */
    public static final int EVAL_BATCH = 1000;

    /** Hears about the progress of training. */
    public interface Listener {
        /** After batch {@code b} (1-based) of {@code batches} of epoch {@code epoch} (1-based). */
        default void batch(int epoch, int b, int batches, double meanLoss, double meanAccuracy) {
        }

        default void epoch(Metrics.Epoch e) {
        }
    }

    private final EnergyGraph graph;
    private final Training t;

    public Trainer(EnergyGraph graph, Training training) {
        this.graph = graph;
        this.t = training;
        Unrolled.checkTrainable(graph, training.train());
        for (String layer : training.inputs().keySet()) {
            graph.layer(layer);
        }
        training.clamp().forEach(graph::layer);
        graph.layer(training.loss().layer());
    }

    /**
     * Trains for the epochs of the settings.
     *
     * @param train  the training data
     * @param test   the test data, or null
     * @param out    the checkpoint folder, or null for none
     * @param resume continue from the checkpoint in {@code out}
     * @return the graph with the trained parameters, and the history
     */
    public Result fit(Dataset train, Dataset test, Path out, boolean resume, Listener listener) {
        checkData(train);
        if (test != null) {
            checkData(test);
        }
        DataType dtype = dtype(graph);
        int batch = (int) Math.min(t.batch(), train.size());
        int batches = (int) (train.size() / batch);
        Unrolled u = new Unrolled(graph, t, batch);
        Optimizer opt = new Optimizer(t.optimizer());
        List<Metrics.Epoch> history = new ArrayList<>();
        int start = 0;
        if (out != null) {
            Checkpoint.repair(out, HISTORY);
        }
        if (resume) {
            if (out == null) {
                throw new HamuxException("--resume needs the folder of the checkpoint");
            }
            Checkpoint c = Checkpoint.read(out);
            if (!c.parameters().keySet().equals(u.parameters().keySet())) {
                throw new HamuxException("cannot resume from " + out.resolve(Checkpoint.FILE) + ": it trained "
                        + c.parameters().keySet() + " but the spec trains " + u.parameters().keySet());
            }
            if (c.seed() != t.seed()) {
                throw new HamuxException("cannot resume from " + out.resolve(Checkpoint.FILE) + ": it was trained with seed "
                        + c.seed() + " but the spec has seed " + t.seed());
            }
            u.setParameters(c.parameters());
            opt.load(c.optimizer());
            start = c.epoch();
            if (c.history() != null) {
                history.addAll(Metrics.Epoch.fromRows(c.history()));
            }
        }
        long total = (long) t.epochs() * batches;
        INDArray targetsAll = train.array(t.loss().target(), "the loss target");
        long[] lossShape = graph.layer(t.loss().layer()).shape();
        boolean classes = Targets.areLabels(targetsAll, lossShape);
        for (int epoch = start; epoch < t.epochs(); epoch++) {
            long t0 = System.nanoTime();
            int[] perm = Dataset.permutation((int) train.size(), shuffle(t.seed(), epoch));
            double lossSum = 0;
            long right = 0;
            for (int b = 0; b < batches; b++) {
                int[] idx = Arrays.copyOfRange(perm, b * batch, (b + 1) * batch);
                Map<String, INDArray> inputs = inputs(train, idx, dtype);
                INDArray rawTarget = Dataset.rows(targetsAll, idx);
                INDArray target = Targets.prepare(rawTarget, lossShape, dtype, "the loss target '" + t.loss().target() + "'");
                Unrolled.Step s = u.run(inputs, target, noise(t, epoch, b));
                if (!Double.isFinite(s.loss())) {
                    throw new org.hamux.core.DivergenceException("the loss is " + s.loss() + " at epoch " + (epoch + 1)
                            + ", batch " + (b + 1) + ": lower the learning rate or dt");
                }
                double clip = t.clipNorm() > 0 ? Optimizer.clipFactor(Optimizer.globalNorm(s.gradients()), t.clipNorm()) : 1;
                double lr = t.schedule().lr(t.optimizer().lr(), opt.updates(), total);
                opt.step(u.parameters(), s.gradients(), lr, clip);
                lossSum += s.loss();
                if (classes) {
                    right += Evaluation.correct(s.output(), Targets.labels(rawTarget, Long.MAX_VALUE, "labels"));
                }
                if (listener != null) {
                    listener.batch(epoch + 1, b + 1, batches, lossSum / (b + 1),
                            classes ? (double) right / ((long) (b + 1) * batch) : Double.NaN);
                }
            }
            EnergyGraph current = graph.withParameters(copy(u.parameters()));
            Metrics m = test != null ? evaluate(current, t, test) : null;
            Metrics.Epoch e = new Metrics.Epoch(epoch + 1, lossSum / batches,
                    classes ? (double) right / ((long) batches * batch) : Double.NaN,
                    m != null ? m.loss() : Double.NaN, m != null ? m.accuracy() : Double.NaN,
                    (System.nanoTime() - t0) / 1e9);
            history.add(e);
            if (out != null) {
                OutputSet files = new OutputSet();
                new Checkpoint(epoch + 1, t.seed(), copy(u.parameters()), opt.state(), Metrics.Epoch.toRows(history))
                        .stage(files, out);
                String csv = Metrics.Epoch.csv(history);
                files.add(out.resolve(HISTORY), o -> o.write(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                files.commit();
            }
            if (listener != null) {
                listener.epoch(e);
            }
        }
        return new Result(graph.withParameters(copy(u.parameters())), history);
    }

    /** The trained graph and one row per epoch (resumed runs include the earlier epochs). */
    public record Result(EnergyGraph graph, List<Metrics.Epoch> history) {
    }

    /**
     * The generator of the Langevin noise of batch {@code batch} of epoch {@code epoch} (both 0-based): a function of the
     * dynamics' noise seed, the training seed, the epoch and the batch only, so that a resumed run draws the same noise.
     */
    static Rng noise(Training t, int epoch, int batch) {
        long s = t.dynamics().noiseSeed() * 0x9E3779B97F4A7C15L + t.seed();
        return new Rng(new SplittableRandom(s * 31 + epoch).split().nextLong() + batch);
    }

    /** The generator of the shuffle of epoch {@code epoch} (0-based): a function of the seed and the epoch only. */
    static SplittableRandom shuffle(long seed, int epoch) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    }

    private void checkData(Dataset d) {
        t.inputs().forEach((layer, name) -> Targets.prepare(d.array(name, "input of layer '" + layer + "'").get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)), graph.layer(layer).shape(), DataType.FLOAT,
                "input '" + name + "' of layer '" + layer + "'"));
        d.array(t.loss().target(), "the loss target");
    }

    private Map<String, INDArray> inputs(Dataset d, int[] idx, DataType dtype) {
        Map<String, INDArray> in = new LinkedHashMap<>();
        t.inputs().forEach((layer, name) -> in.put(layer, Targets.prepare(Dataset.rows(d.array(name, "input"), idx),
                graph.layer(layer).shape(), dtype, "input '" + name + "' of layer '" + layer + "'")));
        return in;
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    static DataType dtype(EnergyGraph g) {
        return g.parameters().values().stream().map(INDArray::dataType).findFirst().orElse(DataType.FLOAT);
    }

    /**
     * The mean loss, and the accuracy where the targets are class labels, of {@code graph} on {@code data},
     * on the inference path (the eager dynamics of the training settings).
     */
    public static Metrics evaluate(EnergyGraph graph, Training t, Dataset data) {
        DataType dtype = dtype(graph);
        long n = data.size();
        INDArray targetsAll = data.array(t.loss().target(), "the loss target");
        long[] lossShape = graph.layer(t.loss().layer()).shape();
        boolean classes = Targets.areLabels(targetsAll, lossShape);
        double lossSum = 0;
        long right = 0;
        for (long from = 0; from < n; from += EVAL_BATCH) {
            int len = (int) Math.min(EVAL_BATCH, n - from);
            int[] idx = new int[len];
            for (int i = 0; i < len; i++) {
                idx[i] = (int) (from + i);
            }
            Map<String, INDArray> in = new LinkedHashMap<>();
            t.inputs().forEach((layer, name) -> in.put(layer, Targets.prepare(Dataset.rows(data.array(name, "input"), idx),
                    graph.layer(layer).shape(), dtype, "input '" + name + "' of layer '" + layer + "'")));
            if (in.isEmpty()) {
                String first = graph.layers().keySet().iterator().next();
                in.put(first, Nd4j.zeros(dtype, graph.stateShape(first, len)));
            }
            INDArray raw = Dataset.rows(targetsAll, idx);
            INDArray out = Evaluation.output(graph, t, in);
            INDArray target = Targets.prepare(raw, lossShape, dtype, "the loss target '" + t.loss().target() + "'");
            lossSum += Evaluation.perSample(t.loss(), out, target).sumNumber().doubleValue();
            if (classes) {
                right += Evaluation.correct(out, Targets.labels(raw, Long.MAX_VALUE, "labels"));
            }
        }
        return new Metrics(n, lossSum / n, classes ? (double) right / n : Double.NaN);
    }
}
