package org.hamux.examples;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.hamux.core.EnergyGraph;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.testing.Numerics;
import org.hamux.train.Dataset;
import org.hamux.train.Loss;
import org.hamux.train.Targets;
import org.hamux.train.Training;
import org.hamux.train.Unrolled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameter gradient through the unrolled steps of the engine equals that of SameDiff, the independent interpreter
 * of the same component code ({@link SameDiffUnrolled}), on the example models: the classifier, the denoiser, ClAM and
 * the Energy Transformer block; double precision, a batch of {@value #BATCH} of each spec's own data.
 */
class SameDiffReferenceTest {

    private static final int BATCH = 3;

    record Case(String name, EnergyGraph graph, Training training, Map<String, INDArray> inputs, INDArray target) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(fromSpec("fashion-classifier.json"), fromSpec("fashion-denoising.json"), fromSpec("clam-blobs.json"),
                energyTransformer());
    }

    private static Path dir() {
        return ExampleSpecsTest.examplesDir();
    }

    /** A spec with a training section, on the first samples of its training data. */
    private static Case fromSpec(String file) {
        Spec spec = SpecReader.read(dir().resolve(file));
        EnergyGraph graph = spec.graph().castTo(DataType.DOUBLE);
        Training t = Training.of(spec);
        Dataset d = Dataset.read(t.data().train(), Dataset.Part.TRAIN).scaled(t.data().scale());
        for (var e : t.data().noise().entrySet()) {
            d = d.withNoise(e.getKey(), e.getValue(), t.seed());
        }
        d = d.head(BATCH);
        Map<String, INDArray> in = new LinkedHashMap<>();
        for (var e : t.inputs().entrySet()) {
            in.put(e.getKey(), Targets.prepare(d.array(e.getValue(), "input"), graph.layer(e.getKey()).shape(),
                    DataType.DOUBLE, "input"));
        }
        INDArray target = Targets.prepare(d.array(t.loss().target(), "target"), graph.layer(t.loss().layer()).shape(),
                DataType.DOUBLE, "target");
        return new Case(spec.name(), graph, t, in, target);
    }

    /**
     * The Energy Transformer example (49 patch tokens, attention and the ET Hopfield term, the top patches clamped by
     * its mask), 6 steps: W_Q, W_K and the memories trained to fill in the masked patches (a masked MSE of the tokens).
     */
    private static Case energyTransformer() {
        Spec spec = SpecReader.read(dir().resolve("energy-transformer.json"));
        EnergyGraph graph = spec.graph().castTo(DataType.DOUBLE);
        INDArray x = spec.initial().get("tok").get(NDArrayIndex.interval(0, BATCH)).castTo(DataType.DOUBLE).dup();
        INDArray free = spec.dynamics().masks().get("tok").castTo(DataType.DOUBLE).rsub(1.0);
        Training t = Training.builder().dynamics(spec.dynamics().toBuilder().steps(6).build())
                .train("attn.W_Q", "attn.W_K", "hop.xi").input("tok", "x")
                .loss(Loss.maskedMse("tok", Loss.Of.ACTIVATION, "y", free)).build();
        INDArray target = Numerics.rng(60).normal(DataType.DOUBLE, 0, 1, x.shape());
        return new Case("energy-transformer", graph, t, Map.of("tok", x), target);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theEnginesGradientThroughTheStepsEqualsSameDiffs(Case c) {
        Unrolled.Step engine = new Unrolled(c.graph(), c.training(), BATCH).run(c.inputs(), c.target());
        SameDiffUnrolled.Result reference = SameDiffUnrolled.run(c.graph(), c.training(), c.inputs(), c.target());
        assertEquals(reference.loss(), engine.loss(), 1e-10 * Math.abs(reference.loss()), c + ": the loss");
        assertEquals(SameDiffUnrolled.names(reference), new java.util.ArrayList<>(engine.gradients().keySet()));
        reference.gradients().forEach((name, expected) -> {
            assertTrue(expected.norm2Number().doubleValue() > 1e-8, c + ": the loss depends on " + name);
            assertClose(expected, engine.gradients().get(name), 1e-7, 1e-11, c + ": d loss / d " + name
                    + ", the engine vs SameDiff");
        });
    }
}
