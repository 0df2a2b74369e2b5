package org.hamux.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.Rng;
import org.hamux.core.autodiff.Plan;
import org.hamux.core.autodiff.Tape;
import org.hamux.core.autodiff.Var;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dynamics of a graph unrolled for {@code T} Euler steps on a {@link Tape}, for a fixed batch size, ending in a
 * loss, with the gradient of the loss with respect to the trainable parameters recorded on the same tape:
 * <pre>  g = dL/dx;  x_l &lt;- x_l + dx_l  (Dynamics.change: -(dt/tau) dE/dg, noise, masks; clamped layers stay)
 *   loss = mean_b loss(g_T or x_T of the loss layer, target);   d loss / d theta by reverse mode</pre>
 * Each step is the components' own closed-form {@code dE/dg} (or the engine's gradient of an energy-only synapse), the
 * same generic code the eager dynamics runs. The whole computation is recorded once and run for every batch by one
 * {@link Plan}: only the ops the loss and the gradients need, on the arrays of the batch before.
 */
public final class Unrolled {

    private final long batch;
    private final DataType dtype;
    private final Dynamics dynamics;
    private final Map<String, Var> parameters = new LinkedHashMap<>();
    private final Map<String, Var> inputs = new LinkedHashMap<>();
    private final List<Var[]> noise = new ArrayList<>();
    private final Var target;
    private final Var loss;
    private final Var output;
    private final List<Var> gradients;
    private final Plan plan;

    /**
     * @param graph the graph (its parameters are the starting values of the trainable ones)
     * @param t     the training settings (trainable parameters, inputs, dynamics, loss)
     * @param batch the batch size
     */
    public Unrolled(EnergyGraph graph, Training t, long batch) {
        checkTrainable(graph, t.train());
        this.batch = batch;
        this.dtype = Trainer.dtype(graph);
        this.dynamics = t.dynamics();
        Tape tape = new Tape(dtype);
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        for (String name : t.train()) {
            ParameterRef r = refs.get(name);
            Var p = tape.input(name, r.owner().parameter(r.name()).castTo(dtype).dup());
            tape.bind(r.owner(), r.name(), p);
            parameters.put(name, p);
        }
        Map<String, Var> x0 = new LinkedHashMap<>();
        for (String layer : t.inputs().keySet()) {
            Var in = tape.input("input " + layer, graph.stateShape(layer, batch));
            inputs.put(layer, in);
            x0.put(layer, in);
        }
        if (x0.isEmpty()) {
            String first = graph.layers().keySet().iterator().next();
            x0.put(first, tape.zeros(graph.stateShape(first, batch)));
        }
        Map<String, Var> x = dynamics.unroll(tape, graph, x0, (step, layer) -> {
            while (noise.size() <= step) {
                noise.add(new Var[graph.layers().size()]);
            }
            int k = new ArrayList<>(graph.layers().keySet()).indexOf(layer);
            Var[] n = noise.get(step);
            if (n[k] == null) {
                n[k] = tape.input("noise " + step + " " + layer, graph.stateShape(layer, batch));
            }
            return n[k];
        });
        Loss l = t.loss();
        output = l.of() == Loss.Of.STATE ? x.get(l.layer()) : graph.layer(l.layer()).activation(tape, x.get(l.layer()));
        target = tape.input("target", graph.stateShape(l.layer(), batch));
        loss = tape.mul(tape.sum(l.perSample(tape, output, target), false, 0), 1.0 / batch);
        gradients = tape.gradients(loss, new ArrayList<>(parameters.values()));
        List<Var> outs = new ArrayList<>(List.of(loss, output));
        outs.addAll(gradients);
        plan = tape.plan(outs);
    }

    /**
     * Fails with a clear message when a parameter to train is unknown. (Every synapse can be trained through: one that
     * states only its energy gets {@code dE/dg} from the engine, and that gradient is differentiated again.)
     */
    public static void checkTrainable(EnergyGraph graph, List<String> train) {
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        for (String name : train) {
            if (!refs.containsKey(name)) {
                throw new HamuxException("unknown parameter '" + name + "' to train (the graph has " + refs.keySet() + ")");
            }
        }
    }

    /** The batch size this graph was built for. */
    public long batch() {
        return batch;
    }

    /** The number of ops a batch runs (forward and backward). */
    public int ops() {
        return plan.size();
    }

    /** The plan a batch runs: its ops one per line (see {@link Plan#describe}). */
    public String describe() {
        return plan.describe();
    }

    /** The plan a batch runs. */
    public Plan plan() {
        return plan;
    }

    /** The bytes of the arrays a batch computes, kept from batch to batch. */
    public long workingBytes() {
        return plan.workingBytes();
    }

    /** The current value of every trainable parameter, by flat name (the live arrays: update them in place). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        parameters.forEach((flat, v) -> out.put(flat, v.value()));
        return out;
    }

    /** Sets the trainable parameters given in {@code values} (copied in). */
    public void setParameters(Map<String, INDArray> values) {
        values.forEach((flat, a) -> {
            Var v = parameters.get(flat);
            if (v == null) {
                throw new HamuxException("'" + flat + "' is not a trained parameter (trained: " + parameters.keySet() + ")");
            }
            INDArray live = v.value();
            if (!Arrays.equals(live.shape(), a.shape())) {
                throw new HamuxException("parameter '" + flat + "' has shape " + Shapes.str(live.shape()) + ", not "
                        + Shapes.str(a.shape()));
            }
            live.assign(a.castTo(live.dataType()));
        });
    }

    /**
     * The loss of a batch, the final output of the loss layer, and the gradient of the loss with respect to every
     * trainable parameter (by flat name). The output and the gradients are the arrays of this run: the next run writes
     * them again.
     *
     * @param inputs the initial state of every input layer, {@code [batch, ...shape]}
     * @param target the target, {@code [batch, ...shape of the loss layer]}
     * @param rng    the generator of this batch's Langevin noise (only read at a positive temperature), or null for
     *               one seeded with the dynamics' seed
     */
    public Step run(Map<String, INDArray> inputs, INDArray target, Rng rng) {
        this.inputs.forEach((layer, v) -> {
            INDArray a = inputs.get(layer);
            if (a == null) {
                throw new HamuxException("no input given for layer '" + layer + "'");
            }
            v.set(a);
        });
        this.target.set(target);
        if (!noise.isEmpty()) {
            Rng source = rng != null ? rng : new Rng(dynamics.noiseSeed());
            for (Var[] step : this.noise) {
                for (Var n : step) {
                    if (n != null) {
                        INDArray a = org.nd4j.linalg.factory.Nd4j.createUninitialized(dtype, n.shape());
                        source.fillNormal(a, 1.0);
                        n.set(a);
                    }
                }
            }
        }
        plan.run();
        Map<String, INDArray> grads = new LinkedHashMap<>();
        int i = 0;
        for (String name : parameters.keySet()) {
            grads.put(name, gradients.get(i++).value());
        }
        return new Step(loss.value().getDouble(0), output.value(), grads);
    }

    /** {@link #run(Map, INDArray, Rng)} with the noise (if any) seeded with the dynamics' seed. */
    public Step run(Map<String, INDArray> inputs, INDArray target) {
        return run(inputs, target, null);
    }

    /** The outcome of one batch. */
    public record Step(double loss, INDArray output, Map<String, INDArray> gradients) {
    }
}
