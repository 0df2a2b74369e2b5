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
        for (String w : unboundedWarnings(graph)) {
            cmd.commandLine().getErr().println("warning: " + specFile + ": " + w);
        }
        cmd.commandLine().getErr().flush();
        cmd.commandLine().getOut().printf("ok: %s: %d layers, %d synapses, %d parameters%n", loaded.spec().name(),
                graph.layers().size(), graph.synapses().size(), graph.parameterCount());
        cmd.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Whether the energy is bounded below, probed along the way the dynamics goes ({@code -dE/dg}) from three seeded
     * random states, scaled by 1, 10, 100 and 1000: an energy that falls at each scale, and by 1000 is far below where
     * it started (or is -inf), is unbounded below and the states can run away. One warning naming the layers whose own energy is off, the synapse
     * that falls most and the fixes; none when bounded.
     */
    static java.util.List<String> unboundedWarnings(EnergyGraph graph) {
        EagerOps o = EagerOps.INSTANCE;
        EnergyGraph g64 = graph.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        for (long seed = 1; seed <= 3; seed++) {
            org.hamux.core.Rng rng = new org.hamux.core.Rng(seed);
            Map<String, INDArray> start = new LinkedHashMap<>();
            graph.layers().forEach((name, l) -> start.put(name, rng.normal(org.nd4j.linalg.api.buffer.DataType.DOUBLE,
                    0, 1, graph.stateShape(name, 1))));
            // the way the dynamics goes from a random state, -dE/dg, followed out to a thousand times its length
            Map<String, INDArray> downhill = g64.gradient(o, start, g64.activations(o, start));
            Map<String, INDArray> direction = new LinkedHashMap<>();
            downhill.forEach((name, v) -> direction.put(name, v.norm2Number().doubleValue() > 0 ? v.neg() : start.get(name)));
            double[] e = new double[4];
            Map<String, INDArray> parts = null;
            for (int k = 0; k < 4; k++) {
                double scale = Math.pow(10, k);
                Map<String, INDArray> x = new LinkedHashMap<>();
                direction.forEach((name, v) -> x.put(name, v.mul(scale)));
                parts = g64.energies(o, x, g64.activations(o, x));
                e[k] = parts.values().stream().mapToDouble(p -> p.getDouble(0)).sum();
            }
            boolean falling = e[1] < e[0] && e[2] < e[1] && (e[3] < e[2] || e[3] == Double.NEGATIVE_INFINITY);
            if (falling && (e[3] == Double.NEGATIVE_INFINITY || e[3] < e[0] - 100 * (1 + Math.abs(e[0])))) {
                String lowest = parts.entrySet().stream().min(java.util.Comparator.comparingDouble(p -> p.getValue().getDouble(0)))
                        .map(Map.Entry::getKey).orElse("?");
                java.util.List<String> off = graph.layers().entrySet().stream().filter(l -> !l.getValue().energyOn())
                        .map(Map.Entry::getKey).toList();
                return java.util.List.of(String.format(java.util.Locale.ROOT, "the energy is unbounded below: along a random"
                        + " direction of the states it falls from %.3g to %.3g as they grow 1000 times ('%s' falls most)%s; the"
                        + " states can run away. Turn the layers' own energy on, give them a bounded Lagrangian (tanh, sigmoid,"
                        + " softmax, layernorm, spherical), or use a memory with the distance similarity", e[0], e[3], lowest,
                        off.isEmpty() ? "" : "; layer(s) " + off + " have their own energy off"));
            }
        }
        return java.util.List.of();
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
