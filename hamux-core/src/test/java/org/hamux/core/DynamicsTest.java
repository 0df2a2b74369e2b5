package org.hamux.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hamux.core.testing.GraphChecks;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DynamicsTest {

    /** Two tanh layers coupled by a pair synapse, and a quartic user energy on the first. */
    private static EnergyGraph graph() {
        return EnergyGraph.builder()
                .layer("a", new NeuronLayer(new long[] {4}, new TestComponents.LogCosh(), 1.0, true,
                        Nd4j.createFromArray(0.1f, -0.2f, 0.3f, 0f)))
                .layer("b", new NeuronLayer(new long[] {4}, new TestComponents.LogCosh(), 2.0, true, null))
                .synapse("ab", new TestComponents.Pair(0.8), "a", "b")
                .synapse("q", new TestComponents.Quartic(0.5), "a")
                .build();
    }

    private static Map<String, INDArray> start() {
        return GraphChecks.randomStates(graph(), 3, 1.0, 7);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.05, 0.2})
    void energyNeverIncreases(double dt) {
        Dynamics.Result r = GraphChecks.assertEnergyNeverIncreases(graph(), start(), Dynamics.builder().dt(dt).steps(80).build());
        assertTrue(r.lastEnergy() < r.firstEnergy());
    }

    @Test
    void energyNeverIncreasesWithAClampedLayerAndAMask() {
        INDArray mask = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0);
        GraphChecks.assertEnergyNeverIncreases(graph(), start(),
                Dynamics.builder().dt(0.05).steps(80).clamp("b").build());
        GraphChecks.assertEnergyNeverIncreases(graph(), start(),
                Dynamics.builder().dt(0.05).steps(80).mask("a", mask).build());
    }

    @Test
    void gradientOfTheWholeGraphMatchesAutodiffAndFiniteDifferences() {
        GraphChecks.assertGradientMatchesAutodiff(graph(), start(), 1e-8);
        GraphChecks.assertGradientMatchesFiniteDifferences(graph(), start(), 1e-6);
    }

    @Test
    void clampedLayerDoesNotMove() {
        Map<String, INDArray> x0 = start();
        Dynamics.Result r = Dynamics.builder().steps(20).clamp("b").build().run(graph().castTo(DataType.DOUBLE), x0);
        assertEquals(x0.get("b"), r.states().get("b"));
        assertNotEquals(x0.get("a"), r.states().get("a"));
    }

    @Test
    void maskedNeuronsDoNotMoveAndTheOthersDo() {
        Map<String, INDArray> x0 = start();
        INDArray mask = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0);
        Dynamics.Result r = Dynamics.builder().steps(20).mask("a", mask).build().run(graph().castTo(DataType.DOUBLE), x0);
        INDArray a0 = x0.get("a");
        INDArray a1 = r.states().get("a");
        for (int b = 0; b < 3; b++) {
            assertEquals(a0.getDouble(b, 0), a1.getDouble(b, 0), 0.0);
            assertEquals(a0.getDouble(b, 2), a1.getDouble(b, 2), 0.0);
            assertNotEquals(a0.getDouble(b, 1), a1.getDouble(b, 1));
        }
    }

    @Test
    void toleranceStopsTheRunWhenTheStateSettles() {
        Dynamics.Result r = Dynamics.builder().dt(0.2).steps(10_000).tolerance(1e-6).build()
                .run(graph().castTo(DataType.DOUBLE), start());
        assertTrue(r.converged());
        assertTrue(r.steps() < 10_000, "steps " + r.steps());
        assertEquals(r.steps() + 1, r.energyTrace().size());
    }

    @Test
    void theFixedPointHasNoForce() {
        EnergyGraph g = graph().castTo(DataType.DOUBLE);
        Dynamics.Result r = Dynamics.builder().dt(0.2).steps(20_000).tolerance(1e-12).build().run(g, start());
        Map<String, INDArray> grad = g.gradient(org.hamux.core.ops.EagerOps.INSTANCE, r.states(), r.activations());
        grad.forEach((k, v) -> assertTrue(v.amaxNumber().doubleValue() < 1e-9, k + ": " + v));
    }

    @Test
    void noiseIsReproducibleFromItsSeed() {
        EnergyGraph g = graph().castTo(DataType.DOUBLE);
        Dynamics d = Dynamics.builder().steps(10).noise(0.1, 42).build();
        INDArray one = d.run(g, start()).states().get("a");
        INDArray two = d.run(g, start()).states().get("a");
        INDArray other = d.toBuilder().noise(0.1, 43).build().run(g, start()).states().get("a");
        INDArray quiet = Dynamics.builder().steps(10).build().run(g, start()).states().get("a");
        assertEquals(one, two);
        assertNotEquals(one, other);
        assertNotEquals(one, quiet);
    }

    @Test
    void listenerSeesEveryStep() {
        List<Integer> steps = new ArrayList<>();
        Dynamics.builder().steps(7).listener((s, e, x, dx) -> steps.add(s)).build().run(graph(), castFloat(start()));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), steps);
    }

    @Test
    void runsOnOneThreadReuseTheArraysOfTheirStepsAndAgree() {
        Dynamics d = Dynamics.builder().steps(20).build();
        Map<String, INDArray> x0 = castFloat(start());
        Dynamics.Result first = d.run(graph(), x0);
        // a graph with other shapes in between takes the places of the kept arrays
        EnergyGraph wide = EnergyGraph.builder()
                .layer("a", new TestComponents.LogCosh(), 6)
                .synapse("q", new TestComponents.Quartic(0.5), "a")
                .build();
        d.run(wide, GraphChecks.randomStates(wide, 5, 1.0, 3));
        Dynamics.Result again = d.run(graph(), x0);
        // and a run from a listener, between two steps of another run
        List<Dynamics.Result> inner = new ArrayList<>();
        Dynamics.Result outer = d.toBuilder().listener((s, e, x, dx) -> {
            if (s == 3) {
                inner.add(d.run(graph(), x0));
            }
        }).build().run(graph(), x0);
        for (Dynamics.Result r : List.of(again, outer, inner.get(0))) {
            assertEquals(first.states(), r.states());
            assertEquals(first.activations(), r.activations());
            for (int i = 0; i < first.energyTrace().size(); i++) {
                assertArrayEquals(first.energyTrace().get(i), r.energyTrace().get(i));
            }
        }
    }

    @Test
    void theEnergiesOfAViewAreReadWhereTheViewLies() {
        for (DataType t : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            INDArray m = Nd4j.arange(12).castTo(t).reshape(3, 4);
            assertArrayEquals(new double[] {2, 6, 10}, Dynamics.values(m.getColumn(2)), t + " column (offset, stride)");
            assertArrayEquals(new double[] {4, 5, 6, 7}, Dynamics.values(m.getRow(1)), t + " row (offset)");
            assertArrayEquals(new double[] {0, 4, 8}, Dynamics.values(m.getColumn(0)), t + " column (stride)");
            assertArrayEquals(new double[] {4, 5, 6}, Dynamics.values(m.reshape(12).get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 7)).reshape(3)), t + " reshaped range");
            assertArrayEquals(new double[] {5, 9}, Dynamics.values(m.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3), org.nd4j.linalg.indexing.NDArrayIndex.point(1))),
                    t + " part of a column");
        }
    }

    @Test
    void floatRunFollowsTheDoubleRun() {
        Dynamics d = Dynamics.builder().steps(30).build();
        INDArray f = d.run(graph(), castFloat(start())).states().get("b");
        INDArray x = d.run(graph().castTo(DataType.DOUBLE), start()).states().get("b");
        Numerics.assertClose(x, f, 1e-4, 1e-5, "float32 vs float64 dynamics");
    }

    @Test
    void aLayerWithItsEnergyOffFollowsTheSynapsesAlone() {
        // ET style: x <- x - dt dE_syn/dg, no leak
        EnergyGraph g = EnergyGraph.builder()
                .layer("a", new NeuronLayer(new long[] {4}, new TestComponents.Quadratic(), 1.0, false, null))
                .synapse("q", new TestComponents.Quartic(0.5), "a")
                .build().castTo(DataType.DOUBLE);
        INDArray x0 = Nd4j.createFromArray(new double[][] {{0.1, 0.2, -0.3, 1.5}, {0.0, 0.5, 1.0, -1.0}});
        Dynamics.Result r = Dynamics.builder().dt(0.1).steps(1).build().run(g, Map.of("a", x0));
        INDArray expected = x0.sub(x0.mul(x0).mul(x0).sub(0.5).mul(0.1)); // dE/dg = g^3 - c
        Numerics.assertClose(expected, r.states().get("a"), 1e-12, 1e-12, "one ET-style step");
    }

    @Test
    void aStateThatBlowsUpIsReportedWithItsStep() {
        EnergyGraph g = EnergyGraph.builder()
                .layer("a", new TestComponents.Quadratic(), 4)
                .layer("b", new TestComponents.Quadratic(), 4)
                .synapse("ab", new TestComponents.Pair(50.0), "a", "b")
                .build();
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Dynamics.builder().dt(1.0).steps(2000).build().run(g, castFloat(start())));
        assertTrue(e.getMessage().contains("at step"), e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void rejectsAnInitialStateOfTheWrongShape() {
        HamuxException e = assertThrows(HamuxException.class,
                () -> Dynamics.builder().build().run(graph(), Map.of("a", Nd4j.zeros(DataType.FLOAT, 3, 5))));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("[3, 5]"), e.getMessage());
    }

    @Test
    void rejectsNonPositiveStepsAndTau() {
        assertThrows(HamuxException.class, () -> Dynamics.builder().dt(0));
        assertThrows(HamuxException.class, () -> Dynamics.builder().dt(-0.1));
        assertThrows(HamuxException.class, () -> new NeuronLayer(new long[] {2}, new TestComponents.Quadratic(), 0, true, null));
    }

    private static Map<String, INDArray> castFloat(Map<String, INDArray> x) {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        x.forEach((k, v) -> out.put(k, v.castTo(DataType.FLOAT)));
        return out;
    }
}
