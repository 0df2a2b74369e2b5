package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.spec.SpecWriter;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The JSON forms of dam and its presets, random-features, hidden and n-ary dense: loading, errors, round trips. */
class MemorySpecsTest {

    private static final String XI = "[[1, 0, -1], [0.5, 0.5, 0]]";

    @TempDir
    Path dir;

    /** Layers {@code a [2]}, {@code b [3]}, {@code t [3, 4]}, identity, and synapse {@code s} on {@code layers}. */
    private static String spec(String synapse, String... layers) {
        return """
                {"dtype": "float64",
                 "layers": {"a": {"shape": [2], "lagrangian": {"type": "identity"}},
                            "b": {"shape": [3], "lagrangian": {"type": "identity"}},
                            "t": {"shape": [3, 4], "lagrangian": {"type": "identity"}}},
                 "synapses": {"s": %s},
                 "connections": [{"synapse": "s", "layers": ["%s"]}]}
                """.formatted(synapse, String.join("\", \"", layers));
    }

    private EnergyGraph graph(String synapse, String... layers) {
        return SpecReader.parse(spec(synapse, layers), dir, "test.json", Registry.standard()).graph();
    }

    private Hypersynapse read(String synapse, String... layers) {
        return graph(synapse, layers).synapses().get("s");
    }

    private SpecException fails(String synapse, String... layers) {
        return assertThrows(SpecException.class,
                () -> SpecReader.parse(spec(synapse, layers), dir, "test.json", Registry.standard()));
    }

    private static INDArray xi() {
        return Nd4j.create(new double[][] {{1, 0, -1}, {0.5, 0.5, 0}});
    }

    private static INDArray g() {
        return Numerics.rng(70).normal(DataType.DOUBLE, 0, 1, 3, 3);
    }

    /** Same energy and gradient as {@code expected} on a batch for layer b. */
    private static void assertSameSynapse(Hypersynapse expected, Hypersynapse actual) {
        List<INDArray> g = List.of(g());
        assertClose(expected.energy(EagerOps.INSTANCE, g), actual.energy(EagerOps.INSTANCE, g), 1e-12, 1e-12,
                actual + " energy");
        assertClose(expected.gradient(EagerOps.INSTANCE, g).get(0), actual.gradient(EagerOps.INSTANCE, g).get(0),
                1e-12, 1e-12, actual + " gradient");
    }

    @Test
    void registersItsTypes() {
        assertTrue(Registry.standard().synapseTypes().keySet().containsAll(
                List.of("dam", "hopfield", "power-dam", "exp-dam", "lsr", "et-hopfield")),
                Registry.standard().synapseTypes().keySet().toString());
    }

    @Test
    void presetsLoadAsDamsWithTheirForms() {
        INDArray xi = xi();
        assertSameSynapse(DamSynapse.hopfield(xi), read("{\"type\": \"hopfield\", \"params\": {\"xi\": " + XI + "}}", "b"));
        assertSameSynapse(DamSynapse.powerDam(xi, 3, 1.0),
                read("{\"type\": \"power-dam\", \"params\": {\"xi\": " + XI + "}}", "b"));
        assertSameSynapse(DamSynapse.powerDam(xi, 4, 0.5),
                read("{\"type\": \"power-dam\", \"n\": 4, \"beta\": 0.5, \"params\": {\"xi\": " + XI + "}}", "b"));
        assertSameSynapse(DamSynapse.expDam(xi, 0.5),
                read("{\"type\": \"exp-dam\", \"beta\": 0.5, \"params\": {\"xi\": " + XI + "}}", "b"));
        assertSameSynapse(DamSynapse.lsr(xi, 0.1, 0.01),
                read("{\"type\": \"lsr\", \"beta\": 0.1, \"eps\": 0.01, \"params\": {\"xi\": " + XI + "}}", "b"));
        assertSameSynapse(DamSynapse.etHopfield(xi),
                read("{\"type\": \"et-hopfield\", \"params\": {\"xi\": " + XI + "}}", "b"));
        Hypersynapse dam = read("{\"type\": \"dam\", \"separation\": \"exp\", \"similarity\": \"dot\", \"log\": true,"
                + " \"prefactor\": \"1/beta\", \"beta\": 0.4, \"params\": {\"xi\": " + XI + "}}", "b");
        assertInstanceOf(DamSynapse.class, dam);
        assertSameSynapse(DamSynapse.lseMemory(xi, 0.4), dam);
    }

