package org.hamux.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An Associative Memory as a hypergraph: named {@link NeuronLayer}s (nodes) and named
 * {@link Hypersynapse}s (hyperedges), each synapse connected to an ordered list of layers.
 *
 * <p>Total energy {@code E = sum_layers E_layer(x, g) + sum_synapses E_s(g_a, g_b, ...)}, per sample.
 * Its gradient with respect to a layer's activation is {@code dE/dg_l = x_l - b_l + sum_s dE_s/dg_l}
 * (the input current is {@code I_l = -sum_s dE_s/dg_l}). The graph is immutable and checked
 * when built: every name exists and is unique, every synapse's arity and parameter shapes fit its
 * layers.
 */
public final class EnergyGraph {

    private final Map<String, NeuronLayer> layers;
    private final Map<String, Hypersynapse> synapses;
    private final Map<String, List<String>> connections;

    private EnergyGraph(Map<String, NeuronLayer> layers, Map<String, Hypersynapse> synapses,
                        Map<String, List<String>> connections) {
        this.layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        this.synapses = Collections.unmodifiableMap(new LinkedHashMap<>(synapses));
        Map<String, List<String>> c = new LinkedHashMap<>();
        connections.forEach((k, v) -> c.put(k, List.copyOf(v)));
        this.connections = Collections.unmodifiableMap(c);
        validate();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The layers by name, in declaration order. */
    public Map<String, NeuronLayer> layers() {
        return layers;
    }

    /** The synapses by name, in declaration order. */
    public Map<String, Hypersynapse> synapses() {
        return synapses;
    }

    /** For each synapse, the layers it connects, in slot order. */
    public Map<String, List<String>> connections() {
        return connections;
    }

    public NeuronLayer layer(String name) {
        NeuronLayer l = layers.get(name);
        if (l == null) {
            throw new HamuxException("no layer named '" + name + "' (layers: " + layers.keySet() + ")");
        }
        return l;
    }

    /** {@code [batch, ...shape]} of layer {@code name}. */
    public long[] stateShape(String name, long batch) {
        long[] s = layer(name).shape();
        long[] out = new long[s.length + 1];
        out[0] = batch;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }

    /**
     * Checks states given for some layers, each {@code [batch, ...shape]} of its layer with one batch for all, and
     * returns the batch; a {@link HamuxException} names the layer otherwise.
     */
    public long batchOf(Map<String, long[]> shapes) {
        if (shapes.isEmpty()) {
            throw new HamuxException("no initial state: give at least one layer's state (it sets the batch size)");
        }
        long batch = -1;
        String first = null;
        for (var e : shapes.entrySet()) {
            long[] want = layer(e.getKey()).shape();
            long[] got = e.getValue();
            if (got.length != want.length + 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), want)) {
                throw new HamuxException("the state of layer '" + e.getKey() + "' has shape " + Arrays.toString(got)
                        + "; expected [batch, " + Arrays.toString(want).substring(1));
            }
            if (batch >= 0 && got[0] != batch) {
                throw new HamuxException("the state of layer '" + e.getKey() + "' has batch " + got[0]
                        + " but that of layer '" + first + "' has batch " + batch);
            }
            batch = got[0];
            first = e.getKey();
        }
        return batch;
    }

    /** Every layer's state: the {@code given} ones as they are (checked by {@link #batchOf}), zeros of {@code dtype} for the others. */
    public Map<String, INDArray> withZeros(Map<String, INDArray> given, DataType dtype) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        given.forEach((k, v) -> shapes.put(k, v.shape()));
        long batch = batchOf(shapes);
        Map<String, INDArray> x = new LinkedHashMap<>();
        for (String name : layers.keySet()) {
            INDArray s = given.get(name);
            if (s == null) {
                MemoryBudget.check("the state of layer '" + name + "'", dtype, stateShape(name, batch));
            }
            x.put(name, s != null ? s : Nd4j.zeros(dtype, stateShape(name, batch)));
        }
        return x;
    }

    /** {@link #withZeros(Map, DataType)} with any ops: zeros in the data type of the given states. */
    public <T> Map<String, T> withZeros(Ops<T> o, Map<String, T> given) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        given.forEach((k, v) -> shapes.put(k, o.shape(v)));
        long batch = batchOf(shapes);
        T like = given.values().iterator().next();
        Map<String, T> x = new LinkedHashMap<>();
        for (String name : layers.keySet()) {
            T s = given.get(name);
            x.put(name, s != null ? s : o.zeros(like, stateShape(name, batch)));
        }
        return x;
    }

    private void validate() {
        for (String name : synapses.keySet()) {
            if (layers.containsKey(name)) {
                throw new HamuxException("the name '" + name + "' is used by a layer and by a synapse; names must be unique");
            }
        }
        for (var e : synapses.entrySet()) {
            String name = e.getKey();
            Hypersynapse s = e.getValue();
            List<String> conn = connections.get(name);
            if (conn == null || conn.isEmpty()) {
                throw new HamuxException("synapse '" + name + "' is not connected to any layer");
            }
            for (String l : conn) {
                if (!layers.containsKey(l)) {
                    throw new HamuxException("synapse '" + name + "' connects to unknown layer '" + l
                            + "' (layers: " + layers.keySet() + ")");
                }
            }
            List<long[]> shapes = new ArrayList<>();
            conn.forEach(l -> shapes.add(layers.get(l).shape()));
            checkSynapse(name, s, conn, shapes);
        }
        for (String c : connections.keySet()) {
            if (!synapses.containsKey(c)) {
                throw new HamuxException("connection names unknown synapse '" + c + "' (synapses: " + synapses.keySet() + ")");
            }
        }
        for (var e : layers.entrySet()) {
            try {
                e.getValue().lagrangian().check(e.getValue().shape());
            } catch (IllegalArgumentException ex) {
                throw new HamuxException("layer '" + e.getKey() + "': " + e.getValue().lagrangian() + " "
                        + ex.getMessage());
            }
        }
    }

    /**
     * Checks that synapse {@code name} fits the layers it connects (arity, parameter shapes); throws a
     * {@link HamuxException} that names the synapse, its layers and their shapes.
     */
    public static void checkSynapse(String name, Hypersynapse s, List<String> layerNames, List<long[]> shapes) {
        if (s.arity() >= 0 && s.arity() != layerNames.size()) {
            throw new HamuxException("synapse '" + name + "' (" + s.type() + ") connects " + s.arity()
                    + " layer(s), but its connection lists " + layerNames.size() + ": " + layerNames);
        }
        try {
            s.check(shapes);
        } catch (IllegalArgumentException ex) {
            throw new HamuxException("synapse '" + name + "' (" + s.type() + ") does not fit layers " + layerNames
                    + " of shapes " + shapesString(shapes) + ": " + ex.getMessage());
        }
    }

    private static String shapesString(List<long[]> shapes) {
        return shapes.stream().map(Arrays::toString).toList().toString();
    }

    /** {@code g_l = dL_l/dx_l} for every layer. */
    public <T> Map<String, T> activations(Ops<T> o, Map<String, T> x) {
        Map<String, T> g = new LinkedHashMap<>();
        layers.forEach((name, layer) -> g.put(name, layer.activation(o, state(x, name))));
        return g;
    }

    /**
     * The energy of every layer and every synapse, per sample ({@code [B]} each), keyed by name, layers
     * first.
     */
    public <T> Map<String, T> energies(Ops<T> o, Map<String, T> x, Map<String, T> g) {
        Map<String, T> e = new LinkedHashMap<>();
        layers.forEach((name, layer) -> e.put(name, layer.energy(o, state(x, name), state(g, name))));
        synapses.forEach((name, s) -> e.put(name, s.energy(o, inputs(g, name))));
        return e;
    }

    /** The total energy per sample, {@code [B]}. */
    public <T> T energy(Ops<T> o, Map<String, T> x, Map<String, T> g) {
        T total = null;
        for (T e : energies(o, x, g).values()) {
            total = total == null ? e : o.add(total, e);
        }
        return total;
    }

    /** The energy of the synapses that layer {@code layer} feeds, per sample ({@code [B]}); null if it feeds none. */
    public <T> T synapseEnergy(Ops<T> o, Map<String, T> g, String layer) {
        T total = null;
        for (var e : synapses.entrySet()) {
            if (connections.get(e.getKey()).contains(layer)) {
                T es = e.getValue().energy(o, inputs(g, e.getKey()));
                total = total == null ? es : o.add(total, es);
            }
        }
        return total;
    }

    /**
     * How the total energy changes when one neuron of binary layer {@code layer} flips sign, for every neuron at once:
     * {@code dE[b, i] = E(g with g_l[b, i] -> -g_l[b, i]) - E(g)}, shaped like the layer. It is the sum of the changes
     * of the synapses the layer feeds ({@link Hypersynapse#flipChanges}): a binary layer's own energy is 0 at every
     * {@code +-1} state.
     */
    public <T> T flipChanges(Ops<T> o, Map<String, T> g, String layer) {
        T total = o.full(state(g, layer), 0.0);
        for (var e : synapses.entrySet()) {
            List<String> conn = connections.get(e.getKey());
            Set<Integer> slots = new java.util.TreeSet<>();
            for (int k = 0; k < conn.size(); k++) {
                if (conn.get(k).equals(layer)) {
                    slots.add(k);
                }
            }
            if (!slots.isEmpty()) {
                total = o.add(total, e.getValue().flipChanges(o, inputs(g, e.getKey()), slots));
            }
        }
        return total;
    }

    /**
     * {@code dE/dg_l} for every layer: the layer's own {@code x - b} plus every synapse's
     * {@code dE_s/dg_l} (summed over the slots the layer fills). Shaped like {@code g_l}.
     */
    public <T> Map<String, T> gradient(Ops<T> o, Map<String, T> x, Map<String, T> g) {
        Map<String, List<T>> terms = layerTerms(o, x);
        synapses.forEach((name, s) -> addSynapseTerms(terms, connections.get(name), s.gradient(o, inputs(g, name))));
        return sums(o, withZeros(o, terms, g));
    }

    /**
     * The energy of every part ({@link #energies}) and the terms of {@code dE/dg} of every layer ({@link #gradient})
     * in one pass, each synapse evaluated once ({@link Hypersynapse#energyAndGradient}): what a step of the dynamics
     * needs.
     *
     * @param parts the energy of every layer and synapse, per sample, layers first
     * @param terms the terms of {@code dE/dg_l} for every layer (its own, then each slot it fills), at least one
     */
    public record Evaluation<T>(Map<String, T> parts, Map<String, List<T>> terms) {

        /** {@code dE/dg_l} for every layer. */
        public Map<String, T> gradient(Ops<T> o) {
            return sums(o, terms);
        }

        /** {@code dE/dg} of one layer: the sum of its terms. */
        public T gradient(Ops<T> o, String layer) {
            return sum(o, terms.get(layer));
        }
    }

    /** The sum of each layer's terms. */
    private static <T> Map<String, T> sums(Ops<T> o, Map<String, List<T>> terms) {
        Map<String, T> sums = new LinkedHashMap<>();
        terms.forEach((name, t) -> sums.put(name, sum(o, t)));
        return sums;
    }

    private static <T> T sum(Ops<T> o, List<T> terms) {
        return terms.stream().reduce(o::add).orElseThrow();
    }

    /** {@link #energies} and {@link #gradient} at once; see {@link Evaluation}. */
    public <T> Evaluation<T> evaluate(Ops<T> o, Map<String, T> x, Map<String, T> g) {
        Map<String, T> parts = new LinkedHashMap<>();
        layers.forEach((name, layer) -> parts.put(name, layer.energy(o, state(x, name), state(g, name))));
        Map<String, List<T>> terms = layerTerms(o, x);
        synapses.forEach((name, s) -> {
            Hypersynapse.EnergyAndGradient<T> eg = s.energyAndGradient(o, inputs(g, name));
            parts.put(name, eg.energy());
            addSynapseTerms(terms, connections.get(name), eg.gradient());
        });
        return new Evaluation<>(parts, withZeros(o, terms, g));
    }

    /** Each layer's own term of {@code dE/dg}, {@code x - b}, where it has one. */
    private <T> Map<String, List<T>> layerTerms(Ops<T> o, Map<String, T> x) {
        Map<String, List<T>> terms = new LinkedHashMap<>();
        layers.forEach((name, layer) -> {
            T d = layer.gradient(o, state(x, name));
            if (d != null) {
                terms.computeIfAbsent(name, n -> new ArrayList<>()).add(d);
            }
        });
        return terms;
    }

    /** Adds {@code dE_s/dg} of each slot to the terms of the layer that fills it. */
    private static <T> void addSynapseTerms(Map<String, List<T>> terms, List<String> conn, List<T> ds) {
        for (int i = 0; i < conn.size(); i++) {
            terms.computeIfAbsent(conn.get(i), n -> new ArrayList<>()).add(ds.get(i));
        }
    }

    /** {@code terms} with a zero term for every layer that has none, in the order of the layers. */
    private <T> Map<String, List<T>> withZeros(Ops<T> o, Map<String, List<T>> terms, Map<String, T> g) {
        Map<String, List<T>> all = new LinkedHashMap<>();
        for (String name : layers.keySet()) {
            List<T> t = terms.get(name);
            all.put(name, t != null ? t : List.of(o.mul(state(g, name), 0.0)));   // the zero only where needed
        }
        return all;
    }

    /** The matrix-product work of one evaluation of the synapses at {@code batch} samples (see {@link Hypersynapse#gemmFlops}). */
    public double gemmFlops(long batch) {
        double f = 0;
        for (var e : synapses.entrySet()) {
            f += e.getValue().gemmFlops(connections.get(e.getKey()).stream().map(l -> layers.get(l).shape()).toList(), batch);
        }
        return f;
    }

    private <T> List<T> inputs(Map<String, T> g, String synapse) {
        List<T> in = new ArrayList<>();
        for (String l : connections.get(synapse)) {
            in.add(state(g, l));
        }
        return in;
    }

    private static <T> T state(Map<String, T> m, String name) {
        T v = m.get(name);
        if (v == null) {
            throw new HamuxException("no state given for layer '" + name + "'");
        }
        return v;
    }

    /**
     * Every parameter of the graph under a flat name: {@code layer.bias}, {@code layer.<lagrangian
     * parameter>} and {@code synapse.<parameter>}.
     */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        layers.forEach((name, l) -> {
            l.parameters().forEach((k, v) -> p.put(name + "." + k, v));
            l.lagrangian().parameters().forEach((k, v) -> p.put(name + "." + k, v));
        });
        synapses.forEach((name, s) -> s.parameters().forEach((k, v) -> p.put(name + "." + k, v)));
        return p;
    }

    /** The number of parameter elements. */
    public long parameterCount() {
        return parameters().values().stream().mapToLong(INDArray::length).sum();
    }

    /**
     * A copy with some parameters replaced, by the flat names of {@link #parameters()}; each value must
     * have the shape of the parameter it replaces.
     */
    public EnergyGraph withParameters(Map<String, INDArray> values) {
        Map<String, INDArray> rest = new LinkedHashMap<>(values);
        Map<String, NeuronLayer> ls = new LinkedHashMap<>();
        layers.forEach((name, l) -> {
            NeuronLayer nl = l.withParameters(take(rest, name, l));
            ls.put(name, nl.withLagrangian(l.lagrangian().withParameters(take(rest, name, l.lagrangian()))));
        });
        Map<String, Hypersynapse> ss = new LinkedHashMap<>();
        synapses.forEach((name, s) -> ss.put(name, s.withParameters(take(rest, name, s))));
        if (!rest.isEmpty()) {
            throw new HamuxException("unknown parameter(s) " + rest.keySet() + "; the graph has " + parameters().keySet());
        }
        return new EnergyGraph(ls, ss, connections);
    }

    private static Map<String, INDArray> take(Map<String, INDArray> rest, String owner, Component c) {
        Map<String, INDArray> mine = new LinkedHashMap<>();
        for (String k : c.parameters().keySet()) {
            INDArray v = rest.remove(owner + "." + k);
            if (v != null) {
                mine.put(k, v);
            }
        }
        return mine;
    }

    /** A copy with every parameter in data type {@code dtype}. */
    public EnergyGraph castTo(DataType dtype) {
        Map<String, NeuronLayer> ls = new LinkedHashMap<>();
        layers.forEach((k, v) -> ls.put(k, v.castTo(dtype)));
        Map<String, Hypersynapse> ss = new LinkedHashMap<>();
        synapses.forEach((k, v) -> ss.put(k, v.castTo(dtype)));
        return new EnergyGraph(ls, ss, connections);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnergyGraph g && layers.equals(g.layers) && synapses.equals(g.synapses)
                && connections.equals(g.connections);
    }

    @Override
    public int hashCode() {
        return layers.hashCode() * 31 + synapses.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("EnergyGraph\n");
        layers.forEach((k, v) -> b.append("  layer   ").append(k).append(": ").append(v).append('\n'));
        synapses.forEach((k, v) -> b.append("  synapse ").append(k).append(connections.get(k)).append(": ")
                .append(v).append('\n'));
        return b.toString();
    }

    /** The longest name of a layer or synapse. */
    public static final int MAX_NAME = 64;

    /** What a layer or synapse name may hold: it names files ({@code LAYER.npy}) and parameters ({@code name.W}). */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[\\p{L}\\p{N}_-]{1," + MAX_NAME + "}");

    /** Builds an {@link EnergyGraph}; {@link #build()} checks it. */
    public static final class Builder {
        private final Map<String, NeuronLayer> layers = new LinkedHashMap<>();
        private final Map<String, Hypersynapse> synapses = new LinkedHashMap<>();
        private final Map<String, List<String>> connections = new LinkedHashMap<>();
        private DataType dtype = DataType.FLOAT;

        private Builder() {
        }

        /** The data type every parameter is cast to when the graph is built (default float32). */
        public Builder dtype(DataType dtype) {
            if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
                throw new HamuxException("dtype must be FLOAT or DOUBLE, got " + dtype);
            }
            this.dtype = dtype;
            return this;
        }

        /** Adds layer {@code name}. */
        public Builder layer(String name, NeuronLayer layer) {
            checkName(name);
            if (layers.putIfAbsent(name, layer) != null) {
                throw new HamuxException("duplicate layer name '" + name + "'");
            }
            return this;
        }

        /** Adds layer {@code name} of per-sample {@code shape} with tau 1, its energy on and no bias. */
        public Builder layer(String name, Lagrangian lagrangian, long... shape) {
            return layer(name, new NeuronLayer(shape, lagrangian));
        }

        /** Adds synapse {@code name} connecting {@code layers}, in slot order (a layer may repeat). */
        public Builder synapse(String name, Hypersynapse synapse, String... layerNames) {
            checkName(name);
            if (synapses.putIfAbsent(name, synapse) != null) {
                throw new HamuxException("duplicate synapse name '" + name + "'");
            }
            connections.put(name, List.of(layerNames));
            return this;
        }

        private static void checkName(String name) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new HamuxException("invalid name '" + HamuxException.shorten(String.valueOf(name), 60)
                        + "': a name is 1 to " + MAX_NAME + " letters, digits, '_' and '-' (it names files and the "
                        + "parameters, as in 'name.W')");
            }
        }

        /** The checked graph, every parameter in the builder's data type. */
        public EnergyGraph build() {
            return new EnergyGraph(layers, synapses, connections).castTo(dtype);
        }
    }
}
