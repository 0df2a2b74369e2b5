package org.hamux.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.autodiff.Autodiff;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.GraphOps.Sym;
import org.hamux.core.ops.Ops;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A user-written synapse that states only its energy, as SameDiff ops; its gradient comes from
 * SameDiff autodiff. It runs in the dynamics like any synapse, but it cannot be trained through
 * (ND4J has no second-order autodiff), and each evaluation costs a SameDiff call (about 1 ms).
 *
 * <pre>{@code
 * class Quartic extends SameDiffSynapse {
 *     public String type() { return "quartic"; }
 *     public int arity() { return 1; }
 *     public void check(List<long[]> shapes) { }
 *     protected SDVariable energy(SameDiff sd, List<SDVariable> g, Map<String, SDVariable> p) {
 *         return sd.sum(sd.math().pow(g.get(0), 4), 1).mul(-0.25);   // E = -1/4 sum g^4, per sample
 *     }
 * }
 * }</pre>
 */
public abstract class SameDiffSynapse extends Hypersynapse {

    private final Map<String, Autodiff> compiled = new HashMap<>();

    /**
     * The energy per sample ({@code [B]}) of the activations {@code g} (one per connected slot,
     * {@code [B, ...shape]}); {@code params} holds this synapse's parameters by name.
     */
    protected abstract SDVariable energy(SameDiff sd, List<SDVariable> g, Map<String, SDVariable> params);

    @Override
    public final boolean hasClosedFormGradient() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <T> T energy(Ops<T> o, List<T> g) {
        if (o instanceof GraphOps go) {
            return (T) symbolic(go, (List<Sym>) g);
        }
        return (T) evaluate((List<INDArray>) g).value();
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <T> List<T> gradient(Ops<T> o, List<T> g) {
        if (o instanceof GraphOps) {
            throw new HamuxException(this + " states only its energy: it cannot be trained through the dynamics "
                    + "(ND4J has no second-order autodiff); write its gradient with Ops to train it");
        }
        return (List<T>) evaluate((List<INDArray>) g).gradients();
    }

    private Sym symbolic(GraphOps go, List<Sym> g) {
        Map<String, SDVariable> p = new LinkedHashMap<>();
        parameters().keySet().forEach(k -> p.put(k, go.param(this, k).v()));
        List<SDVariable> in = new ArrayList<>();
        g.forEach(s -> in.add(s.v()));
        return go.of(energy(go.sameDiff(), in, p), g.get(0).shape()[0]);
    }

    private Autodiff.Result evaluate(List<INDArray> g) {
        // clones share this cache but not their parameters (baked in as constants): key by instance
        StringBuilder key = new StringBuilder(System.identityHashCode(this) + g.get(0).dataType().toString());
        g.forEach(a -> key.append(java.util.Arrays.toString(a.shape())));
        // SameDiff keeps its arrays across calls: build and run it outside the dynamics' step workspace
        try (var ws = org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Autodiff ad;
            synchronized (compiled) {
                ad = compiled.computeIfAbsent(key.toString(), k -> new Autodiff(
                        in -> symbolic(new GraphOps(in.get(0).v().getSameDiff(), g.get(0).dataType()), in),
                        g.stream().map(INDArray::shape).toList(), g.get(0).dataType()));
            }
            return ad.evaluate(g);
        }
    }
}
