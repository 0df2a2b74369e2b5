package org.hamux.core.training;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.GraphOps.Sym;
import org.hamux.core.ops.Shapes;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dynamics of a graph unrolled for {@code T} Euler steps into one SameDiff graph, for a fixed batch
 * size, ending in a loss; SameDiff's first-order backpropagation then gives the gradient of the loss with
 * respect to the trainable parameters.
 *
 * <p>Each step is the closed-form gradient of the components, recorded through {@link GraphOps} (the same
 * generic code the eager dynamics runs):
 * <pre>  g = dL/dx;  x_l &lt;- x_l - (dt / tau_l) dE/dg_l  (free layers; masked neurons and clamped layers stay)</pre>
 * then {@code loss = mean_b loss(g_T or x_T of the loss layer, target)}. The trainable parameters are
 * SameDiff variables (updated in place by the optimizer); the frozen ones are constants; the inputs and
 * the target are placeholders.
 */
public final class Unrolled {

    private static final String TARGET = "target";
    private static final Object STDOUT_LOCK = new Object();

    private final SameDiff sd;
    private final long batch;
    private final DataType dtype;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private final String lossName;
    private final String outputName;

    /**
     * @param graph the graph (its parameters are the starting values of the trainable ones)
     * @param t     the training settings (trainable parameters, inputs, clamping, steps, dt, loss)
     * @param batch the batch size
     */
    public Unrolled(EnergyGraph graph, Training t, long batch) {
        checkTrainable(graph, t.train());
        this.batch = batch;
        this.dtype = graph.parameters().values().stream().map(INDArray::dataType).findFirst().orElse(DataType.FLOAT);
        sd = SameDiff.create();
        GraphOps o = new GraphOps(sd, dtype);
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        int i = 0;
        for (String name : t.train()) {
            ParameterRef r = refs.get(name);
            INDArray value = r.owner().parameter(r.name()).castTo(dtype).dup();
            SDVariable v = sd.var("param_" + i++, value);
            variables.put(name, v.name());
            o.bind(r.owner(), r.name(), o.of(v, value.shape()));
        }
        Map<String, Sym> x = new LinkedHashMap<>();
        int k = 0;
        for (String layer : graph.layers().keySet()) {
            long[] shape = graph.stateShape(layer, batch);
            if (t.inputs().containsKey(layer)) {
                Sym p = o.placeholder("input_" + k++, shape);
                inputs.put(layer, p.v().name());
                x.put(layer, p);
            } else {
                x.put(layer, o.full(o.of(null, shape), 0.0));
            }
        }
        Map<String, Sym> free = new LinkedHashMap<>();
        t.masks().forEach((layer, m) -> free.put(layer, Masks.constant(o, m.castTo(dtype).rsub(1.0), x.get(layer))));
        for (int step = 0; step < t.steps(); step++) {
            Map<String, Sym> g = graph.activations(o, x);
            Map<String, Sym> grad = graph.gradient(o, x, g);
            Map<String, Sym> next = new LinkedHashMap<>();
            for (var e : x.entrySet()) {
                String layer = e.getKey();
                if (t.clamp().contains(layer)) {
                    next.put(layer, e.getValue());
                    continue;
                }
                Sym delta = o.mul(grad.get(layer), -t.dt() / graph.layer(layer).tau());
                if (free.containsKey(layer)) {
                    delta = o.mul(delta, free.get(layer));
                }
                next.put(layer, o.add(e.getValue(), delta));
            }
            x.clear();
            x.putAll(next);
        }
        Loss loss = t.loss();
        Sym out = loss.of() == Loss.Of.STATE ? x.get(loss.layer())
                : graph.layer(loss.layer()).activation(o, x.get(loss.layer()));
        Sym target = o.placeholder(TARGET, graph.stateShape(loss.layer(), batch));
        Sym perSample = loss.perSample(o, out, target);
        SDVariable total = sd.sum("loss", perSample.v()).mul(1.0 / batch);
        lossName = total.name();
        outputName = sd.identity("output", out.v()).name();
        sd.setLossVariables(lossName);
    }

    /**
     * Fails with a clear message when a parameter is unknown, or when the graph holds a component whose
     * gradient cannot be recorded (an energy-only synapse): training unrolls the closed-form gradient.
     */
    public static void checkTrainable(EnergyGraph graph, List<String> train) {
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        for (String name : train) {
            if (!refs.containsKey(name)) {
                throw new HamuxException("unknown parameter '" + name + "' to train (the graph has " + refs.keySet() + ")");
            }
            if (refs.get(name).owner() instanceof Hypersynapse s && !s.hasClosedFormGradient()) {
                throw new HamuxException(energyOnly(refs.get(name).part(), s));
            }
        }
        graph.synapses().forEach((name, s) -> {
            if (!s.hasClosedFormGradient()) {
                throw new HamuxException(energyOnly(name, s));
            }
        });
    }

    private static String energyOnly(String name, Hypersynapse s) {
        return "synapse '" + name + "' (" + s.type() + ") states only its energy, so the dynamics cannot be trained"
                + " through it (ND4J 1.0.0-M2.1 has no second-order autodiff): give it a closed-form gradient"
                + " written with Ops, or leave it out of the graph for training";
    }

    /** The batch size this graph was built for. */
    public long batch() {
        return batch;
    }

    /** The current value of every trainable parameter, by flat name (the live arrays: updated in place). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        variables.forEach((flat, v) -> out.put(flat, sd.getVariable(v).getArr()));
        return out;
    }

    /** Sets the trainable parameters given in {@code values} (copied in). */
    public void setParameters(Map<String, INDArray> values) {
        values.forEach((flat, a) -> {
            String v = variables.get(flat);
            if (v == null) {
                throw new HamuxException("'" + flat + "' is not a trained parameter (trained: " + variables.keySet() + ")");
            }
            INDArray live = sd.getVariable(v).getArr();
            if (!Arrays.equals(live.shape(), a.shape())) {
                throw new HamuxException("parameter '" + flat + "' has shape " + Shapes.str(live.shape()) + ", not "
                        + Shapes.str(a.shape()));
            }
            live.assign(a.castTo(live.dataType()));
        });
    }

    /**
     * The loss of a batch, the final output of the loss layer, and the gradient of the loss with respect
     * to every trainable parameter (by flat name; copies).
     *
     * @param inputs the initial state of every input layer, {@code [batch, ...shape]}
     * @param target the target, {@code [batch, ...shape of the loss layer]}
     */
    public Step run(Map<String, INDArray> inputs, INDArray target) {
        Map<String, INDArray> ph = new LinkedHashMap<>();
        this.inputs.forEach((layer, name) -> {
            INDArray a = inputs.get(layer);
            if (a == null) {
                throw new HamuxException("no input given for layer '" + layer + "'");
            }
            ph.put(name, a.castTo(dtype));
        });
        ph.put(TARGET, target.castTo(dtype));
        OutAndGrad r;
        synchronized (STDOUT_LOCK) { // createGradFunction prints to stdout
            PrintStream saved = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                r = sd.calculateGradientsAndOutputs(ph, List.of(lossName, outputName), new ArrayList<>(variables.values()));
            } finally {
                System.setOut(saved);
            }
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        variables.forEach((flat, v) -> grads.put(flat, r.getGradients().get(v).dup()));
        return new Step(r.getOutputs().get(lossName).getDouble(0), r.getOutputs().get(outputName).dup(), grads);
    }

    /** The outcome of one batch. */
    public record Step(double loss, INDArray output, Map<String, INDArray> gradients) {
    }
}
