package org.hamux.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.EnergyGraph;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.GraphOps.Sym;
import org.hamux.core.ops.SameDiffGradients;
import org.hamux.train.Loss;
import org.hamux.train.ParameterRef;
import org.hamux.train.Training;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference the engine is held to: the same training step recorded by the second interpreter of the component
 * code, SameDiff ({@link GraphOps}): {@code Dynamics.unroll} of the closed-form steps, the loss, and SameDiff's
 * first-order backpropagation to the trained parameters (no noise; closed-form gradients only).
 */
final class SameDiffUnrolled {

    private SameDiffUnrolled() {
    }

    /** The loss and the gradient of every trained parameter, by flat name. */
    record Result(double loss, Map<String, INDArray> gradients) {
    }

    static Result run(EnergyGraph graph, Training t, Map<String, INDArray> inputs, INDArray target) {
        SameDiff sd = SameDiff.create();
        GraphOps o = new GraphOps(sd, DataType.DOUBLE);
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        Map<String, String> vars = new LinkedHashMap<>();
        int i = 0;
        for (String name : t.train()) {
            ParameterRef r = refs.get(name);
            INDArray value = r.owner().parameter(r.name()).castTo(DataType.DOUBLE).dup();
            SDVariable v = sd.var("param_" + i++, value);
            vars.put(name, v.name());
            o.bind(r.owner(), r.name(), o.of(v, value.shape()));
        }
        Map<String, Sym> x0 = new LinkedHashMap<>();
        inputs.forEach((layer, a) -> x0.put(layer, o.of(sd.constant(a.castTo(DataType.DOUBLE)), a.shape())));
        Map<String, Sym> x = t.dynamics().unroll(o, graph, x0, null);
        Loss l = t.loss();
        Sym out = l.of() == Loss.Of.STATE ? x.get(l.layer()) : graph.layer(l.layer()).activation(o, x.get(l.layer()));
        Sym y = o.of(sd.constant(target.castTo(DataType.DOUBLE)), target.shape());
        long batch = target.size(0);
        SDVariable loss = sd.sum("loss", l.perSample(o, out, y).v()).mul(1.0 / batch);
        sd.setLossVariables(loss.name());
        // createGradFunction prints: silenced by the library's one helper
        Map<String, INDArray> g = SameDiffGradients.quietly(() -> sd.calculateGradients(Map.of(), new ArrayList<>(vars.values())));
        double value = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        vars.forEach((flat, v) -> grads.put(flat, g.get(v).dup()));
        return new Result(value, grads);
    }

    /** The names of a result's gradients, in order. */
    static List<String> names(Result r) {
        return new ArrayList<>(r.gradients().keySet());
    }
}
