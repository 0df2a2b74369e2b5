package org.hamux.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hamux.core.HamuxException;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One JSON object of a spec, with its path ({@code $.synapses.mem}) for error messages. Factories of
 * the {@link Registry} read their settings from it with typed getters that fail with a located
 * message; keys that nobody read are reported as unknown by {@link #finish()}.
 *
 * <p>Arrays ({@link #array}, {@link #param}) may be written as a number, nested lists, a file name
 * ({@code "w.npy"}, {@code "p.npz:key"}), or an object: {@code {"npy": file}}, {@code {"npz": file,
 * "key": name}}, {@code {"init": "normal"|"uniform"|"zeros"|"ones"|"constant"|"arange", "shape": [...], "mean",
 * "std", "low", "high", "value", "seed"}} ({@code arange}: low, low + 1, ...), with optional {@code "rows": [from, to]}, {@code "reshape": [...]},
 * {@code "patches": [ph, pw]} (images {@code [N, H, W]} to patch tokens {@code [N, HW/(ph pw), ph pw]}), {@code "scale"}. Files are relative to the spec's folder.
 */
public final class SpecNode {

    private final SpecContext ctx;
    private final ObjectNode node;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();
    private final Set<String> paramsRead = new LinkedHashSet<>();
    private List<long[]> layerShapes = List.of();

    SpecNode(SpecContext ctx, ObjectNode node, String path) {
        this.ctx = ctx;
        this.node = node;
        this.path = path;
    }

    /** The JSON path of this object. */
    public String path() {
        return path;
    }

    /** The data type arrays are read in. */
    public DataType dtype() {
        return ctx.dtype();
    }

    /** For a synapse: the per-sample shapes of the layers it connects, in slot order. */
    public List<long[]> layerShapes() {
        return layerShapes;
    }

    void layerShapes(List<long[]> shapes) {
        this.layerShapes = List.copyOf(shapes);
    }

    /** A located error about {@code key} of this object. */
    public SpecException error(String key, String message) {
        String p = key == null ? path : path + "." + key;
        return ctx.error(p, message);
    }

    public boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** Whether {@code key} holds a number (rather than a list, a string or an object). */
    public boolean isNumber(String key) {
        return has(key) && node.get(key).isNumber();
    }

    private JsonNode get(String key) {
        read.add(key);
        return node.get(key);
    }

    private JsonNode required(String key) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            throw error(null, "missing required key '" + key + "'");
        }
        return v;
    }

    /** A finite number. */
    public double number(String key) {
        JsonNode v = required(key);
        if (!v.isNumber()) {
            throw error(key, "expected a number, got " + shown(v));
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw error(key, "expected a finite number, got " + shown(v));
        }
        return d;
    }

    public double number(String key, double def) {
        return has(key) ? number(key) : mark(key, def);
    }

    /** An integer in the range of a Java {@code int}. */
    public int integer(String key) {
        return (int) integral(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public int integer(String key, int def) {
        return has(key) ? integer(key) : mark(key, def);
    }

    /** An integer in the range of a Java {@code long}. */
    public long longValue(String key) {
        return integral(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public long longValue(String key, long def) {
        return has(key) ? integral(key, Long.MIN_VALUE, Long.MAX_VALUE) : mark(key, def);
    }

    /** An integer written as one ({@code 3}, or {@code 3.0}) within {@code [min, max]}. */
    private long integral(String key, long min, long max) {
        return integral(required(key), key, min, max);
    }

    private long integral(JsonNode v, String key, long min, long max) {
        if (!v.isNumber()) {
            throw error(key, "expected an integer, got " + shown(v));
        }
        long x;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw error(key, "expected an integer from " + min + " to " + max + ", got " + shown(v));
            }
            x = v.asLong();
        } else {
            double d = v.asDouble();
            if (!Double.isFinite(d) || d != Math.rint(d)) {
                throw error(key, "expected an integer, got " + shown(v));
            }
            if (d < -0x1p63 || d >= 0x1p63) {
                throw error(key, "expected an integer from " + min + " to " + max + ", got " + shown(v));
            }
            x = (long) d;
        }
        if (x < min || x > max) {
            throw error(key, "expected an integer from " + min + " to " + max + ", got " + shown(v));
        }
        return x;
    }

    /** A JSON value as a message shows it: at most {@value #SHOWN} characters. */
    static String shown(JsonNode v) {
        return v == null ? "nothing" : HamuxException.shorten(v.toString(), SHOWN);
    }

    /** The most characters of a value a message echoes. */
    private static final int SHOWN = 60;

    public boolean bool(String key, boolean def) {
        if (!has(key)) {
            return mark(key, def);
        }
        JsonNode v = get(key);
        if (!v.isBoolean()) {
            throw error(key, "expected true or false, got " + shown(v));
        }
        return v.asBoolean();
    }

    public String string(String key) {
        JsonNode v = required(key);
        if (!v.isTextual()) {
            throw error(key, "expected a string, got " + shown(v));
        }
        return v.asText();
    }

    public String string(String key, String def) {
        return has(key) ? string(key) : mark(key, def);
    }

    /** A list of at most {@link Shapes#MAX_RANK} non-negative integers, e.g. a shape. */
    public long[] shape(String key) {
        JsonNode v = required(key);
        if (!v.isArray()) {
            throw error(key, "expected a list of integers like [28, 28], got " + shown(v));
        }
        if (v.size() > Shapes.MAX_RANK) {
            throw error(key, "a list of " + v.size() + " sizes; at most " + Shapes.MAX_RANK + " axes are supported");
        }
        long[] s = new long[v.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = integral(v.get(i), key + "[" + i + "]", 0, Long.MAX_VALUE);
        }
        return s;
    }

    public List<String> strings(String key) {
        JsonNode v = required(key);
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw error(key, "expected a list of names, got " + shown(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw error(key + "[" + i + "]", "expected a name, got " + shown(v.get(i)));
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    /** The object under {@code key}, or null if absent. */
    public SpecNode child(String key) {
        if (!has(key)) {
            mark(key, null);
            return null;
        }
        JsonNode v = get(key);
        if (!v.isObject()) {
            throw error(key, "expected an object {...}, got " + v.getNodeType().toString().toLowerCase());
        }
        return new SpecNode(ctx, (ObjectNode) v, path + "." + key);
    }

    /** The objects of the list under {@code key} (empty if absent). */
    public List<SpecNode> objects(String key) {
        if (!has(key)) {
            mark(key, null);
            return List.of();
        }
        JsonNode v = get(key);
        if (!v.isArray()) {
            throw error(key, "expected a list [...], got " + v.getNodeType().toString().toLowerCase());
        }
        List<SpecNode> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isObject()) {
                throw error(key + "[" + i + "]", "expected an object {...}, got " + shown(v.get(i)));
            }
            out.add(new SpecNode(ctx, (ObjectNode) v.get(i), path + "." + key + "[" + i + "]"));
        }
        return out;
    }

    /** The keys of this object, in order. */
    public List<String> keys() {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The objects that are the values of this object, by key (a map of named items; none may be null). */
    public Map<String, SpecNode> entries() {
        Map<String, SpecNode> out = new LinkedHashMap<>();
        for (String k : keys()) {
            if (!has(k)) {
                throw error(k, "expected an object {...}, got null");
            }
            out.put(k, child(k));
        }
        return out;
    }

    /** The array under {@code key} of this object; see the class comment for the forms. */
    public INDArray array(String key) {
        return array(key, null);
    }

    /**
     * The array under {@code key}; {@code initShape} is the shape an {@code init} makes when the spec
     * gives none (null: the spec must give it).
     */
    public INDArray array(String key, long[] initShape) {
        return ArraySource.read(ctx, required(key), path + "." + key, initShape);
    }

    /** Component parameter {@code name}, from this object's {@code "params"}. */
    public INDArray param(String name, long[] initShape) {
        SpecNode p = child("params");
        if (p == null || !p.has(name)) {
            throw error("params", "missing parameter '" + name + "'"
                    + (initShape != null ? " (e.g. {\"init\": \"normal\", \"std\": 0.01})" : ""));
        }
        paramsRead.add(name);
        return p.array(name, initShape);
    }

    /** Optional component parameter {@code name} from {@code "params"}, or null. */
    public INDArray optionalParam(String name, long[] initShape) {
        SpecNode p = child("params");
        paramsRead.add(name);
        if (p == null || !p.has(name)) {
            return null;
        }
        return p.array(name, initShape);
    }

    /** Fails on the first key of this object that no getter read: a misspelt or unsupported setting. */
    public void finish() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!read.contains(k)) {
                throw error(k, "unknown key '" + k + "'" + (read.isEmpty() ? "" : " (known here: " + read + ")"));
            }
        }
        SpecNode p = has("params") ? new SpecNode(ctx, (ObjectNode) node.get("params"), path + ".params") : null;
        if (p != null) {
            for (String k : p.keys()) {
                if (!paramsRead.contains(k)) {
                    throw p.error(k, "unknown parameter '" + k + "' (known: " + paramsRead + ")");
                }
            }
        }
    }

    private <V> V mark(String key, V def) {
        read.add(key);
        return def;
    }

    /** Resolves a file name relative to the spec's folder. */
    public Path resolve(String file) {
        return ctx.resolve(file, path);
    }

    /** The file named by string {@code key}, resolved relative to the spec's folder (a located error if it is no path). */
    public Path file(String key) {
        return ctx.resolve(string(key), path + "." + key);
    }
}
