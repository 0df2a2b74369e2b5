package org.hamux.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hamux.core.Dynamics;
import org.hamux.core.StepSchedule;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.MemoryBudget;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Rng;
import org.hamux.core.io.InputFiles;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a JSON spec into a {@link Spec}. Every error is a {@link SpecException} that names the file, the
 * line and the JSON path. The format (version {@value #VERSION}):
 *
 * <pre>{@code
 * {
 *   "hamux": 1, "name": "...", "dtype": "float32",
 *   "layers":   {"v": {"shape": [784], "lagrangian": {"type": "identity"}, "tau": 1.0, "energy": true, "bias": ARRAY}},
 *   "synapses": {"mem": {"type": "lse-memory", "beta": 0.05, "params": {"xi": ARRAY}}},
 *   "connections": [{"synapse": "mem", "layers": ["v"]}],
 *   "dynamics": {"dt": 0.1, "steps": 100, "tolerance": 0, "clamp": ["img"], "masks": {"v": ARRAY},
 *                "noise": {"temperature": 0, "seed": 0}, "update": "euler" | "async" | "sync" | "dopri5", "seed": 0, "rtol": 1e-6, "atol": 1e-9,
 *                "schedules": {"memory.beta": {"from": 0.1, "to": 10, "shape": "geometric"}, "dt": {"values": [...]}}},
 *   "initial":  {"batch": 16, "states": {"v": ARRAY}, "corrupt": {"v": {"noise": 0.3, "seed": 1, "free": 0.0}}},
 *   "retrieval": {"layer": "v", "memories": ARRAY, "targets": ARRAY, "image": [28, 28], "png": "grid.png",
 *                 "labels": ["query", "retrieved", "stored"]},
 *   "training": {...}    (a section a module adds: the training module's TrainingReader)
 * }
 * }</pre>
 * ARRAY is any form {@link SpecNode} reads.
 */
public final class SpecReader {

    /** The highest spec version this release reads. */
    public static final int VERSION = 1;

    /** Jackson, strict: a key twice in one object is an error, not the last one winning. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SpecReader() {
    }

    /** Reads {@code file} with the standard registry. */
    public static Spec read(Path file) {
        return read(file, Registry.standard());
    }

    public static Spec read(Path file, Registry registry) {
        return read(file, registry, null);
    }

    /**
     * Reads {@code file}; with {@code dtype} not null, every value of the spec and its files is read in that data type
     * instead of the spec's {@code "dtype"} (float64 reads every number in double precision).
     */
    public static Spec read(Path file, Registry registry, DataType dtype) {
        InputFiles.checkRegular(file, maxSpecBytes(), "a spec");
        String text;
        try {
            text = Files.readString(file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new HamuxException("cannot read spec " + HamuxException.shorten(file.toString(), 160)
                    + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw new HamuxException("cannot read spec " + HamuxException.shorten(file.toString(), 160) + ": "
                    + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir, file.toString(), registry, dtype);
    }

    /** The largest spec file read: 256 MB, or an eighth of the memory budget when that is less (a tree of JSON is big). */
    static long maxSpecBytes() {
        return Math.min(256L << 20, MemoryBudget.bytes() / 8);
    }

    /**
     * Parses spec text; relative file names resolve against {@code baseDir}; {@code source} names the
     * text in messages.
     */
    public static Spec parse(String text, Path baseDir, String source, Registry registry) {
        return parse(text, baseDir, source, registry, null);
    }

    /** {@link #parse(String, Path, String, Registry)}, every value read in {@code dtype} unless it is null. */
    public static Spec parse(String text, Path baseDir, String source, Registry registry, DataType dtypeOverride) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new SpecException(source, "$", loc == null ? 0 : loc.getLineNr(),
                    "invalid JSON" + (loc == null ? "" : " at column " + loc.getColumnNr()) + ": "
                            + JsonMessages.plain(e.getOriginalMessage()));
        }
        JsonLines lines = new JsonLines(text);
        if (root == null || !root.isObject()) {
            throw new SpecException(source, "$", 1, "a spec is a JSON object {...}");
        }
        SpecContext probe = new SpecContext(source, baseDir, lines, DataType.FLOAT);
        SpecNode top = new SpecNode(probe, (ObjectNode) root, "$");
        int version = top.integer("hamux", VERSION);
        if (version > VERSION || version < 1) {
            throw top.error("hamux", "spec version " + version + " is not supported: this release reads versions up to " + VERSION);
        }
        String dt = top.string("dtype", "float32");
        DataType specDtype = switch (dt) {
            case "float32", "float" -> DataType.FLOAT;
            case "float64", "double" -> DataType.DOUBLE;
            default -> throw top.error("dtype", "unknown dtype '" + HamuxException.shorten(dt, 40)
                    + "' (use float32 or float64)");
        };
        DataType dtype = dtypeOverride != null ? dtypeOverride : specDtype;
        SpecNode spec = new SpecNode(new SpecContext(source, baseDir, lines, dtype), (ObjectNode) root, "$");
        spec.integer("hamux", VERSION);
        spec.string("dtype", null);
        String name = spec.string("name", baseName(source));
        String description = spec.string("description", "");
        EnergyGraph graph = graph(spec, registry);
        SpecNode initialNode = spec.child("initial");
        Map<String, INDArray> initial = initial(initialNode, graph);
        Dynamics dynamics = dynamics(spec.child("dynamics"), graph);
        if (initialNode != null) {
            corrupt(initialNode.child("corrupt"), initial, dynamics);
            initialNode.finish();
        }
        Spec.Retrieval retrieval = retrieval(spec.child("retrieval"), graph, initial);
        Map<String, Object> sections = new LinkedHashMap<>();
        registry.sections().forEach((key, reader) -> {
            SpecNode node = spec.child(key);
            if (node != null) {
                sections.put(key, reader.read(node, graph, dynamics));
            }
        });
        spec.finish();
        return new Spec(name, description, dtype, graph, dynamics, initial, retrieval, sections);
    }

    /** A name from the spec as a message echoes it: at most 40 characters. */
    private static String shown(String name) {
        return HamuxException.shorten(name, 40);
    }

    private static String baseName(String source) {
        if (source == null) {
            return "spec";
        }
        String f = Path.of(source).getFileName().toString();
        return f.endsWith(".json") ? f.substring(0, f.length() - 5) : f;
    }

    /** Reads the layers, synapses and connections into a checked graph. */
    static EnergyGraph graph(SpecNode spec, Registry registry) {
        SpecNode layersNode = spec.child("layers");
        if (layersNode == null || layersNode.keys().isEmpty()) {
            throw spec.error("layers", "a spec needs at least one layer in \"layers\"");
        }
        EnergyGraph.Builder b = EnergyGraph.builder().dtype(spec.dtype());
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (var e : layersNode.entries().entrySet()) {
            NeuronLayer layer = layer(e.getValue(), registry);
            shapes.put(e.getKey(), layer.shape());
            try {
                b.layer(e.getKey(), layer);
            } catch (HamuxException ex) {
                throw e.getValue().error(null, ex.getMessage());
            }
        }
        Map<String, List<String>> conns = new LinkedHashMap<>();
        Map<String, SpecNode> connNode = new LinkedHashMap<>();
        for (SpecNode c : spec.objects("connections")) {
            String s = c.string("synapse");
            List<String> ls = c.strings("layers");
            for (int i = 0; i < ls.size(); i++) {
                if (!shapes.containsKey(ls.get(i))) {
                    throw c.error("layers[" + i + "]", "unknown layer '" + shown(ls.get(i)) + "' (layers: " + shapes.keySet() + ")");
                }
            }
            if (conns.put(s, ls) != null) {
                throw c.error("synapse", "synapse '" + shown(s) + "' is connected twice; give each use its own synapse");
            }
            connNode.put(s, c);
            c.finish();
        }
        SpecNode synapsesNode = spec.child("synapses");
        Set<String> synapseNames = new LinkedHashSet<>();
        if (synapsesNode != null) {
            for (var e : synapsesNode.entries().entrySet()) {
                String name = e.getKey();
                SpecNode sn = e.getValue();
                List<String> ls = conns.get(name);
                if (ls == null) {
                    throw sn.error(null, "synapse '" + shown(name) + "' is in no connection: add {\"synapse\": \"" + name
                            + "\", \"layers\": [...]} to \"connections\"");
                }
                sn.layerShapes(ls.stream().map(shapes::get).toList());
                Hypersynapse syn = registry.synapse(sn);
                try {
                    // checked here as well as in build(), so that the message points at this synapse
                    EnergyGraph.checkSynapse(name, syn, ls, ls.stream().map(shapes::get).toList());
                    b.synapse(name, syn, ls.toArray(String[]::new));
                } catch (HamuxException ex) {
                    throw sn.error(null, ex.getMessage());
                }
                synapseNames.add(name);
            }
        }
        for (var e : conns.entrySet()) {
            if (!synapseNames.contains(e.getKey())) {
                throw connNode.get(e.getKey()).error("synapse", "unknown synapse '" + shown(e.getKey())
                        + "' (synapses: " + synapseNames + ")");
            }
        }
        try {
            return b.build();
        } catch (HamuxException ex) {
            throw spec.error(null, ex.getMessage());
        }
    }

    private static NeuronLayer layer(SpecNode n, Registry registry) {
        long[] shape = n.shape("shape");
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            throw n.error("shape", "a layer shape has at least one axis, all positive; got " + Shapes.str(shape));
        }
        if (shape.length >= Shapes.MAX_RANK) {
            throw n.error("shape", "a layer of " + shape.length + " axes; at most " + (Shapes.MAX_RANK - 1)
                    + " are supported (the batch axis comes on top)");
        }
        try {
            MemoryBudget.check("one sample of the layer", n.dtype(), shape);
        } catch (HamuxException e) {
            throw n.error("shape", e.getMessage());
        }
        SpecNode ln = n.child("lagrangian");
        if (ln == null) {
            throw n.error(null, "missing required key 'lagrangian' (e.g. {\"type\": \"identity\"})");
        }
        Lagrangian lagrangian = registry.lagrangian(ln);
        double tau = n.number("tau", NeuronLayer.DEFAULT_TAU);
        if (!(tau > 0)) {
            throw n.error("tau", "tau must be positive, got " + tau);
        }
        boolean energy = n.bool("energy", true);
        INDArray bias = n.has("bias") ? n.array("bias", shape) : null;
        if (bias != null && !Arrays.equals(bias.shape(), shape)) {
            throw n.error("bias", "bias has shape " + Arrays.toString(bias.shape()) + "; the layer has shape " + Arrays.toString(shape));
        }
        n.finish();
        try {
            return new NeuronLayer(shape, lagrangian, tau, energy, bias);
        } catch (HamuxException e) {
            throw n.error(null, e.getMessage());
        }
    }

    private static Map<String, INDArray> initial(SpecNode n, EnergyGraph graph) {
        Map<String, INDArray> x = new LinkedHashMap<>();
        if (n == null) {
            return x;
        }
        long batch = n.longValue("batch", -1);
        if (n.has("batch") && batch < 1) {
            throw n.error("batch", "batch must be at least 1, got " + batch);
        }
        if (batch > 0) {
            for (String layer : graph.layers().keySet()) {
                try {
                    MemoryBudget.check("the state of layer '" + layer + "'", n.dtype(), graph.stateShape(layer, batch));
                } catch (HamuxException e) {
                    throw n.error("batch", e.getMessage());
                }
            }
        }
        SpecNode states = n.child("states");
        if (states != null) {
            for (String layer : states.keys()) {
                if (!graph.layers().containsKey(layer)) {
                    throw states.error(layer, "unknown layer '" + shown(layer) + "' (layers: " + graph.layers().keySet() + ")");
                }
                long[] want = graph.layer(layer).shape();
                INDArray a = states.array(layer, batch > 0 ? Shapes.withBatch(batch, want) : null);
                long[] got = a.shape();
                if (got.length == want.length + 1 && Arrays.equals(Arrays.copyOfRange(got, 1, got.length), want)) {
                    x.put(layer, a);
                } else if (a.length() % Shapes.size(want) == 0 && got.length >= 1 && got.length != want.length + 1) {
                    x.put(layer, a.reshape('c', Shapes.withBatch(a.length() / Shapes.size(want), want)));
                } else {
                    throw states.error(layer, "initial state has shape " + Shapes.str(got) + "; layer '" + layer
                            + "' needs [batch, " + Shapes.str(want).substring(1));
                }
                if (batch > 0 && x.get(layer).size(0) != batch) {
                    throw states.error(layer, "initial state has batch " + x.get(layer).size(0) + " but \"batch\" is " + batch);
                }
                batch = x.get(layer).size(0);
            }
        }
        if (x.isEmpty() && batch > 0) {
            String first = graph.layers().keySet().iterator().next();
            x.put(first, org.nd4j.linalg.factory.Nd4j.zeros(n.dtype(), graph.stateShape(first, batch)));
        }
        return x;
    }

    /**
     * Corrupts initial states, as a retrieval query is made from a stored pattern: for each layer, adds
     * {@code N(0, noise^2)} to every neuron (seeded), then sets the neurons that the layer's clamp mask
     * leaves free (mask 0) to {@code free}, the value an unknown neuron starts at (a number, or an array of the layer's
     * shape such as the mean of the stored patterns).
     */
    private static void corrupt(SpecNode n, Map<String, INDArray> initial, Dynamics dynamics) {
        if (n == null) {
            return;
        }
        for (var e : n.entries().entrySet()) {
            String layer = e.getKey();
            SpecNode c = e.getValue();
            INDArray x = initial.get(layer);
            if (x == null) {
                throw n.error(layer, "no initial state of layer '" + shown(layer) + "' to corrupt (give it in \"states\")");
            }
            x = x.dup('c');
            double std = c.number("noise", 0);
            if (!(std >= 0)) {
                throw c.error("noise", "noise is a standard deviation, at least 0; got " + std);
            }
            long seed = c.longValue("seed", 0);
            if (std > 0) {
                x.addi(new Rng(seed).normal(x.dataType(), 0, std, x.shape()));
            }
            if (c.has("free")) {
                INDArray mask = dynamics.masks().get(layer);
                if (mask == null) {
                    throw c.error("free", "\"free\" sets the neurons a clamp mask leaves free, but layer '" + layer
                            + "' has no mask in $.dynamics.masks");
                }
                // x <- mask * x + (1 - mask) * free
                INDArray m = mask.castTo(x.dataType());
                if (m.rank() == x.rank() - 1) {
                    m = m.reshape(Shapes.withBatch(1, m.shape()));
                }
                // the free value: a number, or an array of the layer's shape (e.g. the mean of the memories)
                INDArray free = c.isNumber("free") ? null : c.array("free").castTo(x.dataType());
                if (free != null && !Arrays.equals(free.shape(), Arrays.copyOfRange(x.shape(), 1, x.rank()))) {
                    throw c.error("free", "\"free\" is a number or an array of the layer's shape "
                            + Arrays.toString(Arrays.copyOfRange(x.shape(), 1, x.rank())) + ", got shape "
                            + Arrays.toString(free.shape()));
                }
                INDArray rest = m.rsub(1.0);
                x = x.mul(m).add(free == null ? rest.mul(c.number("free"))
                        : rest.mul(free.reshape(Shapes.withBatch(1, free.shape()))));
            }
            c.finish();
            initial.put(layer, x);
        }
        n.finish();
    }

    private static Dynamics dynamics(SpecNode n, EnergyGraph graph) {
        Dynamics.Builder b = Dynamics.builder();
        if (n == null) {
            return b.build();
        }
        try {
            b.dt(n.number("dt", Dynamics.DEFAULT_DT));
        } catch (HamuxException e) {
            throw n.error("dt", e.getMessage());
        }
        int steps = n.integer("steps", Dynamics.DEFAULT_STEPS);
        if (steps < 0) {
            throw n.error("steps", "steps must be at least 0, got " + steps);
        }
        b.steps(steps);
        double tol = n.number("tolerance", 0);
        if (!(tol >= 0)) {
            throw n.error("tolerance", "tolerance must be at least 0, got " + tol);
        }
        b.tolerance(tol);
        String update = n.string("update", "euler");
        Dynamics.Update u = Arrays.stream(Dynamics.Update.values()).filter(v -> Dynamics.word(v).equals(update))
                .findFirst().orElseThrow(() -> n.error("update", "unknown update '" + shown(update)
                        + "' (known: euler, async, sync, dopri5)"));
        b.update(u).seed(n.longValue("seed", 0));
        try {
            b.errorTolerance(n.number("rtol", 1e-6), n.number("atol", 1e-9));
        } catch (HamuxException e) {
            throw n.error("rtol", e.getMessage());
        }
        if (n.has("clamp")) {
            List<String> clamp = n.strings("clamp");
            for (int i = 0; i < clamp.size(); i++) {
                if (!graph.layers().containsKey(clamp.get(i))) {
                    throw n.error("clamp[" + i + "]", "unknown layer '" + shown(clamp.get(i)) + "' (layers: " + graph.layers().keySet() + ")");
                }
            }
            b.clamp(clamp.toArray(String[]::new));
        }
        SpecNode masks = n.child("masks");
        if (masks != null) {
            for (String layer : masks.keys()) {
                if (!graph.layers().containsKey(layer)) {
                    throw masks.error(layer, "unknown layer '" + shown(layer) + "' (layers: " + graph.layers().keySet() + ")");
                }
                INDArray m = masks.array(layer, graph.layer(layer).shape());
                if (!Arrays.equals(m.shape(), graph.layer(layer).shape()) && m.rank() != graph.layer(layer).shape().length + 1) {
                    throw masks.error(layer, "mask has shape " + Arrays.toString(m.shape()) + "; expected the layer shape "
                            + Arrays.toString(graph.layer(layer).shape()) + " or [batch, ...] of it");
                }
                b.mask(layer, m);
            }
        }
        SpecNode schedules = n.child("schedules");
        if (schedules != null) {
            for (var e : schedules.entries().entrySet()) {
                String key = e.getKey();
                INDArray p = graph.parameters().get(key);
                if (!key.equals(Dynamics.DT) && !key.equals(Dynamics.TEMPERATURE) && (p == null || p.rank() != 0)) {
                    throw schedules.error(key, "cannot schedule '" + shown(key) + "': schedules take \"dt\", \"temperature\""
                            + " or a scalar parameter of the graph (" + graph.parameters().entrySet().stream()
                            .filter(q -> q.getValue().rank() == 0).map(Map.Entry::getKey).toList() + ")");
                }
                b.schedule(key, schedule(e.getValue()));
            }
        }
        SpecNode noise = n.child("noise");
        if (noise != null) {
            double t = noise.number("temperature", 0);
            if (!(t >= 0)) {
                throw noise.error("temperature", "temperature must be at least 0, got " + t);
            }
            b.noise(t, noise.longValue("seed", 0));
            noise.finish();
        }
        n.finish();
        return b.build();
    }

    /** {@code {"from": a, "to": b, "shape": "linear" | "geometric"}} or {@code {"values": [v0, v1, ...]}}. */
    private static StepSchedule schedule(SpecNode n) {
        StepSchedule s;
        try {
            if (n.has("values")) {
                double[] v = n.array("values").castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
                s = StepSchedule.values(v);
            } else {
                String shape = n.string("shape", "linear");
                double from = n.number("from");
                double to = n.number("to");
                s = switch (shape) {
                    case "linear" -> StepSchedule.linear(from, to);
                    case "geometric" -> StepSchedule.geometric(from, to);
                    default -> throw n.error("shape", "unknown shape '" + shown(shape) + "' (known: linear, geometric)");
                };
            }
        } catch (HamuxException e) {
            if (e instanceof SpecException se) {
                throw se;
            }
            throw n.error(null, e.getMessage());
        }
        n.finish();
        return s;
    }

    /** A picture's name: a plain file name in the output folder, ending in {@code .png}. */
    private static final java.util.regex.Pattern PNG_NAME = java.util.regex.Pattern.compile("[\\p{L}\\p{N}_-][\\p{L}\\p{N}_.-]{0,99}\\.png");

    private static Spec.Retrieval retrieval(SpecNode n, EnergyGraph graph, Map<String, INDArray> initial) {
        if (n == null) {
            return null;
        }
        String layer = n.string("layer");
        if (!graph.layers().containsKey(layer)) {
            throw n.error("layer", "unknown layer '" + shown(layer) + "' (layers: " + graph.layers().keySet() + ")");
        }
        INDArray memories = n.array("memories");
        long size = graph.layer(layer).size();
        if (memories.rank() < 2 || memories.length() / memories.size(0) != size) {
            throw n.error("memories", "memories have shape " + Arrays.toString(memories.shape())
                    + "; expected [K, " + size + "] for layer '" + layer + "'");
        }
        long[] targets = n.array("targets").castTo(DataType.LONG).toLongVector();
        INDArray start = initial.get(layer);
        if (start != null && targets.length != start.size(0)) {
            throw n.error("targets", targets.length + " targets for a batch of " + start.size(0));
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= memories.size(0)) {
                throw n.error("targets", "target " + targets[i] + " of sample " + i + " is not a row of the "
                        + memories.size(0) + " memories");
            }
        }
        long[] image = n.has("image") ? n.shape("image") : null;
        if (image != null && Shapes.size(image) != size) {
            throw n.error("image", "image " + Arrays.toString(image) + " does not hold the " + size + " neurons of '" + layer + "'");
        }
        String png = n.string("png", null);
        if (png != null && !PNG_NAME.matcher(png).matches()) {
            throw n.error("png", "'" + HamuxException.shorten(png, 60) + "' is not a file name: the picture is written "
                    + "into the output folder, so give a name like \"grid.png\" (letters, digits, '_', '-', '.'; no path)");
        }
        List<String> labels = n.has("labels") ? n.strings("labels") : Spec.Retrieval.LABELS;
        if (labels.size() != 3) {
            throw n.error("labels", "the picture has three rows (the start, the final state, the target memory): give three"
                    + " labels, got " + labels.size());
        }
        n.finish();
        return new Spec.Retrieval(layer, memories.reshape(memories.size(0), size), targets, image, png, labels);
    }
}
