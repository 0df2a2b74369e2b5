package org.hamux.train;

import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.ops.EagerOps;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inference side of training: the same {@code T} steps run by {@link Dynamics} on INDArrays (no
 * SameDiff), and the same {@link Loss} formula over {@link EagerOps}. Training and evaluation share every
 * component's math; the tests hold the unrolled gradient against finite differences of this path.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /** The dynamics training unrolls (without noise: evaluation is deterministic). */
    public static Dynamics dynamics(Training t) {
        return t.dynamics().toBuilder().noise(0, 0).build();
    }

    /**
     * The final activation (or state, as the loss reads it) of the loss layer after the dynamics from
     * {@code inputs} (initial states by layer; other layers start at zero).
     */
    public static INDArray output(EnergyGraph graph, Training t, Map<String, INDArray> inputs) {
        Dynamics.Result r = dynamics(t).run(graph, inputs);
        String layer = t.loss().layer();
        return t.loss().of() == Loss.Of.STATE ? r.states().get(layer) : r.activations().get(layer);
    }

    /** The loss of every sample ({@code [B]}) of an output against its target. */
    public static INDArray perSample(Loss loss, INDArray output, INDArray target) {
        return loss.perSample(EagerOps.INSTANCE, output, target.castTo(output.dataType()));
    }

    /** The mean loss over the batch, on the inference path. */
    public static double loss(EnergyGraph graph, Training t, Map<String, INDArray> inputs, INDArray target) {
        INDArray out = output(graph, t, inputs);
        return perSample(t.loss(), out, target).meanNumber().doubleValue();
    }

    /** How many rows of {@code output} ({@code [B, ...]}) have their largest element at {@code labels[b]}. */
    public static int correct(INDArray output, long[] labels) {
        INDArray flat = output.reshape('c', output.size(0), output.length() / output.size(0));
        long[] pred = flat.argMax(1).toLongVector();
        int n = 0;
        for (int i = 0; i < pred.length; i++) {
            n += pred[i] == labels[i] ? 1 : 0;
        }
        return n;
    }
}
