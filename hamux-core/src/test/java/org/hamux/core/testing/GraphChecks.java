package org.hamux.core.testing;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.ops.SameDiffGradients;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.GraphOps.Sym;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checks of a whole graph, in double precision: its gradient, and its energy along the dynamics. */
public final class GraphChecks {

    private GraphChecks() {
    }

    /** Random states {@code N(0, std^2)} for every layer of {@code graph}, in double precision. */
    public static Map<String, INDArray> randomStates(EnergyGraph graph, long batch, double std, long salt) {
        Map<String, INDArray> x = new LinkedHashMap<>();
        int i = 0;
        for (String name : graph.layers().keySet()) {
            x.put(name, Numerics.rng(salt + i++).normal(DataType.DOUBLE, 0, std, graph.stateShape(name, batch)));
        }
        return x;
    }

    /**
     * {@code graph.gradient} (closed forms) equals SameDiff autodiff of the total energy with respect to
     * every activation, the states held fixed.
     */
    public static void assertGradientMatchesAutodiff(EnergyGraph graph, Map<String, INDArray> x, double rtol) {
        EnergyGraph g64 = graph.castTo(DataType.DOUBLE);
        Map<String, INDArray> g = g64.activations(EagerOps.INSTANCE, x);
        Map<String, INDArray> closed = g64.gradient(EagerOps.INSTANCE, x, g);
        List<String> names = new ArrayList<>(g.keySet());
        List<INDArray> auto = SameDiffGradients.gradients(in -> {
            GraphOps o = new GraphOps(in.get(0).v().getSameDiff(), DataType.DOUBLE);
            Map<String, Sym> xs = new LinkedHashMap<>();
            Map<String, Sym> gs = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                INDArray xi = x.get(names.get(i));
                xs.put(names.get(i), o.of(o.sameDiff().constant(xi), xi.shape()));
                gs.put(names.get(i), in.get(i));
            }
            return g64.energy(o, xs, gs);
        }, names.stream().map(g::get).toList());
        for (int i = 0; i < names.size(); i++) {
            assertClose(auto.get(i), closed.get(names.get(i)), rtol, 1e-10,
                    "dE/dg of layer '" + names.get(i) + "' vs SameDiff autodiff");
        }
    }

    /** {@code graph.gradient} equals central finite differences of the total energy in every activation. */
    public static void assertGradientMatchesFiniteDifferences(EnergyGraph graph, Map<String, INDArray> x, double rtol) {
        EnergyGraph g64 = graph.castTo(DataType.DOUBLE);
        Map<String, INDArray> g = g64.activations(EagerOps.INSTANCE, x);
        Map<String, INDArray> closed = g64.gradient(EagerOps.INSTANCE, x, g);
        List<String> names = new ArrayList<>(g.keySet());
        List<INDArray> gs = names.stream().map(g::get).toList();
        for (int i = 0; i < names.size(); i++) {
            INDArray fd = Numerics.finiteDifference(in -> {
                Map<String, INDArray> gm = new LinkedHashMap<>();
                for (int j = 0; j < names.size(); j++) {
                    gm.put(names.get(j), in.get(j));
                }
                return g64.energy(EagerOps.INSTANCE, x, gm);
            }, gs, i, 1e-6);
            assertClose(fd, closed.get(names.get(i)), rtol, 1e-7,
                    "dE/dg of layer '" + names.get(i) + "' vs finite differences");
        }
    }

    /**
     * Runs {@code dynamics} on {@code graph} in double precision from {@code x0} and fails at the first step
     * where the total energy of a sample rises by more than {@code 1e-9} relative.
     */
    public static Dynamics.Result assertEnergyNeverIncreases(EnergyGraph graph, Map<String, INDArray> x0, Dynamics dynamics) {
        Map<String, INDArray> x = new LinkedHashMap<>();
        x0.forEach((k, v) -> x.put(k, v.castTo(DataType.DOUBLE)));
        Dynamics.Result r = dynamics.run(graph.castTo(DataType.DOUBLE), x);
        List<double[]> t = r.energyTrace();
        for (int s = 1; s < t.size(); s++) {
            for (int b = 0; b < t.get(s).length; b++) {
                double before = t.get(s - 1)[b];
                double after = t.get(s)[b];
                assertTrue(after <= before + 1e-9 * Math.max(1, Math.abs(before)),
                        "energy of sample " + b + " rose at step " + s + ": " + before + " -> " + after
                                + " (dt " + dynamics.dt() + ")");
            }
        }
        return r;
    }

    /**
     * {@code graph} written as a JSON spec ({@code SpecWriter}) and read back ({@code SpecReader}, the standard registry)
     * is equal to it: every type, setting and parameter survives the round trip. Components whose type the registry
     * does not know (test components, lambdas) are not checked.
     */
    public static void assertJsonRoundTrip(EnergyGraph graph, java.nio.file.Path dir) {
        org.hamux.core.spec.Registry r = org.hamux.core.spec.Registry.standard();
        boolean known = graph.synapses().values().stream().allMatch(s -> r.synapseTypes().containsKey(s.type()))
                && graph.layers().values().stream().allMatch(l -> r.lagrangianTypes().containsKey(l.lagrangian().type()));
        if (!known) {
            return;
        }
        graph.layers().values().forEach(l -> assertDeclared(l.lagrangian(), r.lagrangianTypes().get(l.lagrangian().type())));
        graph.synapses().values().forEach(s -> assertDeclared(s, r.synapseTypes().get(s.type())));
        java.nio.file.Path file = dir.resolve("round-trip.json");
        org.hamux.core.spec.SpecWriter.write(file, "round-trip", graph, null);
        EnergyGraph back = org.hamux.core.spec.SpecReader.read(file).graph();
        org.junit.jupiter.api.Assertions.assertEquals(graph, back, "the graph read back from " + file);
    }

    /**
     * Every setting {@code c} writes and every parameter it holds is declared by its type, so that the spec reader,
     * {@code hamux types} and the JSON Schema know it.
     */
    public static void assertDeclared(org.hamux.core.Component c, org.hamux.core.spec.ComponentType<?> type) {
        java.util.Set<String> settings = new java.util.HashSet<>();
        type.settings().forEach(k -> settings.add(k.name()));
        for (String k : c.hyperparameters().keySet()) {
            org.junit.jupiter.api.Assertions.assertTrue(settings.contains(k), c + " writes setting '" + k
                    + "', which type " + type + " does not declare (it declares " + settings + ")");
        }
        java.util.Set<String> params = new java.util.HashSet<>();
        type.params().forEach(p -> params.add(p.name()));
        for (String p : c.parameters().keySet()) {
            org.junit.jupiter.api.Assertions.assertTrue(params.contains(p) || type.paramFamily() != null, c
                    + " holds parameter '" + p + "', which type " + type + " does not declare (it declares " + params + ")");
        }
    }
}