    @Test
    void damOnEveryRowOfATokenLayer() {
        Hypersynapse s = read("{\"type\": \"hopfield\", \"params\": {\"xi\": {\"init\": \"normal\", \"shape\": [5, 4]}}}",
                "t");
        assertEquals(4, s.parameter("xi").size(1));
    }

    @Test
    void damRejectsAnUnknownSeparationAtItsKey() {
        SpecException e = fails("{\"type\": \"dam\", \"separation\": \"cubic\", \"params\": {\"xi\": " + XI + "}}", "b");
        assertEquals("$.synapses.s.separation", e.path());
        assertTrue(e.getMessage().contains("relu-power") && e.getMessage().contains("shifted-relu"), e.getMessage());
    }

    @Test
    void damRejectsABadPrefactorAndABadPower() {
        SpecException p = fails("{\"type\": \"dam\", \"prefactor\": \"1/gamma\", \"params\": {\"xi\": " + XI + "}}", "b");
        assertEquals("$.synapses.s.prefactor", p.path());
        assertTrue(p.getMessage().contains("1/beta"), p.getMessage());
        SpecException n = fails("{\"type\": \"power-dam\", \"n\": 2.5, \"params\": {\"xi\": " + XI + "}}", "b");
        assertTrue(n.getMessage().contains("$.synapses.s") && n.getMessage().contains("positive integer"),
                n.getMessage());
        SpecException w = fails("{\"type\": \"lsr\", \"params\": {\"xi\": " + XI + "}}", "a");
        assertTrue(w.getMessage().contains("'xi'") && w.getMessage().contains("[K, 2]"), w.getMessage());
    }

    @Test
    void aKeyThatTheFormDoesNotUseIsReported() {
        SpecException e = fails("{\"type\": \"exp-dam\", \"n\": 3, \"params\": {\"xi\": " + XI + "}}", "b");
        assertEquals("$.synapses.s.n", e.path());
    }

