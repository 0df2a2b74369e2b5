package org.hamux.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hamux.core.Dynamics;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.junit.jupiter.api.Test;

/** The bundled example (the README's first command) retrieves most of its corrupted queries. */
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
}
