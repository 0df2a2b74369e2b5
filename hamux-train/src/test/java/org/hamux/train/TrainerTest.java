package org.hamux.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.NeuronLayer;
import org.hamux.core.TestComponents;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class TrainerTest {

    @TempDir
    Path dir;

    /** in (quadratic, clamped) --pair(w)--> out (logcosh, bias): out should relax to tanh(0.7 in + 0.2). */
    private static EnergyGraph graph() {
        return EnergyGraph.builder()
                .layer("in", new TestComponents.Quadratic(), 3)
                .layer("out", new NeuronLayer(new long[] {3}, new TestComponents.LogCosh(), 1.0, true,
                        Nd4j.zeros(DataType.FLOAT, 3)))
                .synapse("p", new TestComponents.Pair(0.1), "in", "out")
                .build();
    }

    private static Dataset data(long salt, int n) {
        INDArray x = Numerics.rng(salt).normal(DataType.FLOAT, 0, 1, n, 3);
        INDArray y = Transforms.tanh(x.mul(0.7).add(0.2), true);
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        return new Dataset(m, "test data");
    }

    private static Training training(int epochs, Optimizer.Settings opt) {
        return Training.builder().train("p.w", "out.bias").input("in", "x").clamp("in").steps(6).dt(0.5)
                .loss(Loss.mse("out", Loss.Of.ACTIVATION, "y")).optimizer(opt).batch(16).epochs(epochs).seed(7)
                .schedule(new Schedule("cosine", 2, 0.1)).clip(5).build();
    }

    @Test
    void trainingLowersTheLossOnASmallProblem() {
        Dataset train = data(1, 64);
        Dataset test = data(2, 32);
        EnergyGraph g = graph();
        for (Optimizer.Settings opt : List.of(Optimizer.Settings.adam(0.05), Optimizer.Settings.sgd(0.5, 0.9),
                Optimizer.Settings.adamw(0.05, 0.01))) {
            Training t = training(6, opt);
            double before = Trainer.evaluate(g, t, test).loss();
            Trainer.Result r = new Trainer(g, t).fit(train, test, null, false, null);
            double after = Trainer.evaluate(r.graph(), t, test).loss();
            assertTrue(after < 0.7 * before, opt.type() + ": test loss " + before + " -> " + after);
            assertEquals(after, r.history().get(r.history().size() - 1).testLoss(), 1e-5);
            assertTrue(r.graph().parameters().get("p.w").getDouble(0) > 0.3, "w grows towards 0.7");
        }
    }

    @Test
    void aResumedRunGivesTheSameParametersAsAnUninterruptedOne() {
        Dataset train = data(3, 48);
        Optimizer.Settings adam = Optimizer.Settings.adam(0.05);
        Trainer.Result whole = new Trainer(graph(), training(3, adam)).fit(train, null, dir.resolve("whole"), false, null);

        Path part = dir.resolve("part");
        new Trainer(graph(), training(1, adam)).fit(train, null, part, false, null);
        assertEquals(1, Checkpoint.read(part).epoch());
        Trainer.Result resumed = new Trainer(graph(), training(3, adam)).fit(train, null, part, true, null);

        assertEquals(3, resumed.history().size());
        whole.graph().parameters().forEach((k, v) -> assertEquals(v, resumed.graph().parameters().get(k), k));
        assertEquals(whole.graph().parameters().get("p.w"), Checkpoint.parameters(part).get("p.w"));
        assertEquals(whole.graph(), graph().withParameters(Checkpoint.parameters(dir.resolve("whole"))));
    }

    @Test
    void aResumedRunWithLangevinNoiseDrawsTheSameNoise() {
        Dataset train = data(3, 48);
        Optimizer.Settings adam = Optimizer.Settings.adam(0.05);
        Training noisy = training(3, adam).toBuilder().noise(0.2, 5).build();
        Trainer.Result whole = new Trainer(graph(), noisy).fit(train, null, dir.resolve("whole"), false, null);
        Path part = dir.resolve("part");
        new Trainer(graph(), noisy.toBuilder().epochs(1).build()).fit(train, null, part, false, null);
        Trainer.Result resumed = new Trainer(graph(), noisy).fit(train, null, part, true, null);
        whole.graph().parameters().forEach((k, v) -> assertEquals(v, resumed.graph().parameters().get(k), k));
        Trainer.Result quiet = new Trainer(graph(), training(3, adam)).fit(train, null, null, false, null);
        assertTrue(Math.abs(quiet.history().get(2).trainLoss() - whole.history().get(2).trainLoss()) > 1e-6,
                "the noise changes the training: " + quiet.history() + " vs " + whole.history());
    }

    @Test
    void resumingWithoutACheckpointSaysSo() {
        HamuxException e = assertThrows(HamuxException.class, () -> new Trainer(graph(), training(1,
                Optimizer.Settings.adam(0.01))).fit(data(4, 16), null, dir.resolve("none"), true, null));
        assertTrue(e.getMessage().contains("checkpoint.npz does not exist"), e.getMessage());
    }

    @Test
    void anEnergyOnlySynapseTrainsThroughTheDynamics() {
        // E = sum g^4/4 - c sum g: the state relaxes towards g^3 + x = c, so c sets where it ends
        EnergyGraph g = EnergyGraph.builder()
                .layer("v", new TestComponents.Quadratic(), 3)
                .synapse("q", new TestComponents.Quartic(0.0), "v")
                .build();
        Training t = Training.builder().train("q.c").input("v", "x").steps(8).dt(0.3)
                .loss(Loss.mse("v", Loss.Of.STATE, "y")).optimizer(Optimizer.Settings.adam(0.05)).batch(16).epochs(40)
                .build();
        INDArray x = Numerics.rng(8).normal(DataType.FLOAT, 0, 0.1, 32, 3);
        Dataset d = new Dataset(Map.of("x", x, "y", Nd4j.valueArrayOf(new long[] {32, 3}, 0.5, DataType.FLOAT)), "relax to 0.5");
        double before = Trainer.evaluate(g, t, d).loss();
        EnergyGraph trained = new Trainer(g, t).fit(d, null, null, false, null).graph();
        double after = Trainer.evaluate(trained, t, d).loss();
        assertTrue(after < 0.05 * before, before + " -> " + after);
        assertTrue(trained.synapses().get("q").scalarParameter("c") > 0.3, "c " + trained.synapses().get("q"));
    }

    @Test
    void anUnknownParameterIsNamedWithTheKnownOnes() {
        Training t = Training.builder().train("p.W").input("in", "x").loss(Loss.mse("out", Loss.Of.STATE, "y")).build();
        HamuxException e = assertThrows(HamuxException.class, () -> new Trainer(graph(), t));
        assertEquals("unknown parameter 'p.W' to train (the graph has [out.bias, p.w])", e.getMessage());
    }

    @Test
    void aUserWrittenLossTrainsLikeABuiltIn() {
        Loss l1 = Loss.custom("l1ish", "out", Loss.Of.ACTIVATION, "y", new Loss.PerSample() {
            @Override
            public <T> T apply(org.hamux.core.ops.Ops<T> o, T out, T y) {
                return o.sumPerSample(o.sqrt(o.add(o.square(o.sub(out, y)), 1e-6)));
            }
        });
        Training t = Training.builder().train("p.w", "out.bias").input("in", "x").clamp("in").steps(6).dt(0.5)
                .loss(l1).optimizer(Optimizer.Settings.adam(0.05)).batch(16).epochs(6).build();
        Dataset d = data(5, 64);
        double before = Trainer.evaluate(graph(), t, d).loss();
        double after = Trainer.evaluate(new Trainer(graph(), t).fit(d, null, null, false, null).graph(), t, d).loss();
        assertTrue(after < 0.5 * before, before + " -> " + after);
    }
}
