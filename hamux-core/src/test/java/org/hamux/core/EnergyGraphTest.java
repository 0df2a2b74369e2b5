package org.hamux.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.Ops;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EnergyGraphTest {

    private static final Lagrangian Q = new TestComponents.Quadratic();

    @Test
    void rejectsConnectionToUnknownLayer() {
        HamuxException e = assertThrows(HamuxException.class, () -> EnergyGraph.builder()
                .layer("a", Q, 3).synapse("s", new TestComponents.Pair(1), "a", "c").build());
        assertTrue(e.getMessage().contains("unknown layer 'c'"), e.getMessage());
    }

    @Test
    void fillsTheLayersNotGivenWithZerosAndChecksTheGivenOnesInOnePlace() {
        EnergyGraph g = EnergyGraph.builder().layer("a", Q, 3).layer("b", Q, 2)
                .synapse("s", new TestComponents.Pair(1), "a", "a").build();
        Map<String, INDArray> x = g.withZeros(Map.of("a", Nd4j.ones(DataType.FLOAT, 4, 3)), DataType.FLOAT);
        assertEquals(List.of("a", "b"), List.copyOf(x.keySet()));
        assertEquals(Nd4j.zeros(DataType.FLOAT, 4, 2), x.get("b"));
        Map<String, INDArray> same = g.withZeros(EagerOps.INSTANCE, Map.of("a", Nd4j.ones(DataType.FLOAT, 4, 3)));
        assertEquals(x.get("b"), same.get("b"));
        HamuxException batch = assertThrows(HamuxException.class, () -> g.withZeros(
                ordered("a", Nd4j.ones(DataType.FLOAT, 4, 3), "b", Nd4j.ones(DataType.FLOAT, 5, 2)), DataType.FLOAT));
        assertTrue(batch.getMessage().contains("layer 'b' has batch 5 but that of layer 'a' has batch 4"), batch.getMessage());
        HamuxException shape = assertThrows(HamuxException.class,
                () -> g.withZeros(Map.of("b", Nd4j.ones(DataType.FLOAT, 4, 3)), DataType.FLOAT));
        assertTrue(shape.getMessage().contains("layer 'b' has shape [4, 3]; expected [batch, 2]"), shape.getMessage());
        HamuxException none = assertThrows(HamuxException.class, () -> g.withZeros(Map.of(), DataType.FLOAT));
        assertTrue(none.getMessage().contains("no initial state"), none.getMessage());
        HamuxException run = assertThrows(HamuxException.class, () -> Dynamics.builder().steps(1).build()
                .run(g, ordered("a", Nd4j.ones(DataType.FLOAT, 4, 3), "b", Nd4j.ones(DataType.FLOAT, 1, 2))));
        assertTrue(run.getMessage().contains("has batch 1"), run.getMessage());
    }

    private static Map<String, INDArray> ordered(String k1, INDArray v1, String k2, INDArray v2) {
        Map<String, INDArray> m = new java.util.LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @Test
    void rejectsDuplicateNames() {
        assertThrows(HamuxException.class, () -> EnergyGraph.builder().layer("a", Q, 3).layer("a", Q, 3));
        HamuxException e = assertThrows(HamuxException.class, () -> EnergyGraph.builder()
                .layer("a", Q, 3).synapse("a", new TestComponents.Pair(1), "a", "a").build());
        assertTrue(e.getMessage().contains("unique"), e.getMessage());
    }

    @Test
    void rejectsTheWrongNumberOfLayers() {
        HamuxException e = assertThrows(HamuxException.class, () -> EnergyGraph.builder()
                .layer("a", Q, 3).synapse("s", new TestComponents.Pair(1), "a").build());
        assertTrue(e.getMessage().contains("connects 2 layer(s)"), e.getMessage());
    }

    @Test
    void rejectsLayersOfShapesTheSynapseCannotJoin() {
        HamuxException e = assertThrows(HamuxException.class, () -> EnergyGraph.builder()
                .layer("a", Q, 3).layer("b", Q, 4).synapse("s", new TestComponents.Pair(1), "a", "b").build());
        assertTrue(e.getMessage().contains("[[3], [4]]"), e.getMessage());
    }

    @Test
    void aLayerInTwoSlotsGetsBothGradients() {
        // E = |x|^2/2 - |x|^2/2 ... with g = x: E_s = -w <g, g>, dE_s/dg = -2 w g
        EnergyGraph g = EnergyGraph.builder().layer("a", Q, 3).synapse("s", new TestComponents.Pair(0.25), "a", "a")
                .build().castTo(DataType.DOUBLE);
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {-1, 0, 1}});
        Map<String, INDArray> grad = g.gradient(EagerOps.INSTANCE, Map.of("a", x), Map.of("a", x));
        Numerics.assertClose(x.mul(0.5), grad.get("a"), 1e-15, 0, "x - 2 w g");
    }

    @Test
    void evaluateGivesTheEnergiesAndTheTermsOfTheGradient() {
        // a: its own term, both slots of s and the first of t; b: its own and the second of t; c: its own only
        EnergyGraph g = EnergyGraph.builder().layer("a", Q, 3).layer("b", Q, 3).layer("c", Q, 3)
                .synapse("s", new TestComponents.Pair(0.25), "a", "a").synapse("t", new TestComponents.Pair(0.5), "a", "b")
                .build().castTo(DataType.DOUBLE);
        Map<String, INDArray> x = Map.of("a", Nd4j.createFromArray(new double[][] {{1, 2, 3}, {-1, 0, 1}}),
                "b", Nd4j.createFromArray(new double[][] {{0, 1, 0}, {2, 2, -2}}),
                "c", Nd4j.createFromArray(new double[][] {{5, 6, 7}, {1, 1, 1}}));
        EagerOps o = EagerOps.INSTANCE;
        EnergyGraph.Evaluation<INDArray> ev = g.evaluate(o, x, x);
        assertEquals(List.of(4, 2, 1), List.of(ev.terms().get("a").size(), ev.terms().get("b").size(),
                ev.terms().get("c").size()));
        Map<String, INDArray> separately = g.gradient(o, x, x);
        Map<String, INDArray> summed = ev.gradient(o);
        assertEquals(separately.keySet(), summed.keySet());
        for (String l : List.of("a", "b", "c")) {
            Numerics.assertClose(separately.get(l), summed.get(l), 1e-15, 0, "dE/dg of " + l);
            Numerics.assertClose(separately.get(l), ev.gradient(o, l), 1e-15, 0, "dE/dg of " + l + " alone");
        }
        Map<String, INDArray> energies = g.energies(o, x, x);
        assertEquals(energies.keySet(), ev.parts().keySet());
        energies.forEach((part, e) -> Numerics.assertClose(e, ev.parts().get(part), 1e-15, 0, "energy of " + part));
    }

    /** Only a layer with no term of {@code dE/dg} at all gets a zero term; the others pay no pass for one. */
    @Test
    void evaluateMakesAZeroTermOnlyWhereALayerHasNone() {
        EnergyGraph g = EnergyGraph.builder().layer("a", Q, 3)
                .layer("off", new NeuronLayer(new long[] {3}, Q, 1, false, null))
                .synapse("s", new TestComponents.Pair(0.25), "a", "a").build().castTo(DataType.DOUBLE);
        INDArray v = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {-1, 0, 1}});
        int[] zeros = {0};
        @SuppressWarnings("unchecked")
        Ops<INDArray> counting = (Ops<INDArray>) Proxy.newProxyInstance(Ops.class.getClassLoader(),
                new Class<?>[] {Ops.class}, (proxy, m, args) -> {
                    if (m.getName().equals("mul") && args[1] instanceof Double d && d == 0.0
                            && ((INDArray) args[0]).rank() == 2) {                  // a zero the size of a state
                        zeros[0]++;
                    }
                    return m.invoke(EagerOps.INSTANCE, args);
                });
        EnergyGraph.Evaluation<INDArray> ev = g.evaluate(counting, Map.of("a", v, "off", v), Map.of("a", v, "off", v));
        assertEquals(1, zeros[0], "one zero term, for the layer 'off'");
        assertEquals(1, ev.terms().get("off").size());
        assertEquals(0.0, ev.terms().get("off").get(0).amaxNumber().doubleValue());
        assertEquals(3, ev.terms().get("a").size());
    }

    @Test
    void theEnergyTreeHasEveryLayerAndSynapse() {
        EnergyGraph g = EnergyGraph.builder().layer("a", Q, 2).layer("b", Q, 2)
                .synapse("s", new TestComponents.Pair(1), "a", "b").build().castTo(DataType.DOUBLE);
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        Map<String, INDArray> e = g.energies(EagerOps.INSTANCE, Map.of("a", x, "b", x), Map.of("a", x, "b", x));
        assertEquals(List.of("a", "b", "s"), List.copyOf(e.keySet()));
        // E_a = |x|^2 - |x|^2/2 = |x|^2/2, E_s = -<x, x>
        assertEquals(2.5, e.get("a").getDouble(0), 1e-12);
        assertEquals(-5.0, e.get("s").getDouble(0), 1e-12);
        assertEquals(0.0, g.energy(EagerOps.INSTANCE, Map.of("a", x, "b", x), Map.of("a", x, "b", x)).getDouble(0), 1e-12);
    }

    @Test
    void parametersHaveFlatNamesAndCanBeReplaced() {
        EnergyGraph g = EnergyGraph.builder()
                .layer("a", new NeuronLayer(new long[] {2}, Q, 1, true, Nd4j.createFromArray(1f, 2f)))
                .layer("b", Q, 2).synapse("s", new TestComponents.Pair(1), "a", "b").build();
        assertEquals(List.of("a.bias", "s.w"), List.copyOf(g.parameters().keySet()));
        EnergyGraph h = g.withParameters(Map.of("s.w", Nd4j.scalar(DataType.FLOAT, 3.0)));
        assertEquals(3.0, h.synapses().get("s").scalarParameter("w"));
        assertEquals(1.0, g.synapses().get("s").scalarParameter("w"), "the original is unchanged");
        assertThrows(HamuxException.class, () -> g.withParameters(Map.of("s.v", Nd4j.scalar(1f))));
    }

    @Test
    void aUserEnergyGetsItsGradientFromTheEngine() {
        Hypersynapse q = new TestComponents.Quartic(0.5).castTo(DataType.DOUBLE);
        INDArray g = Numerics.rng(3).normal(DataType.DOUBLE, 0, 1, 3, 4);
        INDArray expected = g.mul(g).mul(g).sub(0.5); // d/dg (g^4/4 - c g)
        Numerics.assertClose(expected, q.gradient(EagerOps.INSTANCE, List.of(g)).get(0), 1e-12, 1e-12, "the engine");
        INDArray fd = Numerics.finiteDifference(in -> q.energy(EagerOps.INSTANCE, in), List.of(g), 0, 1e-6);
        Numerics.assertClose(fd, q.gradient(EagerOps.INSTANCE, List.of(g)).get(0), 1e-6, 1e-8, "finite differences");
    }

    @Test
    void aUserEnergysGradientIsNotRecordedInSameDiffAndSaysSo() {
        Hypersynapse q = new TestComponents.Quartic(0.5);
        GraphOps o = new GraphOps(SameDiff.create(), DataType.FLOAT);
        var g = o.placeholder("g", 2, 3);
        HamuxException e = assertThrows(HamuxException.class, () -> q.gradient(o, List.of(g)));
        assertTrue(e.getMessage().contains("states only its energy") && e.getMessage().contains("GraphOps"), e.getMessage());
    }

    @Test
    void aLayerFillingTwoSlotsOfAUserEnergyGetsBothPartialDerivatives() {
        // E = -<g1, g2> through the engine, with one layer in both slots: dE/dg = -2 g
        Hypersynapse pairOnly = new Hypersynapse() {
            public String type() {
                return "pair-energy";
            }

            public int arity() {
                return 2;
            }

            public void check(List<long[]> shapes) {
            }

            public <T> T energy(org.hamux.core.ops.Ops<T> o, List<T> g) {
                return o.neg(o.dotPerSample(g.get(0), g.get(1)));
            }
        };
        EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("a", new TestComponents.Quadratic(), 4)
                .synapse("s", pairOnly, "a", "a")
                .build();
        INDArray x = Numerics.rng(5).normal(DataType.DOUBLE, 0, 1, 3, 4);
        Map<String, INDArray> g = graph.activations(EagerOps.INSTANCE, Map.of("a", x));
        INDArray d = graph.gradient(EagerOps.INSTANCE, Map.of("a", x), g).get("a");
        Numerics.assertClose(x.sub(g.get("a").mul(2)), d, 1e-12, 1e-12, "dE/dg = x - 2 g");
    }
}
