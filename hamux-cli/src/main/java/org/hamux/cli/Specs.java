package org.hamux.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Finite;
import org.hamux.core.HamuxException;
import org.hamux.core.io.Npy;
import org.hamux.core.io.Npz;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reading a spec for a subcommand, in the data type the options ask for. */
final class Specs {

    private Specs() {
    }

    /**
     * A spec with its graph cast to the data type to compute in.
     *
     * @param spec  the spec as read
     * @param graph {@code spec.graph()} in {@code dtype}
     * @param dtype {@code --dtype}, else the spec's
     */
    record Loaded(Spec spec, EnergyGraph graph, DataType dtype) {

        /** The spec's initial states in {@code dtype}; empty when the spec has none. */
        Map<String, INDArray> initial() {
            return cast(spec.initial(), dtype);
        }
    }

    /**
     * Reads {@code file}, every value in {@code --dtype} when it is given (so that float64 reads the spec's numbers and
     * files in double precision, not at the spec's float32 first).
     */
    static Loaded load(Path file, SharedOptions options) {
        Spec spec = SpecReader.read(file, Registry.standard(), options.dtype);
        DataType dtype = options.dtypeOr(spec.dtype());
        EnergyGraph graph = dtype == spec.dtype() ? spec.graph() : spec.graph().castTo(dtype);
        return new Loaded(spec, graph, dtype);
    }

    /** The arrays of {@code states} in {@code dtype} (the same arrays where they already are). */
    static Map<String, INDArray> cast(Map<String, INDArray> states, DataType dtype) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        states.forEach((k, v) -> out.put(k, v.dataType() == dtype ? v : v.castTo(dtype)));
        return out;
    }

    /**
     * {@code a} as a state of layer {@code layer} ({@code [batch, ...shape]}); also accepts the per-sample
     * shape (batch 1) and {@code [batch, prod(shape)]}. {@code what} names the source in messages.
     */
    /**
     * The states that {@code --state LAYER=FILE} options give: a {@code .npy} file or {@code FILE.npz:KEY}, each checked
     * (finite, the layer's shape with a batch axis, or one sample, or flattened) and cast to {@code dtype}.
     */
    static Map<String, INDArray> readStates(Map<String, String> files, EnergyGraph graph, DataType dtype) {
        Map<String, INDArray> x = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            String what = "--state " + e.getKey() + "=" + e.getValue();
            String file = e.getValue();
            int colon = file.lastIndexOf(".npz:");
            INDArray read;
            if (colon >= 0) {
                Path npz = Path.of(file.substring(0, colon + 4));
                String key = file.substring(colon + 5);
                Map<String, INDArray> all = Npz.read(npz);
                read = all.get(key);
                if (read == null) {
                    throw new HamuxException(what + ": " + npz + " has no array '" + HamuxException.shorten(key, 40)
                            + "' (it has " + all.keySet() + ")");
                }
            } else {
                read = Npy.read(Path.of(file));
            }
            Finite.check(read, what);
            INDArray a = asState(graph, e.getKey(), read, what);
            x.put(e.getKey(), a.dataType() == dtype ? a : a.castTo(dtype));
        }
        return x;
    }

    static INDArray asState(EnergyGraph graph, String layer, INDArray a, String what) {
        if (!graph.layers().containsKey(layer)) {
            throw new HamuxException(what + ": unknown layer '" + layer + "' (layers: " + graph.layers().keySet() + ")");
        }
        long[] want = graph.layer(layer).shape();
        long[] got = a.shape();
        long size = graph.layer(layer).size();
        if (got.length == want.length + 1 && Arrays.equals(Arrays.copyOfRange(got, 1, got.length), want)) {
            return a;
        }
        if (Arrays.equals(got, want)) {
            return a.reshape('c', graph.stateShape(layer, 1));
        }
        if (got.length == 2 && got[1] == size) {
            return a.reshape('c', graph.stateShape(layer, got[0]));
        }
        throw new HamuxException(what + " has shape " + Arrays.toString(got) + "; layer '" + layer + "' needs [batch, "
                + Arrays.toString(want).substring(1));
    }
}
