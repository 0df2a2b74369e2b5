package org.hamux.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hamux.core.Dynamics;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.junit.jupiter.api.Test;

/**
 * The bundled examples: the README's first command recalls almost every query from heavy noise; the completion
 * example fills in erased halves, better from the mean image than from a flat gray start.
 */
class FashionRetrievalTest {

    @Test
    void theBundledExampleRetrievesMostQueriesAndItsEnergyFalls() {
        Spec spec = SpecReader.read(ExampleSpecsTest.examplesDir().resolve("fashion-retrieval.json"));
        Dynamics.Result r = spec.dynamics().run(spec.graph(), spec.initial());
        int retrieved = spec.retrieval().retrieved(r.activations().get(spec.retrieval().layer()));
        System.out.println("fashion-retrieval: retrieved " + retrieved + "/" + spec.retrieval().targets().length);
        assertTrue(retrieved >= NotebookTest.MIN_RETRIEVED, "retrieved only " + retrieved + "/100");
        assertTrue(r.lastEnergy() < r.firstEnergy(), r.firstEnergy() + " -> " + r.lastEnergy());
    }

    @Test
    void theCompletionExampleFillsInMostErasedHalvesBetterFromTheMeanThanFromGray() {
        Spec spec = SpecReader.read(ExampleSpecsTest.examplesDir().resolve("fashion-completion.json"));
        Dynamics.Result r = spec.dynamics().run(spec.graph(), spec.initial());
        int fromMean = spec.retrieval().retrieved(r.activations().get("image"));
        // the same queries with the erased half at 0.3 (about the mean pixel) instead of the mean image
        org.nd4j.linalg.api.ndarray.INDArray mask = spec.dynamics().masks().get("image").reshape(1, 28, 28);
        org.nd4j.linalg.api.ndarray.INDArray gray = spec.initial().get("image").mul(mask).add(mask.rsub(1).mul(0.3));
        int fromGray = spec.retrieval().retrieved(
                spec.dynamics().run(spec.graph(), java.util.Map.of("image", gray)).activations().get("image"));
        System.out.println("fashion-completion: retrieved " + fromMean + "/100 from the mean, " + fromGray + " from gray");
        assertTrue(fromMean >= 75 && fromMean > fromGray, fromMean + " from the mean, " + fromGray + " from gray");
        assertTrue(r.lastEnergy() < r.firstEnergy(), r.firstEnergy() + " -> " + r.lastEnergy());
    }
}
