package org.hamux.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.Rng;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.Spec;
import org.hamux.train.Dataset;
import org.hamux.train.Loss;
import org.hamux.train.Optimizer;
import org.hamux.train.Targets;
import org.hamux.train.Training;
import org.hamux.train.Unrolled;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Times optimizer steps the way {@code shared/bench/TRAINING.md} defines a figure: one step is {@code T} steps of the
 * dynamics forward, the backward pass to the trained parameters, the gradient's clipping and the optimizer's update,
 * on one batch; the median and the minimum over at least {@link Benchmark#MIN_SAMPLES} steps after the warm-up.
 *
 * <p>The batch: the first samples of the spec's training data when it names a file, else made from its initial
 * states: the loss layer's initial state is the target (random class labels for a cross-entropy), an input layer starts
 * at its initial state, with the neurons a masked loss scores zeroed when it is the loss layer (a masked
 * reconstruction).
 */
public final class TrainBenchmark {

    private TrainBenchmark() {
    }

    /** One batch: the initial states of the input layers and the target. */
    public record Batch(Map<String, INDArray> inputs, INDArray target) {
    }

    /** The benchmark's batch of {@code spec} (see the class comment), in {@code dtype}. */
    public static Batch batch(Spec spec, Training t, EnergyGraph graph, DataType dtype) {
        int batch = t.batch();
        Loss loss = t.loss();
        long[] lossShape = graph.layer(loss.layer()).shape();
        if (t.data() != null && t.data().train() != null) {
            Dataset d = Dataset.read(t.data().train(), t, Dataset.Part.TRAIN, batch);
            if (d.size() < batch) {
                throw new HamuxException(spec.name() + ": the training data have " + d.size() + " samples, fewer than a batch of "
                        + batch);
            }
            Map<String, INDArray> in = new LinkedHashMap<>();
            t.inputs().forEach((layer, name) -> in.put(layer, Targets.prepare(d.array(name, "input"),
                    graph.layer(layer).shape(), dtype, "input '" + name + "'")));
            return new Batch(in, Targets.prepare(d.array(loss.target(), "the loss target"), lossShape, dtype,
                    "the loss target"));
        }
        INDArray target;
        if (loss.expectsClasses()) {
            INDArray labels = Transforms.floor(new Rng(batch).uniform(DataType.DOUBLE, 0, Shapes.size(lossShape), batch), false);
            target = Targets.prepare(labels, lossShape, dtype, "labels");
        } else {
            target = initial(spec, loss.layer(), batch, dtype);
        }
        Map<String, INDArray> in = new LinkedHashMap<>();
        for (String layer : t.inputs().keySet()) {
            INDArray x = layer.equals(loss.layer()) && !loss.expectsClasses() ? target : initial(spec, layer, batch, dtype);
            if (layer.equals(loss.layer()) && loss.mask() != null) {
                INDArray keep = loss.mask().castTo(dtype).rsub(1.0);
                x = x.mul(keep.reshape(Shapes.withBatch(1, keep.shape())).broadcast(x.shape()));
            }
            in.put(layer, x);
        }
        return new Batch(in, target);
    }

    private static INDArray initial(Spec spec, String layer, int batch, DataType dtype) {
        INDArray x = spec.initial().get(layer);
        if (x == null || x.size(0) < batch) {
            throw new HamuxException(spec.name() + ": a training workload without training data needs an initial state of "
                    + "layer '" + layer + "' with at least " + batch + " samples");
        }
        return x.get(NDArrayIndex.interval(0, batch)).castTo(dtype).dup();
    }

    /**
     * Times optimizer steps of {@code t} on {@code graph} with one batch, after about {@code warmupSeconds} of untimed
     * steps (at least one) and within about {@code maxSeconds} of timed ones (at least {@link Benchmark#MIN_SAMPLES}
     * when there is time). The first and last columns of the row are the loss of the first and the last step timed.
     */
    public static Benchmark.Row time(String name, EnergyGraph graph, Training t, Batch b, double maxSeconds, double warmupSeconds) {
        Unrolled u = new Unrolled(graph, t, t.batch());
        Optimizer opt = new Optimizer(t.optimizer());
        Rng noise = new Rng(t.dynamics().noiseSeed());
        double first = step(u, opt, t, b, noise);
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1e9 < warmupSeconds) {
            step(u, opt, t, b, noise);
        }
        List<Double> ms = new ArrayList<>();
        double last = first;
        start = System.nanoTime();
        do {
            long t0 = System.nanoTime();
            last = step(u, opt, t, b, noise);
            ms.add((System.nanoTime() - t0) / 1e6);
        } while (ms.size() < Benchmark.MIN_SAMPLES && (System.nanoTime() - start) / 1e9 < maxSeconds);
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        long bytes = u.workingBytes();
        for (INDArray p : u.parameters().values()) {
            bytes += 3L * p.length() * p.dataType().width();                // the parameter and its optimizer moments
        }
        return new Benchmark.Row(name, median, sorted[0], first, last, u.gemmFlops() / 1e9, t.steps(), ms.size(),
                bytes / 1e6);
    }

    /** One optimizer step; returns the loss before it. */
    private static double step(Unrolled u, Optimizer opt, Training t, Batch b, Rng noise) {
        Unrolled.Step s = u.run(b.inputs(), b.target(), noise);
        double clip = t.clipNorm() > 0 ? Optimizer.clipFactor(Optimizer.globalNorm(s.gradients()), t.clipNorm()) : 1;
        opt.step(u.parameters(), s.gradients(), t.schedule().lr(t.optimizer().lr(), opt.updates(), Long.MAX_VALUE), clip);
        return s.loss();
    }

    /**
     * Where the time of an optimizer step's forward and backward pass goes: each op's median milliseconds over runs of
     * the plan with every op timed, after up to {@link Benchmark#PROFILE_WARMUP_SECONDS} of them untimed.
     */
    public static OpsProfile.Report profile(EnergyGraph graph, Training t, Batch b, double seconds, double warmupSeconds) {
        Unrolled u = new Unrolled(graph, t, t.batch());
        u.run(b.inputs(), b.target(), new Rng(t.dynamics().noiseSeed()));
        long start = System.nanoTime();
        do {
            u.plan().profile();
        } while ((System.nanoTime() - start) / 1e9 < Math.min(warmupSeconds, Benchmark.PROFILE_WARMUP_SECONDS));
        Map<String, List<long[]>> runs = new LinkedHashMap<>();
        int n = 0;
        start = System.nanoTime();
        do {
            u.plan().profile().forEach((k, v) -> runs.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            n++;
        } while (n < 3 || (n < Benchmark.MIN_SAMPLES && (System.nanoTime() - start) / 1e9 < seconds));
        List<OpsProfile.Line> lines = new ArrayList<>();
        double sum = 0;
        for (var e : runs.entrySet()) {
            double[] ms = e.getValue().stream().mapToDouble(v -> v[0] / 1e6).sorted().toArray();
            double median = ms[ms.length / 2];
            lines.add(new OpsProfile.Line(e.getKey(), e.getValue().get(0)[1], median));
            sum += median;
        }
        lines.sort((x, y) -> Double.compare(y.ms(), x.ms()));
        return new OpsProfile.Report(sum, n, lines);
    }
}
