package org.hamux.core.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Param;
import org.hamux.core.Setting;

/**
 * The JSON Schema (draft 2020-12) of a spec, derived from the registry's type declarations: every Lagrangian and
 * synapse type with its settings, their kinds, defaults and meanings, and its parameters. Editors that read JSON
 * Schema complete and check specs with it ({@code hamux schema > hamux.schema.json}, then
 * {@code "$schema": "hamux.schema.json"}); the reader stays the judge (it also checks shapes and layers).
 */
public final class SpecSchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecSchema() {
    }

    /** The schema of a spec whose components are the types of {@code registry}. */
    public static ObjectNode of(Registry registry) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", "HAMUX spec");
        root.put("description", "An energy graph: neuron layers, hypersynapses, their connections and the dynamics.");
        root.put("type", "object");
        ObjectNode defs = root.putObject("$defs");
        defs.set("array", arraySource());
        defs.set("lagrangian", oneOf(defs, registry.lagrangianTypes()));
        defs.set("synapse", oneOf(defs, registry.synapseTypes()));
        ObjectNode p = root.putObject("properties");
        p.putObject("$schema").put("type", "string");
        prop(p, "hamux", "integer", "the spec format version", SpecReader.VERSION);
        prop(p, "name", "string", "the spec's name (default: the file name)", null);
        prop(p, "description", "string", "what the graph is", null);
        p.putObject("dtype").put("description", "the data type of states and parameters").put("default", "float32")
                .putArray("enum").add("float32").add("float64");
        ObjectNode layer = object("a neuron layer: x [batch, ...shape], g = dL/dx");
        ObjectNode lp = layer.putObject("properties");
        ObjectNode shape = lp.putObject("shape").put("description", "the per-sample shape, e.g. [784] or [1, 28, 28]")
                .put("type", "array");
        shape.putObject("items").put("type", "integer").put("minimum", 1);
        lp.putObject("lagrangian").put("$ref", "#/$defs/lagrangian");
        prop(lp, "tau", "number", "the time constant", NeuronLayer.DEFAULT_TAU);
        prop(lp, "energy", "boolean", "whether the layer's own energy counts", true);
        lp.putObject("bias").put("$ref", "#/$defs/array").put("description", "a bias added to the layer's input");
        layer.putArray("required").add("shape").add("lagrangian");
        named(p, "layers", "the neuron layers by name", layer);
        named(p, "synapses", "the hypersynapses by name", JSON.createObjectNode().put("$ref", "#/$defs/synapse"));
        ObjectNode conn = object("which layers a synapse connects, in slot order");
        ObjectNode cp = conn.putObject("properties");
        prop(cp, "synapse", "string", "the synapse's name", null);
        cp.putObject("layers").put("description", "layer names, one per slot").put("type", "array")
                .putObject("items").put("type", "string");
        conn.putArray("required").add("synapse").add("layers");
        p.putObject("connections").put("type", "array").set("items", conn);
        p.set("dynamics", dynamics());
        p.set("initial", object("initial states: \"batch\", \"states\" by layer, \"corrupt\" by layer"));
        p.set("retrieval", object("retrieval scoring: \"layer\", \"memories\", \"targets\", \"image\", \"png\", \"labels\""));
        for (String section : registry.sections().keySet()) {
            p.set(section, object("read by the module that adds the \"" + section + "\" section"));
        }
        root.putArray("required").add("layers");
        root.put("additionalProperties", false);
        return root;
    }

    private static ObjectNode dynamics() {
        ObjectNode d = object("the dynamics tau dx/dt = I - x, integrated with Euler steps");
        ObjectNode p = d.putObject("properties");
        prop(p, "dt", "number", "the Euler step", Dynamics.DEFAULT_DT);
        prop(p, "steps", "integer", "the number of steps", Dynamics.DEFAULT_STEPS);
        prop(p, "tolerance", "number", "stop when every state changes by less than this (0: run every step)", 0.0);
        p.putObject("update").put("description", "euler: Euler steps; async, sync: binary neurons flip to the sign of"
                + " lower energy, one at a time in a seeded random order or all at once (a step is then a sweep); dopri5:"
                + " adaptive Dormand-Prince steps to steps * dt, each within rtol and atol")
                .put("default", "euler").putArray("enum").add("euler").add("async").add("sync").add("dopri5");
        prop(p, "rtol", "number", "the relative error a dopri5 step may make per neuron", 1e-6);
        prop(p, "atol", "number", "the absolute error a dopri5 step may make per neuron", 1e-9);
        prop(p, "seed", "integer", "the seed of the asynchronous update's order", 0);
        ObjectNode schedule = object("a value along the steps: linear or geometric from \"from\" to \"to\", or one"
                + " value a step (\"values\")");
        ObjectNode sp = schedule.putObject("properties");
        sp.putObject("shape").put("default", "linear").putArray("enum").add("linear").add("geometric");
        prop(sp, "from", "number", "the value at the first step", null);
        prop(sp, "to", "number", "the value at the last step", null);
        sp.putObject("values").put("description", "one value a step, the last holding after").put("type", "array")
                .putObject("items").put("type", "number");
        schedule.put("additionalProperties", false);
        ObjectNode schedules = p.putObject("schedules").put("description", "values that change along the steps, by"
                + " \"dt\", \"temperature\" or a scalar parameter's flat name (e.g. \"memory.beta\")").put("type", "object");
        schedules.set("additionalProperties", schedule);
        p.putObject("clamp").put("description", "layers held at their initial state").put("type", "array")
                .putObject("items").put("type", "string");
        p.putObject("masks").put("description", "per-neuron clamp masks by layer (1 clamped, 0 free)").put("type", "object")
                .putObject("additionalProperties").put("$ref", "#/$defs/array");
        ObjectNode noise = p.putObject("noise").put("description", "Langevin noise").put("type", "object");
        ObjectNode np = noise.putObject("properties");
        prop(np, "temperature", "number", "the temperature", 0.0);
        prop(np, "seed", "integer", "the seed", 0);
        noise.put("additionalProperties", false);
        return d;
    }

    /** One type per {@code "type"} value. */
    private static ObjectNode oneOf(ObjectNode defs, Map<String, ? extends ComponentType<?>> types) {
        ObjectNode any = JSON.createObjectNode();
        ArrayNode one = any.putArray("oneOf");
        types.forEach((name, t) -> {
            defs.set("type-" + name, type(t));
            one.addObject().put("$ref", "#/$defs/type-" + name);
        });
        return any;
    }

    /** The object of one component type: "type", its settings, inline scalars and "params". */
    static ObjectNode type(ComponentType<?> t) {
        ObjectNode o = object(t.name() + ": " + t.doc() + (t.presetOf() != null ? " (a preset of " + t.presetOf() + ")" : ""));
        ObjectNode p = o.putObject("properties");
        p.putObject("type").put("const", t.name());
        ArrayNode required = o.putArray("required").add("type");
        for (Setting<?> s : t.settings()) {
            p.set(s.name(), setting(s, t.defaultOf(s)));
            if (t.defaultOf(s) == null && s.required()) {
                required.add(s.name());
            }
        }
        ObjectNode arrays = JSON.createObjectNode();
        for (Param q : t.params()) {
            if (q.form() != Param.Form.ARRAY) {
                ObjectNode n = p.putObject(q.name()).put("description", q.doc());
                if (q.form() == Param.Form.SCALAR) {
                    n.put("type", "number");
                } else {
                    n.putArray("type").add("number").add("array");
                }
                if (q.defaultValue() != null) {
                    n.put("default", q.defaultValue());
                }
            }
            if (q.form() != Param.Form.SCALAR) {
                arrays.putObject(q.name()).put("$ref", "#/$defs/array").put("description", q.doc());
            }
        }
        if (!arrays.isEmpty() || t.paramFamily() != null) {
            ObjectNode params = p.putObject("params").put("description", "the component's arrays").put("type", "object");
            params.set("properties", arrays);
            if (t.paramFamily() != null) {
                params.putObject("additionalProperties").put("$ref", "#/$defs/array").put("description", t.paramFamily());
            } else {
                params.put("additionalProperties", false);
            }
        }
        o.put("additionalProperties", t.openKeys() != null);
        return o;
    }

    private static ObjectNode setting(Setting<?> s, Object def) {
        ObjectNode n = JSON.createObjectNode().put("description", s.doc());
        switch (s.kind()) {
            case NUMBER -> n.put("type", "number");
            case INTEGER, LONG -> n.put("type", "integer");
            case BOOLEAN -> n.put("type", "boolean");
            case STRING -> n.put("type", "string");
            case CHOICE -> s.words().forEach(n.putArray("enum")::add);
            case PAIR -> {
                ArrayNode one = n.putArray("oneOf");
                one.addObject().put("type", "integer");
                one.addObject().put("type", "array").put("minItems", 2).put("maxItems", 2)
                        .putObject("items").put("type", "integer");
            }
            case NUMBER_OR_WORD -> {
                ArrayNode one = n.putArray("oneOf");
                one.addObject().put("type", "number");
                s.words().forEach(one.addObject().putArray("enum")::add);
            }
            case LAGRANGIAN -> n.put("$ref", "#/$defs/lagrangian");
            case ARRAY -> n.put("$ref", "#/$defs/array");
        }
        if (def != null) {
            n.set("default", JSON.valueToTree(json(s, def)));
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static <T> Object json(Setting<T> s, Object v) {
        return s.json((T) v);
    }

    /** The forms an array takes in a spec (see {@link SpecNode}). */
    private static ObjectNode arraySource() {
        ObjectNode a = JSON.createObjectNode().put("description", "an array: a number, nested lists, a file"
                + " (\"w.npy\", \"p.npz:key\"), {\"npy\": file}, {\"npz\": file, \"key\": name}, or"
                + " {\"init\": \"normal\"|\"uniform\"|\"zeros\"|\"ones\"|\"constant\"|\"arange\", \"shape\": [...], ...}");
        a.putArray("type").add("number").add("array").add("string").add("object");
        return a;
    }

    private static ObjectNode object(String description) {
        return JSON.createObjectNode().put("description", description).put("type", "object");
    }

    private static void named(ObjectNode p, String key, String description, ObjectNode item) {
        ObjectNode n = p.putObject(key).put("description", description).put("type", "object");
        n.set("additionalProperties", item);
        n.putObject("propertyNames").put("pattern", "^[\\p{L}\\p{N}_-]{1,64}$");
    }

    private static void prop(ObjectNode p, String key, String type, String description, Object def) {
        ObjectNode n = p.putObject(key).put("type", type).put("description", description);
        if (def != null) {
            n.set("default", JSON.valueToTree(def));
        }
    }
}
