package org.hamux.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The discrete dynamics of binary layers ({@link Lagrangian#binary()}): each update gives a neuron the sign of lower
 * energy, the rule of the binary Hopfield network and of the binary Dense Associative Memory,
 * <pre>  sigma_i &lt;- argmin_{s in {-1, +1}} E(sigma_i = s, the other neurons as they are)</pre>
 * that is, a neuron flips where flipping it lowers the energy ({@code dE < 0}; a tie keeps it).
 * <ul>
 *   <li>asynchronous: one neuron at a time, every free neuron once per sweep, in a random order drawn from the seed
 *       (the same order for every sample of the batch); the energy never rises;</li>
 *   <li>synchronous: every neuron at once, each from the same state ({@link EnergyGraph#flipChanges}).</li>
 * </ul>
 * At temperature {@code T > 0} a neuron flips with the Glauber probability {@code 1 / (1 + e^(dE / T))} instead (a
 * temperature schedule anneals it sweep by sweep, as do parameter schedules the energy). The
 * run stops after the given number of sweeps, or earlier (at {@code T = 0}) after a sweep that flips nothing: a fixed
 * point. The energy of every sample is recorded before each sweep and at the end.
 */
final class DiscreteUpdate {

    private final Dynamics d;
    private final EnergyGraph base;
    private EnergyGraph graph;
    private double temperature;
    private final Ops<INDArray> o;
    private final Map<String, INDArray> x;
    private final Map<String, double[]> free;
    private final Random rng;

    /**
     * @param x    every layer's state, owned by the run (binary layers are set to their signs, then flipped in place)
     * @param free 1 - mask for every masked layer, {@code [1 or B, ...shape]}
     */
    DiscreteUpdate(Dynamics d, EnergyGraph graph, Ops<INDArray> o, Map<String, INDArray> x, Map<String, INDArray> free) {
        this.d = d;
        this.base = graph;
        this.graph = d.graphAt(graph, 0);
        this.temperature = d.temperatureAt(0);
        this.o = o;
        this.x = x;
        this.free = new HashMap<>();
        free.forEach((k, v) -> this.free.put(k, v.reshape(v.length()).toDoubleVector()));
        this.rng = new Random(d.seed());
    }

    Dynamics.Result run() {
        long batch = x.values().iterator().next().size(0);
        List<String> flipping = new ArrayList<>();
        for (String name : graph.layers().keySet()) {
            if (d.clamped().contains(name)) {
                continue;
            }
            if (!graph.layer(name).lagrangian().binary()) {
                throw new HamuxException("layer '" + name + "' is not binary: the " + Dynamics.word(d.update())
                        + " update flips the neurons of binary layers (\"sign\"); clamp '" + name
                        + "' or use \"update\": \"euler\"");
            }
            INDArray s = graph.layer(name).lagrangian().activation(o, x.get(name));   // the +-1 state
            x.get(name).assign(s);
            flipping.add(name);
        }
        List<double[]> trace = new ArrayList<>();
        int sweeps = 0;
        boolean fixed = false;
        for (; sweeps < d.steps(); sweeps++) {
            graph = d.graphAt(base, sweeps);                                 // scheduled parameters and temperature
            temperature = d.temperatureAt(sweeps);
            double[] before = total(activations());
            trace.add(before);
            long flips = d.update() == Dynamics.Update.ASYNC ? asyncSweep(flipping, batch) : syncSweep(flipping);
            for (StepListener l : d.listeners()) {
                l.onStep(sweeps + 1, before, x, flips > 0 ? 2 : 0);
            }
            if (flips == 0 && !d.noisy()) {
                fixed = true;
                sweeps++;
                break;
            }
        }
        Map<String, INDArray> g = activations();
        Map<String, INDArray> parts = graph.energies(o, x, g);
        double[] last = total(g);
        trace.add(last);
        Map<String, double[]> lastParts = new LinkedHashMap<>();
        parts.forEach((k, v) -> lastParts.put(k, v.toDoubleVector()));
        return new Dynamics.Result(x, g, trace, lastParts, sweeps, fixed, 0, sweeps, sweeps);
    }

    private Map<String, INDArray> activations() {
        return graph.activations(o, x);
    }

    private double[] total(Map<String, INDArray> g) {
        double[] t = graph.energy(o, x, g).toDoubleVector();
        for (double v : t) {
            if (!Double.isFinite(v)) {
                throw new DivergenceException("the energy is not finite (" + v + "): check the parameters");
            }
        }
        return t;
    }

    /** Every free neuron once, one at a time in a random order; returns the number of flips. */
    private long asyncSweep(List<String> flipping, long batch) {
        List<long[]> order = new ArrayList<>();                          // (layer, neuron)
        for (int l = 0; l < flipping.size(); l++) {
            long n = Shapes.size(graph.layer(flipping.get(l)).shape());
            for (long i = 0; i < n; i++) {
                order.add(new long[] {l, i});
            }
        }
        java.util.Collections.shuffle(order, rng);
        Map<String, INDArray> g = activations();
        Map<String, double[]> energyHere = new HashMap<>();               // the energy of a layer's synapses, per sample
        long flips = 0;
        for (long[] li : order) {
            String name = flipping.get((int) li[0]);
            long i = li[1];
            INDArray state = x.get(name);
            INDArray rows = state.reshape('c', new long[] {batch, state.length() / batch});  // a view of the layer's neurons
            double[] here = energyHere.computeIfAbsent(name, k -> energyOf(g, k));
            INDArray flipped = rows.dup();
            flipped.getColumn(i).negi();
            Map<String, INDArray> gf = new HashMap<>(g);
            gf.put(name, flipped.reshape(state.shape()));
            double[] there = energyOf(gf, name);
            boolean any = false;
            for (int b = 0; b < batch; b++) {
                if (isFree(name, b, i, batch) && accept(there[b] - here[b])) {
                    rows.putScalar(b, i, -rows.getDouble(b, i));
                    here[b] = there[b];
                    any = true;
                    flips++;
                }
            }
            if (any) {
                g.put(name, state);                                       // binary: g is the state itself
                energyHere.keySet().removeIf(k -> !k.equals(name));       // other layers' synapses may have changed
            }
        }
        return flips;
    }

    /** Every neuron at once, each from the same state; returns the number of flips. */
    private long syncSweep(List<String> flipping) {
        Map<String, INDArray> g = activations();
        Map<String, INDArray> changes = new LinkedHashMap<>();
        for (String name : flipping) {
            changes.put(name, graph.flipChanges(o, g, name));
        }
        long flips = 0;
        for (var e : changes.entrySet()) {
            INDArray state = x.get(e.getKey());
            long batch = state.size(0);
            long n = state.length() / batch;
            INDArray rows = state.reshape('c', new long[] {batch, n});
            double[] dE = e.getValue().reshape('c', new long[] {batch * n}).toDoubleVector();
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < n; i++) {
                    if (isFree(e.getKey(), b, i, batch) && accept(dE[(int) (b * n + i)])) {
                        rows.putScalar(b, i, -rows.getDouble(b, i));
                        flips++;
                    }
                }
            }
        }
        return flips;
    }

    /** The energy of the synapses layer {@code name} feeds, per sample (zeros if none). */
    private double[] energyOf(Map<String, INDArray> g, String name) {
        INDArray e = graph.synapseEnergy(o, g, name);
        return e == null ? new double[(int) x.get(name).size(0)] : e.toDoubleVector();
    }

    private boolean isFree(String name, int b, long i, long batch) {
        double[] f = free.get(name);
        if (f == null) {
            return true;
        }
        long n = x.get(name).length() / batch;                           // a mask is per sample [n] or per batch [B n]
        return f[(int) (f.length == n ? i : b * n + i)] > 0.5;
    }

    /** Flip at {@code dE < 0} (temperature 0), or with probability {@code 1 / (1 + e^(dE / T))}. */
    private boolean accept(double dE) {
        double t = temperature;
        if (t == 0) {
            return dE < 0;
        }
        return rng.nextDouble() < 1 / (1 + Math.exp(dE / t));
    }
}
