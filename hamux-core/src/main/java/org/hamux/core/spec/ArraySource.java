package org.hamux.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hamux.core.Finite;
import org.hamux.core.HamuxException;
import org.hamux.core.MemoryBudget;
import org.hamux.core.Rng;
import org.hamux.core.io.Npy;
import org.hamux.core.io.Npz;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Reads the array forms a spec allows (see {@link SpecNode}), in the spec's data type. */
final class ArraySource {

    private static final Set<String> KEYS = Set.of("npy", "npz", "key", "init", "shape", "mean", "std", "low",
            "high", "value", "seed", "rows", "scale", "reshape", "patches");

    private ArraySource() {
    }

    static INDArray read(SpecContext ctx, JsonNode v, String path, long[] initShape) {
        INDArray a;
        if (v.isNumber()) {
            a = Nd4j.scalar(ctx.dtype(), v.asDouble());
        } else if (v.isArray()) {
            a = inline(ctx, v, path);
        } else if (v.isTextual()) {
            a = file(ctx, v.asText(), null, path);
        } else if (v.isObject()) {
            a = object(ctx, (ObjectNode) v, path, initShape);
        } else {
            throw ctx.error(path, "expected an array: a number, nested lists, a file name or {\"npy\": ...}/{\"init\": ...}");
        }
        a = a.dataType() == ctx.dtype() ? a : a.castTo(ctx.dtype());
        checkValues(ctx, a, path);
        return a;
    }

    /** Fails unless {@code a} has elements and all of them are finite, naming the first that is not. */
    private static void checkValues(SpecContext ctx, INDArray a, String path) {
        if (a.isEmpty() || a.length() == 0) {
            throw ctx.error(path, "an empty array (shape " + Shapes.str(a.shape()) + "): give at least one number");
        }
        String bad = Finite.firstBad(a);
        if (bad != null) {
            throw ctx.error(path, "the array holds " + bad + "; every value must be finite");
        }
    }

