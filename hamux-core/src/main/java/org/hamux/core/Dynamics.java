package org.hamux.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hamux.core.ops.Backends;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.hamux.core.ops.Loop;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The relaxation {@code tau_l dx_l/dt = I_l - x_l = -dE/dg_l}, integrated with explicit Euler steps
 * from the same old state for every layer:
 * <pre>  x_l &lt;- x_l - (dt / tau_l) dE/dg_l  [+ sqrt(2 T dt / tau_l) N(0, 1) with Langevin noise]</pre>
 * Clamped layers do not move; a mask (1 = clamped) holds single neurons. The run stops after
 * {@link Builder#steps} steps, or earlier when the largest change of a free neuron in a step is below
 * the tolerance. The energy of every sample is recorded before each step and at the end.
 *
 * <p>Binary layers may instead take discrete updates ({@link Update#ASYNC}, {@link Update#SYNC}: see
 * {@link DiscreteUpdate}), where a step is a sweep over the neurons.
 *
 * <p>Every step runs in an ND4J workspace, and the arrays the kernels of a step make are the arrays of the step before
 * where the backend reuses them ({@link Loop}): the steady state allocates no new memory and creates few new arrays.
 */
public final class Dynamics {

    /** How the states move: Euler steps of the continuous dynamics, or discrete flips of binary neurons. */
    public enum Update {
        /** {@code x <- x - (dt / tau) dE/dg}. */
        EULER,
        /** One binary neuron at a time to the sign of lower energy, in a seeded random order. */
        ASYNC,
        /** Every binary neuron at once to the sign of lower energy. */
        SYNC,
        /** The continuous dynamics solved to a tolerance with adaptive Dormand-Prince 4(5) steps ({@link AdaptiveIntegrator}). */
        DOPRI5
    }

    /** Default Euler step. */
    public static final double DEFAULT_DT = 0.1;
    /** Default number of steps. */
    public static final int DEFAULT_STEPS = 100;

    private static final WorkspaceConfiguration STEP_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .build();

    private final double dt;
    private final int steps;
    private final double tolerance;
    private final Set<String> clamped;
    private final Map<String, INDArray> masks;
    private final double temperature;
    private final long noiseSeed;
    private final List<StepListener> listeners;
    private final Ops<INDArray> ops;
    private final Update update;
    private final long seed;
    private final Map<String, StepSchedule> schedules;
    private final double rtol;
    private final double atol;

    private Dynamics(Builder b) {
        this.dt = b.dt;
        this.steps = b.steps;
        this.tolerance = b.tolerance;
        this.clamped = Set.copyOf(b.clamped);
        this.masks = Map.copyOf(b.masks);
        this.temperature = b.temperature;
        this.noiseSeed = b.noiseSeed;
        this.listeners = List.copyOf(b.listeners);
        this.ops = b.ops;
        this.update = b.update;
        this.seed = b.seed;
        this.schedules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.schedules));
        this.rtol = b.rtol;
        this.atol = b.atol;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder().dt(dt).steps(steps).tolerance(tolerance).noise(temperature, noiseSeed).update(update)
                .seed(seed);
        b.clamped.addAll(clamped);
        b.masks.putAll(masks);
        b.listeners.addAll(listeners);
        b.ops = ops;
        b.schedules.putAll(schedules);
        b.rtol = rtol;
        b.atol = atol;
        return b;
    }

    public double dt() {
        return dt;
    }

    /** How the states move: Euler steps, or discrete updates of binary layers. */
    public Update update() {
        return update;
    }

    /** The seed of the order of the asynchronous update. */
    public long seed() {
        return seed;
    }

    /** The relative error a dopri5 step may make per neuron. */
    public double relativeTolerance() {
        return rtol;
    }

    /** The absolute error a dopri5 step may make per neuron. */
    public double absoluteTolerance() {
        return atol;
    }

    /**
     * The values that change along the steps, by key: {@code "dt"}, {@code "temperature"}, or a scalar parameter of the
     * graph by its flat name ({@code "memory.beta"}).
     */
    public Map<String, StepSchedule> schedules() {
        return schedules;
    }

    /** The Euler step at step {@code step} (from 0). */
    public double dtAt(int step) {
        StepSchedule s = schedules.get(DT);
        return s == null ? dt : s.at(step, steps);
    }

    /** The temperature at step {@code step} (from 0). */
    public double temperatureAt(int step) {
        StepSchedule s = schedules.get(TEMPERATURE);
        return s == null ? temperature : s.at(step, steps);
    }

    /** Whether any step has noise (a positive temperature, constant or scheduled). */
    public boolean noisy() {
        StepSchedule s = schedules.get(TEMPERATURE);
        return s == null ? temperature > 0 : Arrays.stream(s.values()).anyMatch(v -> v > 0);
    }

    /** {@code graph} with its scheduled parameters at their values of step {@code step}; {@code graph} if none. */
    public EnergyGraph graphAt(EnergyGraph graph, int step) {
        Map<String, INDArray> values = null;
        for (var e : schedules.entrySet()) {
            if (e.getKey().equals(DT) || e.getKey().equals(TEMPERATURE)) {
                continue;
            }
            INDArray old = graph.parameters().get(e.getKey());
            if (old == null || old.rank() != 0) {
                throw new HamuxException("cannot schedule '" + e.getKey() + "': schedules take \"dt\", \"temperature\" or a "
                        + "scalar parameter of the graph (scalar ones: " + scalarParameters(graph) + ")");
            }
            if (values == null) {
                values = new LinkedHashMap<>();
            }
            values.put(e.getKey(), Nd4j.scalar(old.dataType(), e.getValue().at(step, steps)));
        }
        return values == null ? graph : graph.withParameters(values);
    }

    private static List<String> scalarParameters(EnergyGraph graph) {
        return graph.parameters().entrySet().stream().filter(e -> e.getValue().rank() == 0).map(Map.Entry::getKey).toList();
    }

    /** The schedule keys of the Euler step and of the temperature. */
    public static final String DT = "dt";
    public static final String TEMPERATURE = "temperature";

    /** The listeners called after every step. */
    List<StepListener> listeners() {
        return listeners;
    }

    /** The JSON word of an update: {@code euler}, {@code async}, {@code sync}. */
    public static String word(Update u) {
        return u.name().toLowerCase(java.util.Locale.ROOT);
    }

    public int steps() {
        return steps;
    }

    public double tolerance() {
        return tolerance;
    }

    public Set<String> clamped() {
        return clamped;
    }

    public Map<String, INDArray> masks() {
        return masks;
    }

    public double temperature() {
        return temperature;
    }

    public long noiseSeed() {
        return noiseSeed;
    }

    /**
     * Runs the dynamics of {@code graph} from {@code x0} (states {@code [batch, ...shape]}; a layer not
     * given starts at zero). The arrays of {@code x0} are not modified. Data types follow the graph's
     * parameters ({@code x0} is cast to the type of the first one given).
     */
    public Result run(EnergyGraph graph, Map<String, INDArray> x0) {
        DataType dtype = x0.isEmpty() ? DataType.FLOAT : x0.values().iterator().next().dataType();
        Map<String, INDArray> x = new LinkedHashMap<>(graph.withZeros(x0, dtype));
        x0.forEach((name, given) -> x.put(name, given.castTo(dtype).dup('c')));   // the caller's arrays stay as they are
        long batch = x0.values().iterator().next().size(0);
        checkClamps(graph, batch);
        Map<String, INDArray> free = new HashMap<>();
        masks.forEach((name, m) -> free.put(name, m.castTo(dtype).rsub(1.0)));
        if (update == Update.DOPRI5) {
            return new AdaptiveIntegrator(this, graph, updater(), free).run(x);
        }
        if (update != Update.EULER) {
            return new DiscreteUpdate(this, graph, updater(), x, free).run();
        }
        graphAt(graph, 0);                                               // schedules name what the graph has
        Rng noise = noisy() ? new Rng(noiseSeed) : null;

        List<double[]> trace = new ArrayList<>();
        Map<String, double[]> lastParts = null;
        int taken = 0;
        boolean converged = false;
        Loop loop = ops.loop();
        long loopBytes = 0;
        try {
            for (int step = 0; ; step++) {
                boolean last = step == steps || converged;
                double[] total;
                double maxChange = 0;
                // in the step's workspace, on the arrays of the step before (listeners run after, outside both)
                EnergyGraph here = graphAt(graph, Math.min(step, Math.max(steps - 1, 0)));  // scheduled parameters
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, "hamux-step");
                     Loop.Step inStep = loop.step()) {
                    Map<String, INDArray> g = here.activations(ops, x);
                    // the last pass only records the energy: no gradient is computed to be dropped
                    EnergyGraph.Evaluation<INDArray> ev = last ? null : here.evaluate(ops, x, g);
                    Map<String, INDArray> parts = last ? here.energies(ops, x, g) : ev.parts();
                    total = new double[(int) batch];
                    for (INDArray e : parts.values()) {
                        double[] v = values(e);
                        for (int i = 0; i < total.length; i++) {
                            total[i] += v[i];
                        }
                    }
                    trace.add(total);
                    if (!allFinite(total)) {
                        // before any step dt has played no part: the start or a parameter makes the energy infinite
                        throw new DivergenceException(step == 0
                                ? "the energy of the initial state is not finite, before any step (so not dt): "
                                + nonFinite(graph, parts) + "; check that synapse's parameters (a beta too large for the"
                                + " states' scale, a weight of the wrong sign), or start where it is finite (an LSR or log"
                                + " memory is infinite away from every memory: give it \"eps\" > 0 or start nearer them)"
                                : "the energy is no longer finite at step " + step + ": " + nonFinite(graph, parts)
                                + "; lower dt, start nearer the memories, or check the parameters");
                    }
                    if (last) {
                        lastParts = new LinkedHashMap<>();
                        for (var e : parts.entrySet()) {
                            lastParts.put(e.getKey(), values(e.getValue()));
                        }
                        break;
                    }
                    for (var e : x.entrySet()) {
                        if (!clamped.contains(e.getKey())) {
                            maxChange = Math.max(maxChange, update(here, e.getKey(), e.getValue(), ev, free, noise, step));
                        }
                    }
                }
                taken = step + 1;
                if (!Double.isFinite(maxChange) || !allFinite(total)) {
                    throw new DivergenceException("the state is no longer finite at step " + taken
                            + " (energy " + Arrays.toString(Arrays.copyOf(total, Math.min(3, total.length)))
                            + "...): lower dt or check the parameters");
                }
                for (StepListener l : listeners) {
                    l.onStep(taken, total, x, maxChange);
                }
                converged = tolerance > 0 && maxChange < tolerance;
            }
            loopBytes = loop.bytes();
        } finally {
            loop.release();
        }
        Map<String, INDArray> g = graphAt(graph, Math.max(steps - 1, 0)).activations(ops, x);
        double time = 0;
        for (int s = 0; s < taken; s++) {
            time += dtAt(s);
        }
        return new Result(x, g, trace, lastParts, taken, converged, loopBytes, time, taken);
    }

    /** What updates the states in place: the ops of the steps when they are a backend, else the standard backend. */
    private EagerOps updater() {
        return ops instanceof EagerOps e ? e : Backends.standard();
    }

    /**
     * One Euler step of free layer {@code name}, in place: {@code x <- x + change} ({@link #change}); returns the largest
     * change of a neuron.
     */
    private double update(EnergyGraph graph, String name, INDArray x, EnergyGraph.Evaluation<INDArray> ev,
                          Map<String, INDArray> free, Rng noise, int step) {
        NeuronLayer layer = graph.layer(name);
        INDArray f = free.get(name);
        if (noise == null && f == null) {
            // the change -(dt/tau) dE/dg added and its largest element found in one pass over the terms of dE/dg (they
            // may alias x or a parameter: they are read, never written)
            return updater().addScaledInPlace(x, -dtAt(step) / layer.tau(), ev.terms().get(name));
        }
        INDArray n = null;
        if (noise != null) {
            n = Nd4j.createUninitialized(x.dataType(), x.shape());
            noise.fillNormal(n, 1.0);
        }
        INDArray delta = change(updater(), layer, ev.gradient(ops, name), n, f, step);
        x.addi(delta);
        return delta.amaxNumber().doubleValue();
    }

    /**
     * The change of a free layer in one Euler step, written once for inference and training:
     * <pre>  dx = free * ( -(dt / tau) dE/dg + sqrt(2 T dt / tau) n )</pre>
     * with {@code n} standard normal noise (Langevin dynamics at temperature {@code T}) and {@code free = 1 - mask};
     * {@code dt} and {@code T} are step {@code step}'s ({@link #schedules}).
     *
     * @param dEdg  {@code dE/dg} of the layer, {@code [B, ...shape]}
     * @param noise standard normal noise shaped like the layer, or null (none; it is ignored at temperature 0)
     * @param free  1 where a neuron moves, 0 where its mask holds it (broadcasting), or null for every neuron free
     */
    public <T> T change(Ops<T> o, NeuronLayer layer, T dEdg, T noise, T free, int step) {
        double rate = dtAt(step) / layer.tau();
        double t = temperatureAt(step);
        T d = o.mul(dEdg, -rate);
        if (noise != null && t > 0) {
            d = o.add(d, o.mul(noise, Math.sqrt(2 * t * rate)));
        }
        return free == null ? d : o.mul(d, free);
    }

    /** {@code 1 - mask}, a per-sample mask given the batch axis (size 1) so that it broadcasts. */
    private static INDArray freeOf(INDArray mask, long[] layerShape) {
        INDArray m = mask.rank() == layerShape.length ? mask.reshape('c', Shapes.withBatch(1, layerShape)) : mask;
        return m.castTo(DataType.DOUBLE).rsub(1.0);
    }

    /** Standard normal noise for the Langevin term, one array per step and layer. */
    @FunctionalInterface
    public interface Noise<T> {
        /** The noise of layer {@code layer} in step {@code step} (0-based), shaped like the layer's state. */
        T at(int step, String layer);
    }

    /**
     * The states after {@link #steps()} Euler steps from {@code x0}, recorded with any ops: the path training
     * differentiates (on a {@link org.hamux.core.autodiff.Tape}), with the clamps, masks, time constants, noise and
     * tolerance of {@link #run}. The steps after the one whose largest change falls below the tolerance change nothing
     * (they are computed, multiplied by 0), so the number of steps is fixed and the result is {@link #run}'s.
     *
     * @param x0    the initial state of every layer ({@code [B, ...shape]}; a layer not given starts at zero)
     * @param noise the noise of each step and free layer; used only at a positive temperature
     */
    public <T> Map<String, T> unroll(Ops<T> o, EnergyGraph graph, Map<String, T> x0, Noise<T> noise) {
        for (String k : schedules.keySet()) {
            if (!k.equals(DT) && !k.equals(TEMPERATURE)) {
                throw new HamuxException("the schedule of parameter '" + k + "' is for inference: training through the"
                        + " steps takes schedules of dt and temperature only");
            }
        }
        Map<String, T> x = graph.withZeros(o, x0);
        T like = x.get(x0.keySet().iterator().next());
        Map<String, T> free = new HashMap<>();
        masks.forEach((name, m) -> free.put(name, o.constant(like, freeOf(m, graph.layer(name).shape()))));
        T active = null;                                   // 1 until a step's largest change is below the tolerance
        for (int step = 0; step < steps; step++) {
            Map<String, T> g = graph.activations(o, x);
            Map<String, T> grad = graph.gradient(o, x, g);
            Map<String, T> next = new LinkedHashMap<>();
            T largest = null;
            for (var e : x.entrySet()) {
                String name = e.getKey();
                if (clamped.contains(name)) {
                    next.put(name, e.getValue());
                    continue;
                }
                T d = change(o, graph.layer(name), grad.get(name), temperatureAt(step) > 0 ? noise.at(step, name) : null,
                        free.get(name), step);
                if (tolerance > 0) {
                    T m = o.max(o.abs(o.reshape(d, Shapes.size(o.shape(d)))), false, 0);
                    largest = largest == null ? m : o.add(largest, o.relu(o.sub(m, largest)));   // max(largest, m)
                    d = active == null ? d : o.mul(d, active);
                }
                next.put(name, o.add(e.getValue(), d));
            }
            if (largest != null) {
                T goOn = o.step(o.add(largest, -tolerance));                                  // 1 while >= tolerance
                active = active == null ? goOn : o.mul(active, goOn);
            }
            x = next;
        }
        return x;
    }

    /** The numbers of a vector {@code [B]}, read in place (ND4J's {@code toDoubleVector} copies a view first). */
    static double[] values(INDArray e) {
        if (e.rank() != 1) {
            return e.toDoubleVector();
        }
        double[] v = new double[(int) e.length()];
        if (e.offset() != 0) {
            for (int i = 0; i < v.length; i++) {           // ND4J's element access: where a view's buffer starts varies
                v[i] = e.getDouble(i);
            }
            return v;
        }
        DataBuffer d = e.data();
        long stride = e.stride(0);
        for (int i = 0; i < v.length; i++) {
            v[i] = d.getDouble(i * stride);
        }
        return v;
    }

    /** Names the layers and synapses whose energy is not finite, with the first such sample and value. */
    private static String nonFinite(EnergyGraph graph, Map<String, INDArray> parts) {
        List<String> bad = new ArrayList<>();
        parts.forEach((name, e) -> {
            double[] v = values(e);
            for (int b = 0; b < v.length; b++) {
                if (!Double.isFinite(v[b])) {
                    String what = graph.synapses().containsKey(name) ? "synapse '" : "layer '";
                    bad.add(what + name + "' has energy " + v[b] + " (sample " + b + ")");
                    break;
                }
            }
        });
        return String.join(", ", bad);
    }

    private static boolean allFinite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    private void checkClamps(EnergyGraph graph, long batch) {
        for (String c : clamped) {
            graph.layer(c);
        }
        for (var e : masks.entrySet()) {
            long[] want = graph.stateShape(e.getKey(), batch);
            long[] got = e.getValue().shape();
            if (!Arrays.equals(got, want) && !Arrays.equals(got, graph.layer(e.getKey()).shape())) {
                throw new HamuxException("clamp mask of layer '" + e.getKey() + "' has shape " + Arrays.toString(got)
                        + "; expected " + Arrays.toString(want) + " or the per-sample shape "
                        + Arrays.toString(graph.layer(e.getKey()).shape()));
            }
        }
    }

    /**
     * The outcome of a run.
     *
     * @param states      final states {@code x}, by layer
     * @param activations final activations {@code g}, by layer
     * @param energyTrace total energy per sample before each step and at the end ({@code steps + 1} rows)
     * @param finalParts  the final energy of every layer and synapse, per sample
     * @param steps       steps taken
     * @param converged   whether the tolerance stopped the run
     * @param stepBytes   the bytes of the arrays a step kept for the next (freed at the end of the run)
     */
    /**
     * What a run ends with.
     *
     * @param steps       the steps taken (Euler steps, sweeps of the discrete updates, accepted dopri5 steps)
     * @param converged   whether it stopped early: below the tolerance, or a sweep that flipped nothing
     * @param stepBytes   the memory the arrays reused between steps took
     * @param time        the time reached, in units of tau (sweeps for the discrete updates)
     * @param evaluations the evaluations of dE/dg (per step for Euler; six per dopri5 step and one to start)
     */
    public record Result(Map<String, INDArray> states, Map<String, INDArray> activations, List<double[]> energyTrace,
                         Map<String, double[]> finalParts, int steps, boolean converged, long stepBytes, double time,
                         long evaluations) {

        /** The batch-summed total energy before the first step. */
        public double firstEnergy() {
            return Arrays.stream(energyTrace.get(0)).sum();
        }

        /** The batch-summed total energy at the end. */
        public double lastEnergy() {
            return Arrays.stream(energyTrace.get(energyTrace.size() - 1)).sum();
        }
    }

    /** Settings of the dynamics, with the defaults {@code dt = 0.1}, 100 steps, no tolerance, no noise. */
    public static final class Builder {
        private double dt = DEFAULT_DT;
        private int steps = DEFAULT_STEPS;
        private double tolerance = 0;
        private final Set<String> clamped = new LinkedHashSet<>();
        private final Map<String, INDArray> masks = new LinkedHashMap<>();
        private double temperature = 0;
        private long noiseSeed = 0;
        private final List<StepListener> listeners = new ArrayList<>();
        private Ops<INDArray> ops = Backends.standard();
        private Update update = Update.EULER;
        private long seed;
        private final Map<String, StepSchedule> schedules = new LinkedHashMap<>();
        private double rtol = 1e-6;
        private double atol = 1e-9;

        private Builder() {
        }

        /** The Euler step, positive. */
        public Builder dt(double dt) {
            if (!(dt > 0) || Double.isInfinite(dt)) {
                throw new HamuxException("dt must be positive and finite, got " + dt);
            }
            this.dt = dt;
            return this;
        }

        /** The largest number of steps, at least 0. */
        public Builder steps(int steps) {
            if (steps < 0) {
                throw new HamuxException("steps must be at least 0, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        /** Stop when no free neuron moves more than this in a step; 0 turns it off. */
        public Builder tolerance(double tol) {
            if (!(tol >= 0)) {
                throw new HamuxException("tolerance must be at least 0, got " + tol);
            }
            this.tolerance = tol;
            return this;
        }

        /** Holds whole layers at their initial state. */
        public Builder clamp(String... layers) {
            clamped.addAll(List.of(layers));
            return this;
        }

        /** Holds the neurons of {@code layer} where {@code mask} is 1 ({@code [batch, ...]} or per-sample shape). */
        public Builder mask(String layer, INDArray mask) {
            masks.put(layer, mask);
            return this;
        }

        /** Langevin noise at {@code temperature} (0 for none), from a generator seeded with {@code seed}. */
        public Builder noise(double temperature, long seed) {
            if (!(temperature >= 0)) {
                throw new HamuxException("temperature must be at least 0, got " + temperature);
            }
            this.temperature = temperature;
            this.noiseSeed = seed;
            return this;
        }

        public Builder listener(StepListener l) {
            listeners.add(l);
            return this;
        }

        /** Euler steps (the default), or discrete updates of binary layers, a step then being a sweep. */
        public Builder update(Update update) {
            this.update = Objects.requireNonNull(update, "update");
            return this;
        }

        /**
         * A value that changes along the steps: {@code "dt"}, {@code "temperature"} (noise, or the Glauber temperature of
         * the discrete updates), or a scalar parameter of the graph by its flat name, e.g. {@code "memory.beta"} for an
         * annealed inverse temperature (inference only: training schedules dt and temperature).
         */
        public Builder schedule(String key, StepSchedule schedule) {
            schedules.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(schedule, "schedule"));
            return this;
        }

        /** The error a dopri5 step may make per neuron: {@code atol + rtol |x|} (defaults 1e-6 and 1e-9). */
        public Builder errorTolerance(double rtol, double atol) {
            if (!(rtol >= 0) || !(atol >= 0) || !(rtol + atol > 0) || Double.isInfinite(rtol) || Double.isInfinite(atol)) {
                throw new HamuxException("rtol and atol must be finite, at least 0, not both 0; got " + rtol + " and " + atol);
            }
            this.rtol = rtol;
            this.atol = atol;
            return this;
        }

        /** The seed of the asynchronous update's order (0 by default). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The backend the activations, energies and {@code dE/dg} of each step are evaluated with (default
         * {@link Backends#standard()}): e.g. the plain {@link EagerOps#INSTANCE}, or a wrapper that times each call, for
         * a profile of the step (the Euler update then stays with the standard backend).
         */
        public Builder ops(Ops<INDArray> ops) {
            this.ops = Objects.requireNonNull(ops, "ops");
            return this;
        }

        public Dynamics build() {
            return new Dynamics(this);
        }
    }
}
