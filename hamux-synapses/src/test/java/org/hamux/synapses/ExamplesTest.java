package org.hamux.synapses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.testing.GraphChecks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The example specs of {@code examples/} that use this module's synapses load, and their energy never
 * increases over a few dozen steps in double precision with a small step, with and without clamping.
 */
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final int STEPS = 30;
    private static final double DT = 0.02;

    private static Spec read(String name) {
        return SpecReader.read(EXAMPLES.resolve(name), Registry.standard());
    }

    /** The spec's initial state in double precision. */
    private static Map<String, INDArray> initial(Spec spec) {
        Map<String, INDArray> x = new LinkedHashMap<>();
        spec.initial().forEach((k, v) -> x.put(k, v.castTo(DataType.DOUBLE)));
        return x;
    }

    private static void descends(Spec spec, Map<String, INDArray> x0, Dynamics dynamics) {
        Dynamics.Result r = GraphChecks.assertEnergyNeverIncreases(spec.graph(), x0, dynamics);
        assertEquals(STEPS, r.steps());
        assertTrue(r.lastEnergy() < r.firstEnergy(), spec.name() + ": the energy should fall: "
                + r.firstEnergy() + " -> " + r.lastEnergy());
    }

    /**
     * The Energy Transformer: the masked (bottom) tokens start blank and move, the clamped ones stay; then
     * every token free.
     */
    private static void energyTransformer(Spec spec) {
        INDArray mask = spec.dynamics().masks().get("tok");
        assertArrayEquals(spec.graph().layer("tok").shape(), mask.shape());
        Map<String, INDArray> x0 = initial(spec);
        INDArray blanked = x0.get("tok").mul(mask.castTo(DataType.DOUBLE));
        x0.put("tok", blanked);
        Dynamics masked = spec.dynamics().toBuilder().dt(DT).steps(STEPS).build();
        Dynamics.Result r = GraphChecks.assertEnergyNeverIncreases(spec.graph(), x0, masked);
        assertTrue(r.lastEnergy() < r.firstEnergy(), r.firstEnergy() + " -> " + r.lastEnergy());
        INDArray after = r.states().get("tok");
        INDArray clamped = after.mul(mask.castTo(DataType.DOUBLE));
        assertEquals(0.0, clamped.sub(blanked).amaxNumber().doubleValue(), 0.0, "clamped tokens moved");
        INDArray free = after.sub(blanked).mul(mask.castTo(DataType.DOUBLE).rsub(1.0));
        assertTrue(free.amaxNumber().doubleValue() > 1e-6, "the free tokens did not move");
        descends(spec, initial(spec), Dynamics.builder().dt(DT).steps(STEPS).build());
    }

    @Test
    void attentionOnlyEnergyTransformerDescends() {
        Spec spec = read("energy-transformer-attention.json");
        assertEquals(java.util.Set.of("attn"), spec.graph().synapses().keySet());
        energyTransformer(spec);
    }

    @Test
    void energyTransformerWithHopfieldTermDescends() {
        assumeTrue(Registry.standard().synapseTypes().containsKey("et-hopfield"),
                "the et-hopfield synapse is not on the class path yet (it comes with the DenseAM family)");
        energyTransformer(read("energy-transformer.json"));
    }

    @Test
    void convolutionalHierarchyDescendsWithTheImageClampedAndFree() {
        Spec spec = read("conv-hierarchy.json");
        assertTrue(spec.dynamics().clamped().contains("img"));
        descends(spec, initial(spec), spec.dynamics().toBuilder().dt(DT).steps(STEPS).build());
        descends(spec, initial(spec), Dynamics.builder().dt(DT).steps(STEPS).build());
    }
}