    private static INDArray inline(SpecContext ctx, JsonNode v, String path) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode n = v; n.isArray(); n = n.size() > 0 ? n.get(0) : null) {
            shape.add((long) n.size());
            if (shape.size() > Shapes.MAX_RANK) {
                throw ctx.error(path, "nested lists deeper than " + Shapes.MAX_RANK + " levels; at most "
                        + Shapes.MAX_RANK + " axes are supported");
            }
            if (n.size() == 0) {
                break;
            }
        }
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        double[] flat = new double[(int) Arrays.stream(s).reduce(1, (a, b) -> a * b)];
        int[] pos = {0};
        flatten(ctx, v, 0, s, flat, pos, path);
        return Nd4j.create(flat, s, ctx.dtype());
    }

    private static void flatten(SpecContext ctx, JsonNode n, int depth, long[] s, double[] out, int[] pos, String path) {
        if (depth == s.length) {
            if (!n.isNumber()) {
                throw ctx.error(path, "expected a number, got " + SpecNode.shown(n));
            }
            out[pos[0]++] = n.asDouble();
            return;
        }
        if (!n.isArray() || n.size() != s[depth]) {
            throw ctx.error(path, "ragged nested list: expected " + s[depth] + " entries at depth " + depth);
        }
        for (int i = 0; i < n.size(); i++) {
            flatten(ctx, n.get(i), depth + 1, s, out, pos, path + "[" + i + "]");
        }
    }

    private static INDArray file(SpecContext ctx, String name, String key, String path) {
        String file = name;
        if (key == null && name.contains(".npz:")) {
            int cut = name.indexOf(".npz:") + 4;
            file = name.substring(0, cut);
            key = name.substring(cut + 1);
        }
        Path p = ctx.resolve(file, path);
        if (!Files.exists(p)) {
            throw ctx.error(path, "file not found: " + HamuxException.shorten(p.toString(), 120));
        }
        if (!Files.isRegularFile(p)) {
            throw ctx.error(path, HamuxException.shorten(p.toString(), 120) + " is not a regular file");
        }
        try {
            if (file.endsWith(".npz")) {
                Map<String, INDArray> all = Npz.read(p);
                if (key == null) {
                    if (all.size() != 1) {
                        throw ctx.error(path, p + " holds " + all.keySet() + ": name one with \"key\"");
                    }
                    return all.values().iterator().next();
                }
                INDArray a = all.get(key);
                if (a == null) {
                    throw ctx.error(path, p + " has no array '" + key + "' (it has " + all.keySet() + ")");
                }
                return a;
            }
            if (file.endsWith(".npy")) {
                return Npy.read(p);
            }
        } catch (HamuxException e) {
            if (e instanceof SpecException) {
                throw e;
            }
            throw ctx.error(path, e.getMessage());
        }
        throw ctx.error(path, "unsupported file type: " + file + " (use .npy or .npz)");
    }

    private static INDArray object(SpecContext ctx, ObjectNode o, String path, long[] initShape) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw ctx.error(path + "." + k, "unknown key '" + k + "' in an array (known: " + KEYS + ")");
            }
        }
        SpecNode n = new SpecNode(ctx, o, path);
        INDArray a;
        if (o.has("npy")) {
            a = file(ctx, n.string("npy"), null, path + ".npy");
        } else if (o.has("npz")) {
            a = file(ctx, n.string("npz"), n.string("key", null), path + ".npz");
        } else if (o.has("init")) {
            a = init(ctx, n, path, initShape);
        } else {
            throw ctx.error(path, "an array object needs \"npy\", \"npz\" or \"init\"");
        }
        if (o.has("rows")) {
            long[] r = n.shape("rows");
            if (r.length != 2 || r[0] < 0 || r[1] > a.size(0) || r[0] >= r[1]) {
                throw ctx.error(path + ".rows", "rows " + Arrays.toString(r) + " is not a range [from, to) within the "
                        + a.size(0) + " rows");
            }
            a = a.get(NDArrayIndex.interval(r[0], r[1])).dup();
        }
        if (o.has("reshape")) {
            long[] s = n.shape("reshape");
            if (Shapes.elements(s) != a.length()) {
                throw ctx.error(path + ".reshape", "cannot reshape " + Arrays.toString(a.shape()) + " to " + Arrays.toString(s));
            }
            a = a.reshape('c', s);
        }
        if (o.has("patches")) {
            a = patches(ctx, a, n.shape("patches"), path + ".patches");
        }
        if (o.has("scale")) {
            a = a.castTo(ctx.dtype()).mul(n.number("scale"));
        }
        return a;
    }

    /**
     * Images {@code [N, H, W]} cut into non-overlapping {@code ph x pw} patches, row by row: {@code [N, (H/ph)(W/pw),
     * ph pw]}, each patch flattened row-major (the tokens of a vision transformer).
     */
    private static INDArray patches(SpecContext ctx, INDArray a, long[] p, String path) {
        if (p.length != 2 || p[0] < 1 || p[1] < 1) {
            throw ctx.error(path, "patches is [height, width] of a patch, both positive");
        }
        if (a.rank() != 3 || a.size(1) % p[0] != 0 || a.size(2) % p[1] != 0) {
            throw ctx.error(path, "patches of " + Arrays.toString(p) + " need images [N, H, W] with H and W multiples"
                    + " of the patch; got " + Arrays.toString(a.shape()) + " (use \"reshape\" first)");
        }
        long n = a.size(0);
        long rows = a.size(1) / p[0];
        long cols = a.size(2) / p[1];
        // [N, rows, ph, cols, pw] -> [N, rows, cols, ph, pw] -> [N, rows cols, ph pw]
        return a.reshape('c', n, rows, p[0], cols, p[1]).permute(0, 1, 3, 2, 4).dup('c')
                .reshape('c', n, rows * cols, p[0] * p[1]);
    }

    private static INDArray init(SpecContext ctx, SpecNode n, String path, long[] initShape) {
        String kind = n.string("init");
        long[] shape = n.has("shape") ? n.shape("shape") : initShape;
        if (shape == null || Arrays.stream(shape).anyMatch(d -> d < 0)) {
            throw ctx.error(path, "\"init\" needs a \"shape\" here" + (shape == null ? "" : " (like "
                    + Arrays.toString(shape).replace("-1", "K") + ")"));
        }
        if (initShape != null && n.has("shape") && !Arrays.equals(shape, initShape) && !matches(shape, initShape)) {
            throw ctx.error(path + ".shape", "shape " + Arrays.toString(shape) + " does not fit; expected "
                    + Arrays.toString(initShape));
        }
        try {
            MemoryBudget.check("the array", ctx.dtype(), shape);
        } catch (HamuxException e) {
            throw ctx.error(path, e.getMessage());
        }
        // an absent seed is derived from the path: reproducible, and different for every parameter
        Rng rng = new Rng(n.longValue("seed", path.hashCode()));
        return switch (kind) {
            case "normal" -> rng.normal(ctx.dtype(), n.number("mean", 0), n.number("std", 1), shape);
            case "uniform" -> rng.uniform(ctx.dtype(), n.number("low", 0), n.number("high", 1), shape);
            case "zeros" -> Nd4j.zeros(ctx.dtype(), shape);
            case "ones" -> Nd4j.ones(ctx.dtype(), shape);
            case "constant" -> Nd4j.valueArrayOf(shape, n.number("value"), ctx.dtype());
            // low, low + 1, ... in row-major order (indices, e.g. retrieval targets)
            case "arange" -> Nd4j.arange(n.number("low", 0), n.number("low", 0) + Shapes.size(shape))
                    .castTo(ctx.dtype()).reshape('c', shape);
            default -> throw ctx.error(path + ".init", "unknown init '" + kind
                    + "' (known: normal, uniform, zeros, ones, constant, arange)");
        };
    }

    /** {@code -1} in the expected shape matches any size. */
    private static boolean matches(long[] shape, long[] expected) {
        if (shape.length != expected.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (expected[i] >= 0 && expected[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }
}
