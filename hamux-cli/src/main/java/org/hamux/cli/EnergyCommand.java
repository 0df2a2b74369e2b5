package org.hamux.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hamux.core.DivergenceException;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Finite;
import org.hamux.core.HamuxException;
import org.hamux.core.MemoryBudget;
import org.hamux.core.io.Npy;
import org.hamux.core.ops.EagerOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hamux energy SPEC}: the energy of every layer and synapse for given states, per sample, as JSON
 * {@code {"total": [...], "layers": {name: [...]}, "synapses": {name: [...]}}}; optionally {@code dE/dg}
 * of every layer as {@code .npy} files.
 */
@Command(name = "energy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Prints the energy of every layer and synapse of SPEC, per sample, as JSON:",
            "{\"total\": [...], \"layers\": {\"v\": [...]}, \"synapses\": {\"mem\": [...]}}; total = sum of the parts.",
            "States come from --state files, else from the spec's \"initial\"; layers not given are zero."})
final class EnergyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandSpec cmd;

    @Mixin
    SharedOptions options;

    @Parameters(paramLabel = "SPEC", description = "The JSON spec.")
    Path specFile;

    @Option(names = "--state", paramLabel = "LAYER=FILE",
            description = "State x of LAYER from a .npy file or FILE.npz:KEY ([batch, ...shape]); repeatable.")
    Map<String, String> stateFiles = new LinkedHashMap<>();

    @Option(names = "--grad-out", paramLabel = "DIR", description = "Write DIR/<layer>.npy = dE/dg of every layer.")
    Path gradOut;

    @Override
    public Integer call() throws JsonProcessingException {
        Specs.Loaded loaded = Specs.load(specFile, options);
        EnergyGraph graph = loaded.graph();
        DataType dtype = loaded.dtype();
        Map<String, INDArray> given = stateFiles.isEmpty() ? loaded.initial() : Specs.readStates(stateFiles, graph, dtype);
        if (given.isEmpty()) {
            throw new HamuxException(specFile + ": no states: give --state LAYER=FILE.npy or add \"initial\" to the spec");
        }
        Map<String, INDArray> x = graph.withZeros(given, dtype);
        long batch = x.values().iterator().next().size(0);
        EagerOps o = EagerOps.INSTANCE;
        Map<String, INDArray> g = graph.activations(o, x);
        Map<String, INDArray> parts = graph.energies(o, x, g);

        boolean single = dtype != DataType.DOUBLE;
        double[] total = new double[(int) batch];
        ObjectNode root = JSON.createObjectNode();
        ArrayNode totalNode = root.putArray("total");
        ObjectNode layers = root.putObject("layers");
        ObjectNode synapses = root.putObject("synapses");
        for (var e : parts.entrySet()) {
            double[] v = e.getValue().toDoubleVector();
            ArrayNode a = (graph.layers().containsKey(e.getKey()) ? layers : synapses).putArray(e.getKey());
            for (int i = 0; i < v.length; i++) {
                total[i] += v[i];
                add(a, v[i], single);
            }
        }
        for (double t : total) {
            add(totalNode, t, single);
        }
        for (var e : parts.entrySet()) {
            String bad = Finite.firstBad(e.getValue());
            if (bad != null) {
                throw new DivergenceException(specFile + ": the energy of " + (graph.layers().containsKey(e.getKey())
                        ? "layer '" : "synapse '") + e.getKey() + "' is " + bad.replace(" at index [", " for sample [")
                        + " at the given states: check the states and the parameters");
            }
        }
        List<String> written = new ArrayList<>();
        if (gradOut != null) {
            try {
                for (var e : graph.gradient(o, x, g).entrySet()) {
                    Path file = gradOut.resolve(e.getKey() + ".npy");
                    Npy.write(file, e.getValue());
                    written.add(file.toString());
                }
            } catch (HamuxException e) {
                throw new OutputFailure(e.getMessage(), e);
            }
        }
        PrintWriter stdout = cmd.commandLine().getOut();
        stdout.println(JSON.writeValueAsString(root));
        stdout.flush();
        PrintWriter stderr = cmd.commandLine().getErr();
        written.forEach(f -> stderr.println("wrote " + f));
        stderr.flush();
        return 0;
    }

    /** Float32 results print as floats (no spurious digits), float64 with full precision. */
    private static void add(ArrayNode a, double v, boolean single) {
        if (single) {
            a.add((float) v);
        } else {
            a.add(v);
        }
    }
}
