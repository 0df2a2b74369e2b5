package org.hamux.train;

import static org.hamux.core.testing.Numerics.assertClose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Rng;
import org.hamux.core.testing.Numerics;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.LayerNormLagrangian;
import org.hamux.layers.SigmoidLagrangian;
import org.hamux.layers.SoftmaxLagrangian;
import org.hamux.layers.TanhLagrangian;
import org.hamux.synapses.AttentionSynapse;
import org.hamux.synapses.DamSynapse;
import org.hamux.synapses.DenseSynapse;
import org.hamux.synapses.EnergySynapse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of the loss after {@code T} unrolled steps with respect to the trained parameters (the engine's reverse
 * pass through the steps) equals central finite differences of the same loss on the inference path ({@code Dynamics}
 * on INDArrays, with the same noise), in double precision.
 *
 * <p>A new component is one more {@link Case} in {@link #cases()}: a graph, the training settings, the
 * inputs and the target.
 */
class UnrolledGradientTest {

    private static final int BATCH = 3;

    /** One graph to check: settings, initial states by layer, target. */
    record Case(String name, EnergyGraph graph, Training training, Map<String, INDArray> inputs, INDArray target) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Supplier<Case>> all = List.of(
                UnrolledGradientTest::denseClassifier,
                UnrolledGradientTest::lseMemoryWithMask,
                UnrolledGradientTest::layerNorm,
                UnrolledGradientTest::energyTransformer,
                UnrolledGradientTest::energyOnlySynapse,
                UnrolledGradientTest::langevinNoiseAndMask,
                UnrolledGradientTest::toleranceStopsEarly);
        return all.stream().map(s -> Arguments.of(s.get()));
    }

    private static INDArray normal(long salt, double std, long... shape) {
        return Numerics.rng(salt).normal(DataType.DOUBLE, 0, std, shape);
    }

    /** image (identity, clamped) -> hidden (tanh, bias) -> labels (softmax, bias); cross-entropy of labels. */
    static Case denseClassifier() {
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("img", new IdentityLagrangian(), 4)
                .layer("hid", new NeuronLayer(new long[] {3}, new TanhLagrangian(1.3), 1.0, true, normal(1, 0.3, 3)))
                .layer("lbl", new NeuronLayer(new long[] {3}, new SoftmaxLagrangian(0.8), 1.0, true, normal(2, 0.3, 3)))
                .synapse("img_hid", new DenseSynapse(normal(3, 0.6, 4, 3)), "img", "hid")
                .synapse("hid_lbl", new DenseSynapse(normal(4, 0.6, 3, 3)), "hid", "lbl")
                .build();
        Training t = Training.builder().train("img_hid.W", "hid_lbl.W", "hid.bias", "lbl.bias", "hid.beta", "lbl.beta")
                .input("img", "x").clamp("img").steps(5).dt(0.4)
                .loss(Loss.crossEntropy("lbl", Loss.Of.ACTIVATION, "y")).build();
        INDArray y = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, BATCH, 3);
        for (int i = 0; i < BATCH; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new Case("dense classifier", g, t, Map.of("img", normal(5, 1, BATCH, 4)), y);
    }

    /** A DenseAM memory (lse-memory) on one identity layer, part of it clamped by a mask; MSE of the state. */
    static Case lseMemoryWithMask() {
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("v", new IdentityLagrangian(), 5)
                .synapse("mem", DamSynapse.lseMemory(normal(6, 1, 4, 5), 0.9), "v")
                .build();
        INDArray mask = org.nd4j.linalg.factory.Nd4j.create(new double[] {1, 1, 0, 0, 0});
        Training t = Training.builder().train("mem.xi", "mem.beta").input("v", "x").mask("v", mask)
                .steps(6).dt(0.3).loss(Loss.mse("v", Loss.Of.STATE, "y")).build();
        return new Case("lse-memory", g, t, Map.of("v", normal(7, 1, BATCH, 5)), normal(8, 1, BATCH, 5));
    }

    /** A layernorm layer (gamma, delta trained) feeding a sigmoid layer through a dense synapse. */
    static Case layerNorm() {
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("x", new LayerNormLagrangian(1.2, normal(9, 0.2, 6), 1e-5), 6)
                .layer("h", new SigmoidLagrangian(1.1, 1.0), 4)
                .synapse("xh", new DenseSynapse(normal(10, 0.5, 6, 4)), "x", "h")
                .build();
        Training t = Training.builder().train("x.gamma", "x.delta", "xh.W", "h.beta").input("x", "in")
                .steps(4).dt(0.25).loss(Loss.mse("x", Loss.Of.ACTIVATION, "y")).build();
        return new Case("layernorm", g, t, Map.of("x", normal(11, 1, BATCH, 6)), normal(12, 1, BATCH, 6));
    }

    /**
     * An Energy Transformer block: 4 tokens of 6 on a layernorm layer (its energy off), self-attention with 2
     * heads (W_Q, W_K and the per-head beta trained) and an ET-Hopfield memory (xi trained); MSE of the tokens.
     */
    static Case energyTransformer() {
        INDArray beta = org.nd4j.linalg.factory.Nd4j.create(new double[] {0.6, 0.9});
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("tok", new NeuronLayer(new long[] {4, 6}, new LayerNormLagrangian(1.0, normal(13, 0.1, 6), 1e-3),
                        1.0, false, null))
                .synapse("attn", new AttentionSynapse(normal(14, 0.5, 2, 3, 6), normal(15, 0.5, 2, 3, 6), beta, false), "tok")
                .synapse("hop", DamSynapse.etHopfield(normal(16, 0.5, 5, 6)), "tok")
                .build();
        Training t = Training.builder().train("attn.W_Q", "attn.W_K", "attn.beta", "hop.xi", "tok.delta")
                .input("tok", "x").steps(4).dt(0.2).loss(Loss.mse("tok", Loss.Of.ACTIVATION, "y")).build();
        return new Case("energy transformer", g, t, Map.of("tok", normal(17, 1, BATCH, 4, 6)), normal(18, 1, BATCH, 4, 6));
    }

    /**
     * A user's energy with only its energy stated (through the engine: the unrolled steps hold its gradient, which the
     * reverse pass differentiates again), {@code E = -c sum g^3 / 3 + k sum g^4 / 4} on a tanh layer, beside a dense
     * synapse; c, k and W trained.
     */
    static Case energyOnlySynapse() {
        EnergySynapse cubic = new EnergySynapse("cubic", 1, Map.of("c", org.nd4j.linalg.factory.Nd4j.scalar(0.4),
                "k", org.nd4j.linalg.factory.Nd4j.scalar(0.3)),
                (o, g, p) -> o.sub(o.mul(o.sumPerSample(o.pow(g.get(0), 4)), o.mul(p.get("k"), 0.25)),
                        o.mul(o.sumPerSample(o.pow(g.get(0), 3)), o.mul(p.get("c"), 1.0 / 3))));
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("v", new IdentityLagrangian(), 4)
                .layer("h", new TanhLagrangian(1.1), 3)
                .synapse("vh", new DenseSynapse(normal(19, 0.5, 4, 3)), "v", "h")
                .synapse("cubic", cubic, "h")
                .build();
        Training t = Training.builder().train("cubic.c", "cubic.k", "vh.W").input("v", "x").clamp("v").steps(5).dt(0.3)
                .loss(Loss.mse("h", Loss.Of.ACTIVATION, "y")).build();
        return new Case("energy-only synapse (second order)", g, t, Map.of("v", normal(20, 1, BATCH, 4)),
                normal(21, 0.5, BATCH, 3));
    }

    /** The lse-memory with Langevin noise at temperature 0.05 and a mask: the noise of the inference run, drawn alike. */
    static Case langevinNoiseAndMask() {
        Case c = lseMemoryWithMask();
        Training t = c.training().toBuilder().noise(0.05, 11).build();
        double quiet = inferenceLoss(c.graph(), c.training(), c.inputs(), c.target());
        double noisy = inferenceLoss(c.graph(), t, c.inputs(), c.target());
        org.junit.jupiter.api.Assertions.assertTrue(Math.abs(noisy - quiet) > 1e-3, "the noise changes the loss: " + quiet
                + " vs " + noisy);
        return new Case("Langevin noise and a mask", c.graph(), t, c.inputs(), c.target());
    }

    /** The classifier with a tolerance that ends the dynamics after a few of its 12 steps. */
    static Case toleranceStopsEarly() {
        Case c = denseClassifier();
        // a tolerance half-way between the largest change of step 6 and the smallest before it: the run ends at step 6
        List<Double> changes = new ArrayList<>();
        c.training().dynamics().toBuilder().steps(12).listener((step, e, x, dx) -> changes.add(dx)).build()
                .run(c.graph(), c.inputs());
        double before = changes.subList(0, 5).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        Training t = c.training().toBuilder().steps(12).tolerance((before + changes.get(5)) / 2).build();
        int taken = t.dynamics().run(c.graph(), c.inputs()).steps();
        org.junit.jupiter.api.Assertions.assertTrue(taken > 1 && taken < 12, "the tolerance ends the run early: " + taken);
        return new Case("tolerance", c.graph(), t, c.inputs(), c.target());
    }

    /** The loss on the inference path: the training's dynamics run on arrays (with its noise), then the loss. */
    private static double inferenceLoss(EnergyGraph graph, Training t, Map<String, INDArray> inputs, INDArray target) {
        Dynamics.Result r = t.dynamics().run(graph, inputs);
        INDArray out = t.loss().of() == Loss.Of.STATE ? r.states().get(t.loss().layer())
                : r.activations().get(t.loss().layer());
        return Evaluation.perSample(t.loss(), out, target).meanNumber().doubleValue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parameterGradientThroughTheStepsMatchesFiniteDifferences(Case c) {
        Unrolled u = new Unrolled(c.graph(), c.training(), BATCH);
        Unrolled.Step step = u.run(c.inputs(), c.target(), new Rng(c.training().dynamics().noiseSeed()));
        assertClose(org.nd4j.linalg.factory.Nd4j.scalar(inferenceLoss(c.graph(), c.training(), c.inputs(), c.target())),
                org.nd4j.linalg.factory.Nd4j.scalar(step.loss()), 1e-10, 1e-12, c + ": loss, unrolled vs dynamics");
        List<String> names = c.training().train();
        List<INDArray> values = new ArrayList<>();
        names.forEach(n -> values.add(c.graph().parameters().get(n)));
        for (int i = 0; i < names.size(); i++) {
            INDArray fd = Numerics.finiteDifference(p -> {
                Map<String, INDArray> m = new LinkedHashMap<>();
                for (int j = 0; j < names.size(); j++) {
                    m.put(names.get(j), p.get(j));
                }
                EnergyGraph changed = c.graph().withParameters(m);
                return org.nd4j.linalg.factory.Nd4j.scalar(inferenceLoss(changed, c.training(), c.inputs(), c.target()));
            }, values, i, 1e-6);
            org.junit.jupiter.api.Assertions.assertTrue(fd.norm2Number().doubleValue() > 1e-6,
                    c + ": the loss should depend on " + names.get(i));
            assertClose(fd, step.gradients().get(names.get(i)), 1e-5, 1e-8, c + ": d loss / d " + names.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recomputingTheStepsInSegmentsGivesTheSameLossAndGradient(Case c) {
        Training t = c.training();
        if (t.dynamics().tolerance() > 0) {
            org.junit.jupiter.api.Assertions.assertThrows(org.hamux.core.HamuxException.class,
                    () -> new Unrolled(c.graph(), t.toBuilder().recompute(2).build(), BATCH));
            return;
        }
        Unrolled whole = new Unrolled(c.graph(), t, BATCH);
        Unrolled.Step all = whole.run(c.inputs(), c.target(), new Rng(t.dynamics().noiseSeed()));
        for (int k = 1; k < t.steps(); k += 2) {
            Unrolled segmented = new Unrolled(c.graph(), t.toBuilder().recompute(k).build(), BATCH);
            for (int run = 0; run < 2; run++) {
                Unrolled.Step s = segmented.run(c.inputs(), c.target(), new Rng(t.dynamics().noiseSeed()));
                org.junit.jupiter.api.Assertions.assertEquals(all.loss(), s.loss(), 1e-12 * Math.abs(all.loss()),
                        c + ": the loss with segments of " + k);
                assertClose(all.output(), s.output(), 1e-12, 1e-14, c + ": the output with segments of " + k);
                for (String name : t.train()) {
                    assertClose(all.gradients().get(name), s.gradients().get(name), 1e-10, 1e-13,
                            c + ": d loss / d " + name + " with segments of " + k + ", run " + run);
                }
            }
            org.junit.jupiter.api.Assertions.assertTrue(segmented.workingBytes() < whole.workingBytes(),
                    c + ": segments of " + k + " keep less: " + segmented.workingBytes() + " vs " + whole.workingBytes());
        }
    }
}
