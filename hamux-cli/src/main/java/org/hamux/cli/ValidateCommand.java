package org.hamux.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.ops.EagerOps;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code hamux validate SPEC}: reads and checks a spec (and, when it has initial states, that their energy
 * is finite); prints {@code ok: <name>: N layers, M synapses, P parameters}.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Reads and checks SPEC: names, shapes, types, files; with initial states, that their energy is finite.",
            "Prints 'ok: <name>: N layers, M synapses, P parameters', or the located error (exit 2)."})
final class ValidateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec cmd;

    @Mixin
    SharedOptions options;

    @Parameters(paramLabel = "SPEC", description = "The JSON spec.")
    Path specFile;

    @Override
    public Integer call() {
        Specs.Loaded loaded = Specs.load(specFile, options);
        EnergyGraph graph = loaded.graph();
        Map<String, INDArray> initial = loaded.initial();
        if (!initial.isEmpty()) {
            checkInitialEnergy(graph, initial, loaded);
        }
        cmd.commandLine().getOut().printf("ok: %s: %d layers, %d synapses, %d parameters%n", loaded.spec().name(),
                graph.layers().size(), graph.synapses().size(), graph.parameterCount());
        cmd.commandLine().getOut().flush();
        return 0;
    }

    private void checkInitialEnergy(EnergyGraph graph, Map<String, INDArray> initial, Specs.Loaded loaded) {
        Map<String, INDArray> x;
        try {
            x = graph.withZeros(initial, loaded.dtype());
        } catch (HamuxException e) {
            throw new HamuxException(specFile + ": at $.initial.states: " + e.getMessage());
        }
        EagerOps o = EagerOps.INSTANCE;
        Map<String, INDArray> parts = graph.energies(o, x, graph.activations(o, x));
        for (var e : parts.entrySet()) {
            double[] v = e.getValue().toDoubleVector();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    String kind = graph.layers().containsKey(e.getKey()) ? "layer" : "synapse";
                    throw new HamuxException(specFile + ": the energy of " + kind + " '" + e.getKey()
                            + "' at the initial state is " + v[i] + " for sample " + i);
                }
            }
        }
    }
}
