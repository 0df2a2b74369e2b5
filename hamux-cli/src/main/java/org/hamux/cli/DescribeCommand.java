package org.hamux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.core.NeuronLayer;
import org.hamux.core.spec.Spec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hamux describe SPEC}: tables of the layers and synapses, the parameter count and the dynamics
 * settings; with {@code --dot} the hypergraph in Graphviz DOT instead.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Describes SPEC: layers, synapses, parameter counts, dynamics, initial states, retrieval.",
            "With --dot prints the hypergraph as Graphviz DOT (layers as ellipses, synapses as boxes),"
                + " e.g. hamux describe --dot spec.json | dot -Tsvg > graph.svg"})
final class DescribeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec cmd;

    @Mixin
    SharedOptions options;

    @Parameters(paramLabel = "SPEC", description = "The JSON spec.")
    Path specFile;

    @Option(names = "--dot", description = "Print the hypergraph as Graphviz DOT.")
    boolean dot;

    @Override
    public Integer call() {
        Specs.Loaded loaded = Specs.load(specFile, options);
        PrintWriter out = cmd.commandLine().getOut();
        out.print(dot ? dot(loaded.spec().name(), loaded.graph()) : text(loaded));
        out.flush();
        return 0;
    }

    static String text(Specs.Loaded loaded) {
        Spec spec = loaded.spec();
        EnergyGraph graph = loaded.graph();
        StringBuilder b = new StringBuilder();
        b.append("spec: ").append(spec.name()).append(" (").append(SharedOptions.name(loaded.dtype())).append(")\n");
        if (!spec.description().isEmpty()) {
            b.append("  ").append(spec.description()).append('\n');
        }
        Table layers = new Table("NAME", "SHAPE", "LAGRANGIAN", "TAU", "ENERGY", "BIAS", "PARAMETERS");
        graph.layers().forEach((name, l) -> layers.row(name, Arrays.toString(l.shape()), l.lagrangian(), l.tau(),
                l.energyOn() ? "on" : "off", l.hasBias() ? "yes" : "no", layerParameters(l)));
        b.append("\nlayers:\n").append(layers.render("  "));
        Table synapses = new Table("NAME", "TYPE", "LAYERS", "SYNAPSE", "PARAMETERS");
        graph.synapses().forEach((name, s) -> synapses.row(name, s.type(),
                String.join(", ", graph.connections().get(name)), s, s.parameterCount()));
        b.append("\nsynapses:\n").append(graph.synapses().isEmpty() ? "  (none)\n" : synapses.render("  "));
        b.append("\nparameters: ").append(graph.parameterCount()).append('\n');
        Dynamics d = spec.dynamics();
        b.append("dynamics:   dt ").append(d.dt()).append(", steps ").append(d.steps())
                .append(", tolerance ").append(d.tolerance() > 0 ? String.valueOf(d.tolerance()) : "off");
        List<String> clamped = graph.layers().keySet().stream().filter(d.clamped()::contains).toList();
        if (!clamped.isEmpty()) {
            b.append(", clamp ").append(clamped);
        }
        if (!d.masks().isEmpty()) {
            b.append(", masks ").append(d.masks().keySet());
        }
        b.append(d.temperature() > 0 ? ", noise temperature " + d.temperature() + " seed " + d.noiseSeed() : ", no noise");
        if (d.update() != Dynamics.Update.EULER) {
            b.append(", ").append(Dynamics.word(d.update())).append(" update of the binary layers (seed ").append(d.seed())
                    .append(")");
        }
        d.schedules().forEach((k, v) -> b.append(", ").append(k).append(' ').append(v));
        b.append('\n');
        if (spec.initial().isEmpty()) {
            b.append("initial:    none\n");
        } else {
            b.append("initial:    batch ").append(spec.initial().values().iterator().next().size(0))
                    .append(", states of ").append(spec.initial().keySet()).append('\n');
        }
        Spec.Retrieval r = spec.retrieval();
        if (r != null) {
            b.append("retrieval:  layer ").append(r.layer()).append(", ").append(r.memories().size(0))
                    .append(" memories, ").append(r.targets().length).append(" targets");
            if (r.image() != null) {
                b.append(", image ").append(Arrays.toString(r.image()));
            }
            if (r.png() != null) {
                b.append(", png ").append(r.png());
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static long layerParameters(NeuronLayer l) {
        return l.parameterCount() + l.lagrangian().parameterCount();
    }

    /**
     * The hypergraph in DOT: layers as ellipses, synapses as boxes, one edge per slot of a connection
     * (a layer connected twice gets two edges, labelled with the slot).
     */
    static String dot(String name, EnergyGraph graph) {
        StringBuilder b = new StringBuilder("graph ").append(quote(name)).append(" {\n");
        b.append("  node [fontname=\"Helvetica\"];\n");
        graph.layers().forEach((n, l) -> b.append("  ").append(quote(n)).append(" [shape=ellipse, label=")
                .append(quote(n + "\n" + Arrays.toString(l.shape()) + "\n" + l.lagrangian())).append("];\n"));
        graph.synapses().forEach((n, s) -> b.append("  ").append(quote(n)).append(" [shape=box, label=")
                .append(quote(n + "\n" + label(s))).append("];\n"));
        graph.connections().forEach((s, layers) -> {
            for (int i = 0; i < layers.size(); i++) {
                b.append("  ").append(quote(layers.get(i))).append(" -- ").append(quote(s));
                if (layers.size() > 1) {
                    b.append(" [label=\"").append(i).append("\"]");
                }
                b.append(";\n");
            }
        });
        return b.append("}\n").toString();
    }

    private static String label(Hypersynapse s) {
        return s.type() + " (" + s.parameterCount() + " parameters)";
    }

    /** A DOT string: quotes and backslashes escaped, line breaks as {@code \n}. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