    @Test
    void damWrittenAndReadBackIsEqual() {
        for (Hypersynapse s : List.of(DamSynapse.lsr(xi(), 0.3, 0.01), DamSynapse.powerDam(xi(), 3, 0.5),
                DamSynapse.etHopfield(xi()))) {
            EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE)
                    .layer("b", new org.hamux.layers.IdentityLagrangian(), 3)
                    .synapse("s", s, "b")
                    .build();
            Path file = dir.resolve("dam.json");
            SpecWriter.write(file, "dam", graph, null);
            EnergyGraph back = SpecReader.read(file).graph();
            assertEquals(graph, back);
            assertSameSynapse(graph.synapses().get("s"), back.synapses().get("s"));
        }
    }

    @Test
    void randomFeaturesFromMemoriesAndWrittenBackFolded() {
        Hypersynapse s = read("{\"type\": \"random-features\", \"kind\": \"trigonometric\", \"beta\": 0.5,"
                + " \"features\": 40, \"seed\": 9, \"memories\": " + XI + "}", "b");
        assertInstanceOf(RandomFeatureSynapse.class, s);
        assertSameSynapse(RandomFeatureSynapse.of(xi(), 0.5, 40, RandomFeatureSynapse.Kind.TRIGONOMETRIC, 9), s);
        EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("b", new org.hamux.layers.IdentityLagrangian(), 3)
                .synapse("s", s, "b")
                .build();
        Path file = dir.resolve("rf.json");
        SpecWriter.write(file, "rf", graph, null);
        EnergyGraph back = SpecReader.read(file).graph();
        assertEquals(graph, back);
        assertSameSynapse(s, back.synapses().get("s"));
        assertTrue(read("{\"type\": \"random-features\", \"features\": 8, \"memories\": " + XI + "}", "b")
                .toString().contains("positive"), "positive features by default");
    }

    @Test
    void randomFeaturesReportBadSettingsWhereTheyAre() {
        SpecException k = fails("{\"type\": \"random-features\", \"kind\": \"fourier\", \"features\": 8,"
                + " \"memories\": " + XI + "}", "b");
        assertEquals("$.synapses.s.kind", k.path());
        SpecException f = fails("{\"type\": \"random-features\", \"memories\": " + XI + "}", "b");
        assertTrue(f.getMessage().contains("features"), f.getMessage());
        SpecException w = fails("{\"type\": \"random-features\", \"features\": 8, \"memories\": " + XI + "}", "a");
        assertTrue(w.getMessage().contains("'omega'") && w.getMessage().contains("[K, 2]"), w.getMessage());
        SpecException z = fails("{\"type\": \"random-features\", \"features\": 0, \"memories\": " + XI + "}", "b");
        assertTrue(z.getMessage().contains("$.synapses.s") && z.getMessage().contains("at least 1"), z.getMessage());
    }

    @Test
    void denseOfThreeLayersTakesOneAxisPerLayer() {
        Hypersynapse s = read("{\"type\": \"dense\", \"params\": {\"W\": {\"init\": \"normal\"}}}", "a", "b", "t");
        assertArrayEquals(new long[] {2, 3, 12}, s.parameter("W").shape());
        SpecException e = fails("{\"type\": \"dense\", \"params\": {\"W\": {\"init\": \"normal\", \"shape\": [2, 3, 4]}}}",
                "a", "b", "t");
        assertTrue(e.getMessage().contains("[2, 3, 4]") && e.getMessage().contains("[2, 3, 12]"), e.getMessage());
    }

    @Test
    void hiddenReadsItsLagrangianThroughTheRegistry() {
        Hypersynapse s = read("{\"type\": \"hidden\", \"lagrangian\": {\"type\": \"softmax\", \"beta\": 2},"
                + " \"hidden\": 5, \"params\": {\"W0\": {\"init\": \"normal\"}, \"W1\": {\"init\": \"normal\"}}}", "a", "b");
        assertInstanceOf(HiddenSynapse.class, s);
        assertTrue(s.toString().contains("softmax"), s.toString());
        assertArrayEquals(new long[] {2, 5}, s.parameter("W0").shape());
        assertArrayEquals(new long[] {3, 5}, s.parameter("W1").shape());
        Hypersynapse heads = read("{\"type\": \"hidden\", \"lagrangian\": {\"type\": \"tanh\"}, \"hidden\": 4,"
                + " \"heads\": 2, \"params\": {\"W0\": {\"init\": \"normal\"}}}", "t");
        assertArrayEquals(new long[] {2, 12, 4}, heads.parameter("W0").shape());
        EnergyGraph graph = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("a", new org.hamux.layers.IdentityLagrangian(), 2)
                .layer("b", new org.hamux.layers.IdentityLagrangian(), 3)
                .synapse("s", s.castTo(DataType.DOUBLE), "a", "b")
                .build();
        Path file = dir.resolve("hidden.json");
        SpecWriter.write(file, "hidden", graph, null);
        assertEquals(graph, SpecReader.read(file).graph());
    }

    @Test
    void hiddenReportsABadLagrangianAndBadWeightsWhereTheyAre() {
        SpecException l = fails("{\"type\": \"hidden\", \"lagrangian\": {\"type\": \"softmax\", \"betta\": 2},"
                + " \"hidden\": 5, \"params\": {\"W0\": {\"init\": \"normal\"}}}", "a");
        assertEquals("$.synapses.s.lagrangian.betta", l.path());
        SpecException w = fails("{\"type\": \"hidden\", \"lagrangian\": {\"type\": \"relu\"},"
                + " \"params\": {\"W0\": [[1, 2], [3, 4], [5, 6]]}}", "a");
        assertTrue(w.getMessage().contains("$.synapses.s") && w.getMessage().contains("'W0'")
                && w.getMessage().contains("[2, 2]"), w.getMessage());
        SpecException m = fails("{\"type\": \"hidden\", \"hidden\": 5, \"params\": {\"W0\": {\"init\": \"normal\"}}}", "a");
        assertTrue(m.getMessage().contains("'lagrangian'"), m.getMessage());
    }
}
