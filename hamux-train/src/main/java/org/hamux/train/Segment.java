package org.hamux.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.autodiff.Plan;
import org.hamux.core.autodiff.Tape;
import org.hamux.core.autodiff.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Some consecutive steps of the unrolled dynamics recorded on a tape of their own, with their backward pass: the first
 * segment starts from the inputs (the other layers at zero), a later one from given states; the last one ends in the
 * loss. The backward plan gives the gradient of the loss (last segment) or of {@code <ct, x_end>} for a given cotangent
 * {@code ct} of the end states (the others) with respect to the trained parameters and, but for the first segment, the
 * start states. A segment that is not the last also has a forward plan, its end states alone.
 */
final class Segment {

    final Tape tape;
    final boolean first;
    final boolean last;
    final Map<String, Var> parameters = new LinkedHashMap<>();
    final Map<String, Var> inputs = new LinkedHashMap<>();
    final Map<String, Var> start = new LinkedHashMap<>();
    final Map<String, Var> end;
    final Map<String, Var> endCotangent = new LinkedHashMap<>();
    /** The noise leaves of each step of the segment, by layer index (null where a layer has none). */
    final List<Var[]> noise = new ArrayList<>();
    final Var target;
    final Var loss;
    final Var output;
    final List<Var> parameterGradients;
    final List<Var> startGradients;
    final Plan forward;
    final Plan backward;

    /**
     * @param live  the trained parameters' arrays by flat name (every segment reads the same arrays)
     * @param steps the number of steps of this segment
     */
    Segment(EnergyGraph graph, Training t, long batch, DataType dtype, Map<String, INDArray> live, int steps, boolean first,
            boolean last) {
        this.first = first;
        this.last = last;
        this.tape = new Tape(dtype);
        Map<String, ParameterRef> refs = ParameterRef.of(graph);
        live.forEach((name, a) -> {
            ParameterRef r = refs.get(name);
            Var p = tape.input(name, a);
            tape.bind(r.owner(), r.name(), p);
            parameters.put(name, p);
        });
        Map<String, Var> x0 = new LinkedHashMap<>();
        if (first) {
            for (String layer : t.inputs().keySet()) {
                Var in = tape.input("input " + layer, graph.stateShape(layer, batch));
                inputs.put(layer, in);
                x0.put(layer, in);
            }
            if (x0.isEmpty()) {
                String l0 = graph.layers().keySet().iterator().next();
                x0.put(l0, tape.zeros(graph.stateShape(l0, batch)));
            }
        } else {
            for (String layer : graph.layers().keySet()) {
                Var s = tape.input("state " + layer, graph.stateShape(layer, batch));
                start.put(layer, s);
                x0.put(layer, s);
            }
        }
        List<String> layers = new ArrayList<>(graph.layers().keySet());
        Dynamics d = t.dynamics().toBuilder().steps(steps).build();
        end = d.unroll(tape, graph, x0, (step, layer) -> {
            while (noise.size() <= step) {
                noise.add(new Var[layers.size()]);
            }
            Var[] n = noise.get(step);
            int k = layers.indexOf(layer);
            if (n[k] == null) {
                n[k] = tape.input("noise " + step + " " + layer, graph.stateShape(layer, batch));
            }
            return n[k];
        });
        List<Var> wrt = new ArrayList<>(parameters.values());
        wrt.addAll(start.values());
        Var objective;
        if (last) {
            Loss l = t.loss();
            output = l.of() == Loss.Of.STATE ? end.get(l.layer()) : graph.layer(l.layer()).activation(tape, end.get(l.layer()));
            target = tape.input("target", graph.stateShape(l.layer(), batch));
            loss = tape.mul(tape.sum(l.perSample(tape, output, target), false, 0), 1.0 / batch);
            objective = loss;
        } else {
            output = null;
            target = null;
            loss = null;
            objective = null;
            for (var e : end.entrySet()) {
                Var ct = tape.input("cotangent " + e.getKey(), graph.stateShape(e.getKey(), batch));
                endCotangent.put(e.getKey(), ct);
                Var term = tape.sum(tape.mul(e.getValue(), ct), false, axes(e.getValue().rank()));
                objective = objective == null ? term : tape.add(objective, term);
            }
        }
        List<Var> grads = tape.gradients(objective, wrt);
        parameterGradients = grads.subList(0, parameters.size());
        startGradients = grads.subList(parameters.size(), grads.size());
        List<Var> outs = new ArrayList<>(grads);
        if (last) {
            outs.add(0, loss);
            outs.add(1, output);
        }
        backward = tape.plan(outs);
        forward = last ? null : tape.plan(new ArrayList<>(end.values()));
    }

    private static int[] axes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Gives the noise leaves of this segment the arrays of its steps, {@code from} the first, by layer index. */
    void setNoise(List<INDArray[]> all, int from) {
        for (int s = 0; s < noise.size(); s++) {
            Var[] n = noise.get(s);
            for (int k = 0; k < n.length; k++) {
                if (n[k] != null) {
                    n[k].set(all.get(from + s)[k]);
                }
            }
        }
    }

    /** Gives the start leaves (a later segment) the states {@code x}. */
    void setStart(Map<String, INDArray> x) {
        start.forEach((layer, v) -> v.set(x.get(layer)));
    }
}
