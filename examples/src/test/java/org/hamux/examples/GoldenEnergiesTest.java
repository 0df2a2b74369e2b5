package org.hamux.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.EnergyGraph;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.testing.GraphChecks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Golden files: every example spec gives, in double precision, the same energy of every part at its initial
 * state (its first {@value #SAMPLES} samples; seeded random states for the layers it does not start) as recorded in
 * {@code src/test/resources/golden-energies.json}, so that a later release that changes what a spec means is
 * caught. A new example is recorded with {@code -Dhamux.golden.record=true}, which writes the missing entries.
 */
class GoldenEnergiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAMPLES = 4;
    private static final double RTOL = 1e-9;

    static java.util.stream.Stream<Path> specs() throws IOException {
        return ExampleSpecsTest.specs();
    }

    private static Path goldenFile() {
        return ExampleSpecsTest.examplesDir().resolve("src/test/resources/golden-energies.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void initialEnergiesAreTheRecordedOnes(Path file) throws IOException {
        Spec spec = SpecReader.read(file);
        EnergyGraph graph = spec.graph().castTo(DataType.DOUBLE);
        // the spec's initial states where it gives them, seeded random states elsewhere (so every synapse counts)
        long batch = spec.initial().isEmpty() ? SAMPLES
                : Math.min(SAMPLES, spec.initial().values().iterator().next().size(0));
        Map<String, INDArray> x = GraphChecks.randomStates(graph, batch, 1.0, 11);
        spec.initial().forEach((k, v) -> x.put(k, v.get(NDArrayIndex.interval(0, batch)).castTo(DataType.DOUBLE)));
        Map<String, INDArray> parts = graph.energies(EagerOps.INSTANCE, x, graph.activations(EagerOps.INSTANCE, x));

        String name = file.getFileName().toString();
        ObjectNode golden = Files.exists(goldenFile()) ? (ObjectNode) JSON.readTree(goldenFile().toFile())
                : JSON.createObjectNode();
        if (!golden.has(name) && Boolean.getBoolean("hamux.golden.record")) {
            ObjectNode entry = golden.putObject(name);
            parts.forEach((k, v) -> {
                var a = entry.putArray(k);
                for (double d : v.toDoubleVector()) {
                    a.add(d);
                }
            });
            Files.writeString(goldenFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(golden) + "\n");
        }
        JsonNode want = golden.get(name);
        assertNotNull(want, name + " has no recorded energies: record them with -Dhamux.golden.record=true");
        assertEquals(want.size(), parts.size(), name + ": the parts changed: " + parts.keySet());
        parts.forEach((k, v) -> {
            JsonNode w = want.get(k);
            assertNotNull(w, name + ": no recorded energy of '" + k + "'");
            double[] got = v.toDoubleVector();
            assertEquals(w.size(), got.length, name + ": samples of '" + k + "'");
            for (int i = 0; i < got.length; i++) {
                double e = w.get(i).asDouble();
                assertTrue(Math.abs(got[i] - e) <= RTOL * Math.max(1, Math.abs(e)),
                        name + ": energy of '" + k + "', sample " + i + ": " + got[i] + ", recorded " + e);
            }
        });
    }
}
