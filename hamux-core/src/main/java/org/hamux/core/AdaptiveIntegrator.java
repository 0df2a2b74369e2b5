package org.hamux.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.ops.EagerOps;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The continuous dynamics {@code tau dx/dt = -dE/dg} solved as an ODE to a tolerance, with the adaptive Dormand-Prince
 * 4(5) method: each step takes six evaluations of {@code dE/dg} (the seventh is the next step's first), estimates its
 * local error as the difference of the fifth- and fourth-order solutions, and is accepted where, for every free neuron,
 * {@code |error| <= atol + rtol max(|x|, |x_new|)}; the step size then grows or shrinks by
 * {@code 0.9 (1 / error)^(1/5)} (between 0.2 and 5 times). It integrates from {@code t = 0} to {@code steps dt} (in
 * units of tau), starting with step {@code dt}, or stops earlier where the largest {@code |dx/dt|} of a free neuron falls
 * below the dynamics' tolerance (settled). Clamped layers and masked neurons do not move. The energy is recorded at
 * every accepted step. Near a fixed point the steps grow to the method's stability limit and the state wavers within
 * the error tolerance, so that {@code |dx/dt|} stays about {@code rtol |x| / h}: a settling tolerance below that is never
 * reached.
 */
final class AdaptiveIntegrator {

    // the Dormand-Prince tableau: a[i][j] for stage i from the stages before; b5 the fifth-order weights, e = b5 - b4
    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    private static final double[] E = {35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695,
        125.0 / 192 - 393.0 / 640, -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40};

    private final Dynamics d;
    private final EnergyGraph graph;
    private final EagerOps o;
    private final Map<String, INDArray> free;
    private long evaluations;

    AdaptiveIntegrator(Dynamics d, EnergyGraph graph, EagerOps o, Map<String, INDArray> free) {
        this.d = d;
        this.graph = graph;
        this.o = o;
        this.free = free;
        if (d.noisy()) {
            throw new HamuxException("the dopri5 update solves the dynamics without noise: set the temperature to 0 or use"
                    + " \"update\": \"euler\"");
        }
        if (!d.schedules().isEmpty()) {
            throw new HamuxException("the dopri5 update takes no schedules (its steps are its own): use \"update\": \"euler\"");
        }
    }

    /** {@code dx/dt = -(1/tau) dE/dg} of every layer, 0 for clamped layers and masked neurons. */
    private Map<String, INDArray> rate(Map<String, INDArray> x) {
        evaluations++;
        Map<String, INDArray> grad = graph.gradient(o, x, graph.activations(o, x));
        Map<String, INDArray> r = new LinkedHashMap<>();
        for (var e : x.entrySet()) {
            String name = e.getKey();
            INDArray v = d.clamped().contains(name) ? e.getValue().mul(0)
                    : grad.get(name).mul(-1.0 / graph.layer(name).tau());
            INDArray f = free.get(name);
            r.put(name, f == null ? v : v.mul(f));
        }
        return r;
    }

    /** {@code x + h sum_j a_j k_j}. */
    private static Map<String, INDArray> combine(Map<String, INDArray> x, double h, double[] a, List<Map<String, INDArray>> k) {
        Map<String, INDArray> y = new LinkedHashMap<>();
        for (String name : x.keySet()) {
            INDArray s = x.get(name).dup();
            for (int j = 0; j < a.length; j++) {
                if (a[j] != 0) {
                    s.addi(k.get(j).get(name).mul(h * a[j]));
                }
            }
            y.put(name, s);
        }
        return y;
    }

    Dynamics.Result run(Map<String, INDArray> x0) {
        double end = d.steps() * d.dt();
        double h = d.dt();
        double t = 0;
        Map<String, INDArray> x = x0;
        Map<String, INDArray> k1 = rate(x);
        List<double[]> trace = new ArrayList<>();
        trace.add(graph.energy(o, x, graph.activations(o, x)).toDoubleVector());
        int accepted = 0;
        boolean settled = false;
        while (t < end && !settled) {
            h = Math.min(h, end - t);
            List<Map<String, INDArray>> k = new ArrayList<>(List.of(k1));
            for (int i = 1; i < 7; i++) {
                k.add(rate(combine(x, h, A[i], k)));
            }
            Map<String, INDArray> next = combine(x, h, A[6], k);               // the fifth-order solution (FSAL: k7 = f(next))
            double err = 0;
            for (String name : x.keySet()) {
                INDArray e = x.get(name).mul(0);                             // the local error: h sum_j (b5 - b4)_j k_j
                for (int j = 0; j < E.length; j++) {
                    if (E[j] != 0) {
                        e.addi(k.get(j).get(name).mul(h * E[j]));
                    }
                }
                INDArray scale = Transforms.max(Transforms.abs(x.get(name)), Transforms.abs(next.get(name)))
                        .muli(d.relativeTolerance()).addi(d.absoluteTolerance());
                err = Math.max(err, Transforms.abs(e).divi(scale).maxNumber().doubleValue());
            }
            if (!Double.isFinite(err)) {
                throw new DivergenceException("the state is no longer finite at time " + t + " (tau): check the parameters");
            }
            if (err <= 1) {
                t += h;
                x = next;
                k1 = k.get(6);
                accepted++;
                trace.add(graph.energy(o, x, graph.activations(o, x)).toDoubleVector());
                double fastest = 0;
                for (INDArray r : k1.values()) {
                    fastest = Math.max(fastest, Transforms.abs(r).maxNumber().doubleValue());
                }
                for (StepListener l : d.listeners()) {
                    l.onStep(accepted, trace.get(trace.size() - 2), x, fastest * h);
                }
                settled = d.tolerance() > 0 && fastest < d.tolerance();
            }
            h *= Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -0.2)));
        }
        Map<String, INDArray> g = graph.activations(o, x);
        Map<String, double[]> parts = new LinkedHashMap<>();
        graph.energies(o, x, g).forEach((name, e) -> parts.put(name, e.toDoubleVector()));
        return new Dynamics.Result(x, g, trace, parts, accepted, settled, 0, t, evaluations);
    }
}
