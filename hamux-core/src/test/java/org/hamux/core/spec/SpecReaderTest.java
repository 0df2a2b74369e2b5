package org.hamux.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hamux.core.EnergyGraph;
import org.hamux.core.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class SpecReaderTest {

    @TempDir
    Path dir;

    private static final String GOOD = """
            {
              "hamux": 1,
              "name": "pair",
              "layers": {
                "a": {"shape": [3], "lagrangian": {"type": "quadratic"}},
                "b": {"shape": [3], "lagrangian": {"type": "logcosh"}, "tau": 2.0, "bias": [0.1, 0.2, 0.3]}
              },
              "synapses": {"ab": {"type": "pair", "w": 0.5}},
              "connections": [{"synapse": "ab", "layers": ["a", "b"]}],
              "dynamics": {"dt": 0.05, "steps": 7, "clamp": ["a"], "masks": {"b": [1, 0, 0]}},
              "initial": {"batch": 2, "states": {"a": {"init": "normal", "seed": 3}}}
            }
            """;

    private Spec parse(String json) {
        return SpecReader.parse(json, dir, "test.json", testRegistry());
    }

    private static Registry testRegistry() {
        return org.hamux.core.TestComponents.registry();
    }

    private SpecException error(String json) {
        return assertThrows(SpecException.class, () -> parse(json));
    }

    @Test
    void readsAWholeSpec() {
        Spec s = parse(GOOD);
        assertEquals("pair", s.name());
        assertEquals(2, s.graph().layers().size());
        assertEquals(2.0, s.graph().layer("b").tau());
        assertEquals(0.05, s.dynamics().dt());
        assertEquals(7, s.dynamics().steps());
        assertTrue(s.dynamics().clamped().contains("a"));
        assertEquals(2, s.initial().get("a").size(0));
        assertEquals(0.5, s.graph().synapses().get("ab").scalarParameter("w"));
    }

    @Test
    void seededInitialStatesAreReproducible() {
        assertEquals(parse(GOOD).initial().get("a"), parse(GOOD).initial().get("a"));
    }

    @Test
    void writtenSpecReadsBackAsAnEqualGraph() {
        Spec s = parse(GOOD);
        Path out = dir.resolve("copy.json");
        SpecWriter.write(out, "copy", s.graph(), s.dynamics());
        Spec back = SpecReader.read(out, testRegistry());
        assertEquals(s.graph(), back.graph());
        assertEquals(s.dynamics().dt(), back.dynamics().dt());
        assertEquals(s.dynamics().clamped(), back.dynamics().clamped());
    }

    @Test
    void builderAndJsonGiveTheSameGraph() {
        EnergyGraph built = EnergyGraph.builder()
                .layer("a", new org.hamux.core.NeuronLayer(new long[] {3}, new org.hamux.core.TestComponents.Quadratic()))
                .build();
        Spec s = parse("{\"layers\": {\"a\": {\"shape\": [3], \"lagrangian\": {\"type\": \"quadratic\"}}}}");
        assertEquals(built, s.graph());
    }

    @Test
    void float64ReadsEveryValueInDoublePrecisionNotAtTheSpecsFloat32First() throws java.io.IOException {
        String json = "{\"dtype\": \"float32\", \"layers\": {\"a\": {\"shape\": [2], \"lagrangian\": {\"type\": \"quadratic\"},"
                + " \"bias\": [0.1, 0.7]}}, \"synapses\": {\"s\": {\"type\": \"pair\", \"w\": 0.3}},"
                + " \"connections\": [{\"synapse\": \"s\", \"layers\": [\"a\", \"a\"]}],"
                + " \"initial\": {\"states\": {\"a\": \"x.npy\"}}}";
        org.hamux.core.io.Npy.write(dir.resolve("x.npy"), org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0.1, 1e-10}}));
        Spec s = SpecReader.parse(json, dir, "test.json", testRegistry(), org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        assertEquals(0.1, s.graph().layer("a").parameter("bias").getDouble(0), 0.0);
        assertEquals(0.3, s.graph().synapses().get("s").scalarParameter("w"), 0.0);
        assertEquals(1e-10, s.initial().get("a").getDouble(0, 1), 0.0);
        Spec f = parse(json);
        assertEquals((double) 0.1f, f.graph().layer("a").parameter("bias").getDouble(0), 0.0, "float32 as written");
    }

    @Test
    void reportsInvalidJsonWithItsLine() {
        SpecException e = error("{\n  \"layers\": {\n    \"a\": {\"shape\": [3],}\n  }\n}");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("test.json:3:"), e.getMessage());
    }

    @Test
    void reportsAnUnknownLayerInAConnectionWithItsPath() {
        SpecException e = error(GOOD.replace("[\"a\", \"b\"]", "[\"a\", \"c\"]"));
        assertEquals("$.connections[0].layers[1]", e.path());
        assertTrue(e.getMessage().contains("unknown layer 'c'"), e.getMessage());
    }

    @Test
    void reportsAnUnknownTypeWithTheKnownOnes() {
        SpecException e = error(GOOD.replace("\"logcosh\"", "\"logcoshh\""));
        assertEquals("$.layers.b.lagrangian.type", e.path());
        assertTrue(e.getMessage().contains("known: logcosh, quadratic"), e.getMessage());
        assertEquals(6, e.line());
    }

    @Test
    void reportsAMisspeltKey() {
        SpecException e = error(GOOD.replace("\"tau\": 2.0", "\"taus\": 2.0"));
        assertEquals("$.layers.b.taus", e.path());
    }

    @Test
    void reportsNonPositiveTauAndDt() {
        assertEquals("$.layers.b.tau", error(GOOD.replace("\"tau\": 2.0", "\"tau\": 0")).path());
        assertEquals("$.dynamics.dt", error(GOOD.replace("\"dt\": 0.05", "\"dt\": -1")).path());
    }

    @Test
    void reportsAShapeMismatchOfABias() {
        SpecException e = error(GOOD.replace("[0.1, 0.2, 0.3]", "[0.1, 0.2]"));
        assertEquals("$.layers.b.bias", e.path());
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void reportsASynapseThatDoesNotFitItsLayers() {
        SpecException e = error(GOOD.replace("\"shape\": [3], \"lagrangian\": {\"type\": \"quadratic\"}",
                "\"shape\": [4], \"lagrangian\": {\"type\": \"quadratic\"}"));
        assertEquals("$.synapses.ab", e.path());
        assertTrue(e.getMessage().contains("same shape"), e.getMessage());
    }

    @Test
    void reportsAMissingFile() {
        SpecException e = error(GOOD.replace("[0.1, 0.2, 0.3]", "\"nowhere.npy\""));
        assertEquals("$.layers.b.bias", e.path());
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }

    @Test
    void readsArraysFromNpyFilesBesideTheSpec() throws Exception {
        Npy.write(dir.resolve("b.npy"), Nd4j.createFromArray(1.0, 2.0, 3.0));
        Spec s = parse(GOOD.replace("[0.1, 0.2, 0.3]", "{\"npy\": \"b.npy\", \"scale\": 0.5}"));
        assertEquals(Nd4j.createFromArray(0.5f, 1f, 1.5f), s.graph().layer("b").parameter("bias"));
        assertEquals(DataType.FLOAT, s.graph().layer("b").parameter("bias").dataType());
    }

    @Test
    void refusesASpecFromANewerVersion() {
        SpecException e = error(GOOD.replace("\"hamux\": 1", "\"hamux\": 9"));
        assertTrue(e.getMessage().contains("up to " + SpecReader.VERSION), e.getMessage());
    }

    @Test
    void reportsASynapseWithoutConnection() {
        SpecException e = error(GOOD.replace("\"connections\": [{\"synapse\": \"ab\", \"layers\": [\"a\", \"b\"]}],", ""));
        assertEquals("$.synapses.ab", e.path());
    }

    @Test
    void aMissingSpecFileIsOneClearMessage() {
        var e = assertThrows(org.hamux.core.HamuxException.class, () -> SpecReader.read(dir.resolve("none.json"), testRegistry()));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("none.json")));
    }

    @Test
    void corruptAddsSeededNoiseAndSetsTheNeuronsTheMaskLeavesFree() {
        String spec = GOOD.replace("\"initial\": {\"batch\": 2, \"states\": {\"a\": {\"init\": \"normal\", \"seed\": 3}}}",
                "\"initial\": {\"states\": {\"b\": [[1, 2, 3], [4, 5, 6]]},"
                        + " \"corrupt\": {\"b\": {\"noise\": 0.5, \"seed\": 9, \"free\": -1}}}");
        var b = parse(spec).initial().get("b");
        // mask [1, 0, 0]: the first neuron is held (the clean value plus noise), the others start at -1
        assertEquals(-1.0, b.getDouble(0, 1));
        assertEquals(-1.0, b.getDouble(1, 2));
        double noise0 = b.getDouble(0, 0) - 1;
        double noise1 = b.getDouble(1, 0) - 4;
        assertTrue(noise0 != 0 && noise1 != 0 && noise0 != noise1, b.toString());
        assertEquals(b, parse(spec).initial().get("b"), "the same seed gives the same noise");
    }

    @Test
    void corruptSetsTheFreeNeuronsToAnArrayOfTheLayersShape() {
        String spec = GOOD.replace("\"initial\": {\"batch\": 2, \"states\": {\"a\": {\"init\": \"normal\", \"seed\": 3}}}",
                "\"initial\": {\"states\": {\"b\": [[1, 2, 3], [4, 5, 6]]},"
                        + " \"corrupt\": {\"b\": {\"free\": [7, 8, 9]}}}");
        var b = parse(spec).initial().get("b");
        // mask [1, 0, 0]: the first neuron keeps its value, the others take the array's
        assertEquals(1.0, b.getDouble(0, 0));
        assertEquals(4.0, b.getDouble(1, 0));
        assertEquals(8.0, b.getDouble(0, 1));
        assertEquals(9.0, b.getDouble(1, 2));
        SpecException e = error(spec.replace("[7, 8, 9]", "[7, 8]"));
        assertEquals("$.initial.corrupt.b.free", e.path());
        assertTrue(e.getMessage().contains("layer's shape [3]"), e.getMessage());
    }

    @Test
    void retrievalLabelsNameThePicturesRowsThreeOfThem() {
        String spec = GOOD.replace("\"initial\": {\"batch\": 2, \"states\": {\"a\": {\"init\": \"normal\", \"seed\": 3}}}",
                "\"initial\": {\"batch\": 2, \"states\": {\"a\": {\"init\": \"normal\", \"seed\": 3}}},"
                        + " \"retrieval\": {\"layer\": \"a\", \"memories\": [[1, 0, 0], [0, 1, 0]], \"targets\": [0, 1]LABELS}");
        assertEquals(Spec.Retrieval.LABELS, parse(spec.replace("LABELS", "")).retrieval().labels());
        assertEquals(List.of("noisy", "relaxed", "clean"),
                parse(spec.replace("LABELS", ", \"labels\": [\"noisy\", \"relaxed\", \"clean\"]")).retrieval().labels());
        SpecException e = error(spec.replace("LABELS", ", \"labels\": [\"noisy\", \"clean\"]"));
        assertEquals("$.retrieval.labels", e.path());
        assertTrue(e.getMessage().contains("three labels, got 2"), e.getMessage());
    }

    @Test
    void corruptWithFreeNeedsAMask() {
        String spec = GOOD.replace("\"initial\": {\"batch\": 2, \"states\": {\"a\": {\"init\": \"normal\", \"seed\": 3}}}",
                "\"initial\": {\"batch\": 2, \"states\": {\"a\": {\"init\": \"normal\", \"seed\": 3}},"
                        + " \"corrupt\": {\"a\": {\"free\": 0}}}");
        SpecException e = error(spec);
        assertEquals("$.initial.corrupt.a.free", e.path());
        assertTrue(e.getMessage().contains("no mask"), e.getMessage());
    }

    @Test
    void corruptOfALayerWithoutInitialStateIsReported() {
        String spec = GOOD.replace("\"states\": {\"a\": {\"init\": \"normal\", \"seed\": 3}}}",
                "\"states\": {\"a\": {\"init\": \"normal\", \"seed\": 3}}, \"corrupt\": {\"b\": {\"noise\": 1}}}");
        assertEquals("$.initial.corrupt.b", error(spec).path());
    }

    @Test
    void arangeCountsUpFromLow() {
        Spec s = parse(GOOD.replace("{\"init\": \"normal\", \"seed\": 3}", "{\"init\": \"arange\", \"low\": 2, \"shape\": [2, 3]}"));
        assertEquals(Nd4j.createFromArray(new float[][] {{2, 3, 4}, {5, 6, 7}}), s.initial().get("a"));
    }

    @Test
    void patchesCutImagesIntoRowMajorTokens() {
        String spec = "{\"layers\": {\"a\": {\"shape\": [4, 4], \"lagrangian\": {\"type\": \"quadratic\"}}},"
                + " \"initial\": {\"states\": {\"a\": {\"init\": \"arange\", \"shape\": [1, 4, 4], \"patches\": [2, 2]}}}}";
        // image rows 0 1 2 3 / 4 5 6 7 / 8 9 10 11 / 12 13 14 15: token 0 is the top-left 2x2 patch, token 1 the top-right
        assertEquals(Nd4j.createFromArray(new float[][][] {{{0, 1, 4, 5}, {2, 3, 6, 7}, {8, 9, 12, 13}, {10, 11, 14, 15}}}),
                parse(spec).initial().get("a"));
    }

    @Test
    void patchesThatDoNotTileTheImageAreReported() {
        String spec = "{\"layers\": {\"a\": {\"shape\": [3, 3], \"lagrangian\": {\"type\": \"quadratic\"}}},"
                + " \"initial\": {\"states\": {\"a\": {\"init\": \"zeros\", \"shape\": [1, 3, 3], \"patches\": [2, 2]}}}}";
        SpecException e = error(spec);
        assertEquals("$.initial.states.a.patches", e.path());
        assertTrue(e.getMessage().contains("multiples"), e.getMessage());
    }
}
