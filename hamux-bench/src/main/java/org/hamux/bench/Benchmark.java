package org.hamux.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the steps of the dynamics the way {@code shared/bench/WORKLOADS.md} defines a figure: the wall time
 * of one full step (activations, the energy of every part, {@code dE/dg} of every free layer, the update),
 * after warm-up, as the median and the minimum over at least {@link #MIN_SAMPLES} steps. A run shorter than
 * that is repeated from the initial state; the first step of each run (which sets up the run) is not counted.
 *
 * <p>The warm-up repeats untimed runs of the workload for a given time: the JIT compiles ND4J's Java side of
 * every op (and the Vector API kernels) only after thousands of calls, and a step of a cold JVM takes up to
 * half as long again.
 */
public final class Benchmark {

    /** Steps the median is taken over, at least (runs are repeated to get them). */
    public static final int MIN_SAMPLES = 30;
    /** The longest warm-up of a profile ({@link #profile}). */
    public static final double PROFILE_WARMUP_SECONDS = 2;

    /**
     * One timed workload.
     *
     * @param msMedian    median milliseconds per step
     * @param msMin       fastest step
     * @param energyFirst total energy per sample at the initial state
     * @param energyLast  total energy per sample after the last step
     * @param gflop       matrix-product work of a step, GFLOP
     * @param steps       steps per run
     * @param runs        runs timed
     * @param memoryMb    the megabytes of the arrays a step keeps from one step to the next
     */
    public record Row(String name, double msMedian, double msMin, double energyFirst, double energyLast, double gflop,
               int steps, int runs, double memoryMb) {

        /** GFLOP/s at the median. */
        public double gflops() {
            return gflop / (msMedian / 1e3);
        }
    }

    private Benchmark() {
    }

    /**
     * Times {@code dynamics} on {@code graph} from {@code x0}, after about {@code warmupSeconds} of untimed
     * runs (at least one) and within about {@code maxSeconds} of timed runs (at least one).
     */
    public static Row time(String name, EnergyGraph graph, Map<String, INDArray> x0, Dynamics dynamics, double maxSeconds,
                    double warmupSeconds) {
        long batch = x0.values().iterator().next().size(0);
        List<Double> ms = new ArrayList<>();
        long[] last = new long[1];
        Dynamics timed = dynamics.toBuilder().tolerance(0).listener((step, e, x, dx) -> {
            long now = System.nanoTime();
            if (step > 1) {
                ms.add((now - last[0]) / 1e6);
            }
            last[0] = now;
        }).build();
        // the warm-up runs the very dynamics that is timed: compiled without a listener, the step loop was
        // deoptimised when the timed runs brought one, and their first window ran half as slow again
        long warmupStart = System.nanoTime();
        do {
            timed.run(graph, x0);
        } while ((System.nanoTime() - warmupStart) / 1e9 < warmupSeconds);
        ms.clear();
        int steps = dynamics.steps();
        Dynamics.Result result = null;
        int runs = 0;
        long start = System.nanoTime();
        do {
            result = timed.run(graph, x0);
            runs++;
        } while (ms.size() < MIN_SAMPLES && steps > 1 && (System.nanoTime() - start) / 1e9 < maxSeconds);
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Row(name, median, sorted.length == 0 ? Double.NaN : sorted[0], result.firstEnergy() / batch,
                result.lastEnergy() / batch, graph.gemmFlops(batch) / 1e9, steps, runs,
                result.stepBytes() / 1e6);
    }

    /**
     * Where the time of a step of {@code dynamics} goes ({@link OpsProfile}): untimed runs with every op timed for
     * {@code warmupSeconds} (at most {@link #PROFILE_WARMUP_SECONDS}, at least one run), then runs for about
     * {@code seconds} (at least one, and at least {@link #MIN_SAMPLES} steps when there is time). Meant after
     * {@link #time}, which warms up the step; the warm-up here compiles the profile's own bookkeeping, which a
     * single run of a short workload (et: 12 steps) leaves interpreted, inflating the rest of the step.
     */
    public static OpsProfile.Report profile(EnergyGraph graph, Map<String, INDArray> x0, Dynamics dynamics, double seconds,
                                     double warmupSeconds) {
        OpsProfile p = new OpsProfile();
        Dynamics profiled = dynamics.toBuilder().tolerance(0).ops(p.ops())
                .listener((step, e, x, dx) -> p.endStep(System.nanoTime())).build();
        long start = System.nanoTime();
        do {
            p.startRun();
            profiled.run(graph, x0);
        } while ((System.nanoTime() - start) / 1e9 < Math.min(warmupSeconds, PROFILE_WARMUP_SECONDS));
        p.reset();
        start = System.nanoTime();
        do {
            p.startRun();
            profiled.run(graph, x0);
        } while (p.report().steps() < MIN_SAMPLES && dynamics.steps() > 1 && (System.nanoTime() - start) / 1e9 < seconds);
        return p.report();
    }

    /**
     * ND4J's float32 matrix-product rate on this machine and thread count: the median GFLOP/s of
     * {@code n x n} times {@code n x n} into a preallocated result, after two untimed products.
     */
    public static double gemmPeakGflops(int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double[] t = new double[repeats];
        for (int i = -2; i < repeats; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            if (i >= 0) {
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Arrays.sort(t);
        return 2.0 * n * n * n / t[repeats / 2] / 1e9;
    }
}
