package org.hamux.core.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Component;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.NeuronLayer;
import org.hamux.core.io.AtomicFile;
import org.hamux.core.io.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a graph (and its dynamics) as a JSON spec that {@link SpecReader} reads back into an equal
 * graph. Scalar parameters are written inline; arrays of up to {@value #INLINE_MAX} elements inline,
 * larger ones into {@code <spec>.params.npz} beside the spec. Both files are written whole or not at all.
 */
public final class SpecWriter {

    /** Arrays up to this many elements are written inline in the JSON. */
    public static final int INLINE_MAX = 64;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpecWriter() {
    }

    /** Writes {@code graph} and {@code dynamics} (may be null) to {@code file}. */
    public static void write(Path file, String name, EnergyGraph graph, Dynamics dynamics) {
        String base = file.getFileName().toString().replaceFirst("\\.json$", "");
        String npzName = base + ".params.npz";
        Map<String, INDArray> external = new LinkedHashMap<>();
        ObjectNode root = JSON.createObjectNode();
        root.put("hamux", SpecReader.VERSION);
        root.put("name", name);
        DataType dtype = graph.parameters().values().stream().map(INDArray::dataType).findFirst().orElse(DataType.FLOAT);
        root.put("dtype", dtype == DataType.DOUBLE ? "float64" : "float32");
        ObjectNode layers = root.putObject("layers");
        graph.layers().forEach((ln, layer) -> {
            ObjectNode o = layers.putObject(ln);
            ArrayNode shape = o.putArray("shape");
            for (long d : layer.shape()) {
                shape.add(d);
            }
            o.set("lagrangian", component(layer.lagrangian(), ln, npzName, external));
            o.put("tau", layer.tau());
            o.put("energy", layer.energyOn());
            if (layer.hasBias()) {
                o.set("bias", array(layer.parameter("bias"), ln + ".bias", npzName, external));
            }
        });
        ObjectNode synapses = root.putObject("synapses");
        graph.synapses().forEach((sn, s) -> synapses.set(sn, component(s, sn, npzName, external)));
        ArrayNode conns = root.putArray("connections");
        graph.connections().forEach((sn, ls) -> {
            ObjectNode c = conns.addObject();
            c.put("synapse", sn);
            ArrayNode a = c.putArray("layers");
            ls.forEach(a::add);
        });
        if (dynamics != null) {
            ObjectNode d = root.putObject("dynamics");
            d.put("dt", dynamics.dt());
            d.put("steps", dynamics.steps());
            d.put("tolerance", dynamics.tolerance());
            if (dynamics.update() != Dynamics.Update.EULER) {
                d.put("update", Dynamics.word(dynamics.update()));
                d.put("seed", dynamics.seed());
            }
            if (dynamics.update() == Dynamics.Update.DOPRI5) {
                d.put("rtol", dynamics.relativeTolerance());
                d.put("atol", dynamics.absoluteTolerance());
            }
            if (!dynamics.clamped().isEmpty()) {
                ArrayNode c = d.putArray("clamp");
                graph.layers().keySet().stream().filter(dynamics.clamped()::contains).forEach(c::add);
            }
            if (!dynamics.masks().isEmpty()) {
                ObjectNode m = d.putObject("masks");
                dynamics.masks().forEach((k, v) -> m.set(k, array(v, "masks." + k, npzName, external)));
            }
            if (!dynamics.schedules().isEmpty()) {
                ObjectNode sc = d.putObject("schedules");
                dynamics.schedules().forEach((k, v) -> {
                    ObjectNode o = sc.putObject(k);
                    double[] values = v.values();
                    if (v.shape() == org.hamux.core.StepSchedule.Shape.VALUES) {
                        ArrayNode a = o.putArray("values");
                        for (double x : values) {
                            a.add(x);
                        }
                    } else {
                        o.put("shape", v.word());
                        o.put("from", values[0]);
                        o.put("to", values[1]);
                    }
                });
            }
            if (dynamics.temperature() > 0) {
                ObjectNode n = d.putObject("noise");
                n.put("temperature", dynamics.temperature());
                n.put("seed", dynamics.noiseSeed());
            }
        }
        if (!external.isEmpty()) {
            Npz.write(file.resolveSibling(npzName), external);
        }
        try {
            AtomicFile.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"type": ..., hyperparameters, scalar parameters, "params": {arrays}}}. */
    static ObjectNode component(Component c, String owner, String npzName, Map<String, INDArray> external) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", c.type());
        c.hyperparameters().forEach((k, v) -> o.set(k, JSON.valueToTree(v)));
        ObjectNode params = null;
        for (var e : c.parameters().entrySet()) {
            if (c instanceof NeuronLayer) {
                continue;
            }
            INDArray a = e.getValue();
            if (a.rank() == 0) {
                o.put(e.getKey(), a.getDouble(0));
            } else {
                if (params == null) {
                    params = o.putObject("params");
                }
                params.set(e.getKey(), array(a, owner + "." + e.getKey(), npzName, external));
            }
        }
        return o;
    }

    private static com.fasterxml.jackson.databind.JsonNode array(INDArray a, String key, String npzName,
                                                                 Map<String, INDArray> external) {
        if (a.length() > INLINE_MAX) {
            external.put(key, a);
            return JSON.getNodeFactory().textNode(npzName + ":" + key);
        }
        return nested(a.castTo(DataType.DOUBLE), 0, new long[a.rank()]);
    }

    private static com.fasterxml.jackson.databind.JsonNode nested(INDArray a, int dim, long[] idx) {
        if (a.rank() == 0) {
            return JSON.getNodeFactory().numberNode(a.getDouble(0));
        }
        ArrayNode n = JSON.createArrayNode();
        for (long i = 0; i < a.size(dim); i++) {
            idx[dim] = i;
            if (dim == a.rank() - 1) {
                n.add(a.getDouble(idx));
            } else {
                n.add(nested(a, dim + 1, idx));
            }
        }
        return n;
    }
}
