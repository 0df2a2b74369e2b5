package org.hamux.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.ops.Backends;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the time of a step goes: {@link #ops()} is the standard backend ({@link Backends#standard()}, an
 * {@link EagerOps}) with every call the engine makes timed
 * (the calls an op makes inside itself are part of its own time), and {@link #endStep} closes a step. The
 * report gives, per op and shapes of its arrays, the calls and the median milliseconds of a step; the rest of a
 * step (the Euler update, the engine's own work, the profile's bookkeeping) is its median total less the ops'.
 */
public final class OpsProfile {

    /** One op in a report: its name, its calls per step and its median milliseconds per step. */
    public record Line(String op, double calls, double ms) {
    }

    /** The median step and its ops, slowest first. */
    public record Report(double stepMs, int steps, List<Line> lines) {

        /** The median step less the ops' medians: the update, the engine's own work and the profile's bookkeeping. */
        public double restMs() {
            return stepMs - lines.stream().mapToDouble(Line::ms).sum();
        }
    }

    private final Map<String, long[]> stepNanos = new LinkedHashMap<>();
    private final Map<String, int[]> stepCalls = new LinkedHashMap<>();
    private final Map<String, List<Long>> nanos = new LinkedHashMap<>();
    private final Map<String, Long> calls = new LinkedHashMap<>();
    private final List<Long> steps = new ArrayList<>();
    private final Ops<INDArray> ops;
    private final EagerOps backend = Backends.standard();
    private long stepStart = -1;

    @SuppressWarnings("unchecked")
    public OpsProfile() {
        ops = (Ops<INDArray>) Proxy.newProxyInstance(Ops.class.getClassLoader(), new Class<?>[] {Ops.class},
                (proxy, m, args) -> timed(m, args));
    }

    /** The timed ops, to give the dynamics ({@code Dynamics.Builder#ops}). */
    public Ops<INDArray> ops() {
        return ops;
    }

    private Object timed(Method m, Object[] args) throws Throwable {
        if (m.getDeclaringClass() == Object.class) {
            return m.invoke(this, args);
        }
        if (m.getName().equals("loop")) {
            return m.invoke(backend, args);                  // the backend's arrays for the run: not an op
        }
        long t0 = System.nanoTime();
        try {
            return m.invoke(backend, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            long t = System.nanoTime() - t0;
            String op = name(m, args);
            stepNanos.computeIfAbsent(op, k -> new long[1])[0] += t;
            stepCalls.computeIfAbsent(op, k -> new int[1])[0]++;
        }
    }

    /** The op and the shapes of its array arguments, e.g. {@code mmul [256, 784] [1000, 784]}. */
    private static String name(Method m, Object[] args) {
        StringBuilder b = new StringBuilder(m.getName());
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof INDArray x) {
                b.append(' ').append(Arrays.toString(x.shape()));
            }
        }
        return b.toString();
    }

    /** Ends a step at the time {@code now} ({@code System.nanoTime()}): its ops' times are recorded (see {@link #startRun}). */
    public void endStep(long now) {
        if (stepStart >= 0) {
            steps.add(now - stepStart);
            for (String op : stepNanos.keySet()) {
                nanos.computeIfAbsent(op, k -> new ArrayList<>()).add(stepNanos.get(op)[0]);
                calls.merge(op, (long) stepCalls.get(op)[0], Long::sum);
            }
        }
        stepNanos.clear();
        stepCalls.clear();
        stepStart = now;
    }

    /** A run starts: its first {@link #endStep} starts the clock (the first step, which sets up the run, is not recorded). */
    public void startRun() {
        stepNanos.clear();
        stepCalls.clear();
        stepStart = -1;
    }

    /** Forgets the recorded steps. */
    public void reset() {
        startRun();
        nanos.clear();
        calls.clear();
        steps.clear();
    }

    /** The recorded steps' medians; an op missing from some steps counts 0 there. */
    public Report report() {
        int n = steps.size();
        List<Line> lines = new ArrayList<>();
        nanos.forEach((op, t) -> {
            long[] all = new long[n];
            for (int i = 0; i < t.size(); i++) {
                all[i] = t.get(i);
            }
            lines.add(new Line(op, n == 0 ? 0 : (double) calls.get(op) / n, median(all) / 1e6));
        });
        lines.sort((a, b) -> Double.compare(b.ms(), a.ms()));
        return new Report(median(steps.stream().mapToLong(Long::longValue).toArray()) / 1e6, n, lines);
    }

    private static double median(long[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
