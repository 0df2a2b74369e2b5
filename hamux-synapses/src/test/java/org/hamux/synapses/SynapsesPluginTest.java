package org.hamux.synapses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.core.NeuronLayer;
import org.hamux.core.io.Npy;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.spec.SpecWriter;
import org.hamux.core.testing.Numerics;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.SoftmaxLagrangian;
import org.hamux.layers.TanhLagrangian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The JSON forms of dense, bias and lse-memory: inline, init, .npy, shape errors, write/read round trip. */
class SynapsesPluginTest {

    private static final String W23 = "[[1, 2, 3], [4, 5, 6]]";

    @TempDir
    Path dir;

    /** A spec with layers {@code a [2]}, {@code b [3]}, {@code t [3, 4]} and synapse {@code s} on {@code layers}. */
    private String spec(String synapse, String... layers) {
        return """
                {"layers": {"a": {"shape": [2], "lagrangian": {"type": "identity"}},
                            "b": {"shape": [3], "lagrangian": {"type": "identity"}},
                            "t": {"shape": [3, 4], "lagrangian": {"type": "identity"}}},
                 "synapses": {"s": %s},
                 "connections": [{"synapse": "s", "layers": ["%s"]}]}
                """.formatted(synapse, String.join("\", \"", layers));
    }

    private Hypersynapse read(String synapse, String... layers) {
        return SpecReader.parse(spec(synapse, layers), dir, "test.json", Registry.standard())
                .graph().synapses().get("s");
    }

    private SpecException fails(String synapse, String... layers) {
        return assertThrows(SpecException.class,
                () -> SpecReader.parse(spec(synapse, layers), dir, "test.json", Registry.standard()));
    }

    private static INDArray w23() {
        return Nd4j.create(new float[][] {{1, 2, 3}, {4, 5, 6}});
    }

    @Test
    void registersItsTypes() {
        assertTrue(Registry.standard().synapseTypes().keySet().containsAll(java.util.List.of("dense", "bias", "lse-memory")),
                Registry.standard().synapseTypes().keySet().toString());
    }

    @Test
    void denseFromInlineArray() {
        Hypersynapse s = read("{\"type\": \"dense\", \"params\": {\"W\": " + W23 + "}}", "a", "b");
        assertInstanceOf(DenseSynapse.class, s);
        assertEquals(w23(), s.parameter("W"));
    }

    @Test
    void denseInitWithoutShapeTakesTheLayerSizes() {
        Hypersynapse s = read("{\"type\": \"dense\", \"params\": {\"W\": {\"init\": \"normal\", \"std\": 0.01}}}",
                "t", "b");
        assertArrayEquals(new long[] {12, 3}, s.parameter("W").shape());
        assertTrue(s.parameter("W").amaxNumber().doubleValue() < 0.1, s.parameter("W").toString());
        Hypersynapse self = read("{\"type\": \"dense\", \"params\": {\"W\": {\"init\": \"uniform\"}}}", "b", "b");
        assertArrayEquals(new long[] {3, 3}, self.parameter("W").shape());
    }

    @Test
    void denseFromNpyFile() {
        Npy.write(dir.resolve("w.npy"), w23());
        assertEquals(w23(), read("{\"type\": \"dense\", \"params\": {\"W\": \"w.npy\"}}", "a", "b").parameter("W"));
        assertEquals(w23(), read("{\"type\": \"dense\", \"params\": {\"W\": {\"npy\": \"w.npy\"}}}", "a", "b")
                .parameter("W"));
    }

    @Test
    void denseOfTheWrongShapeNamesTheSynapseAndBothShapes() {
        SpecException e = fails("{\"type\": \"dense\", \"params\": {\"W\": [[1, 2], [3, 4], [5, 6]]}}", "a", "b");
        assertEquals("$.synapses.s", e.path());
        String m = e.getMessage();
        assertTrue(m.contains("$.synapses.s") && m.contains("'W'") && m.contains("[3, 2]") && m.contains("[2, 3]"), m);
    }

    @Test
    void denseNeedsTwoLayers() {
        SpecException e = fails("{\"type\": \"dense\", \"params\": {\"W\": [[1, 2]]}}", "a");
        assertTrue(e.getMessage().contains("2 layer(s)"), e.getMessage());
    }

    @Test
    void biasFromInlineInitAndNpy() {
        Hypersynapse s = read("{\"type\": \"bias\", \"params\": {\"b\": [1, 2, 3]}}", "b");
        assertInstanceOf(BiasSynapse.class, s);
        assertEquals(Nd4j.create(new float[] {1, 2, 3}), s.parameter("b"));
        Hypersynapse init = read(
                "{\"type\": \"bias\", \"params\": {\"b\": {\"init\": \"constant\", \"value\": 0.5}}}", "t");
        assertEquals(Nd4j.valueArrayOf(new long[] {3, 4}, 0.5f), init.parameter("b"));
        INDArray b = Numerics.rng(20).normal(DataType.FLOAT, 0, 1, 3, 4);
        Npy.write(dir.resolve("b.npy"), b);
        assertEquals(b, read("{\"type\": \"bias\", \"params\": {\"b\": \"b.npy\"}}", "t").parameter("b"));
    }

    @Test
    void biasOfTheWrongShapeNamesTheSynapseAndBothShapes() {
        String m = fails("{\"type\": \"bias\", \"params\": {\"b\": [1, 2]}}", "b").getMessage();
        assertTrue(m.contains("$.synapses.s") && m.contains("'b'") && m.contains("[2]") && m.contains("[3]"), m);
    }

    @Test
    void lseMemoryFromInlineArrayWithBeta() {
        Hypersynapse s = read("{\"type\": \"lse-memory\", \"beta\": 0.05, \"params\": {\"xi\": " + W23 + "}}", "b");
        assertInstanceOf(DamSynapse.class, s);
        assertEquals(DamSynapse.lseMemory(w23(), 0.05), s.castTo(DataType.DOUBLE));
        assertEquals(w23(), s.parameter("xi"));
        assertEquals(0.05f, (float) s.scalarParameter("beta"));
    }

    @Test
    void lseMemoryBetaKeepsTheSpecsPrecision() {
        String json = spec("{\"type\": \"lse-memory\", \"beta\": 0.05, \"params\": {\"xi\": " + W23 + "}}", "b")
                .replaceFirst("\\{", "{\"dtype\": \"float64\", ");
        Hypersynapse s = SpecReader.parse(json, dir, "test.json", Registry.standard()).graph().synapses().get("s");
        assertEquals(DataType.DOUBLE, s.parameter("beta").dataType());
        assertEquals(0.05, s.scalarParameter("beta"));
    }

    @Test
    void lseMemoryBetaDefaultsToOne() {
        Hypersynapse s = read("{\"type\": \"lse-memory\", \"params\": {\"xi\": " + W23 + "}}", "b");
        assertEquals(DamSynapse.BETA.defaultValue(), s.scalarParameter("beta"));
    }

    @Test
    void lseMemoryInitNeedsTheNumberOfMemories() {
        Hypersynapse s = read(
                "{\"type\": \"lse-memory\", \"params\": {\"xi\": {\"init\": \"normal\", \"shape\": [5, 3]}}}", "b");
        assertArrayEquals(new long[] {5, 3}, s.parameter("xi").shape());
        String m = fails("{\"type\": \"lse-memory\", \"params\": {\"xi\": {\"init\": \"normal\"}}}", "b").getMessage();
        assertTrue(m.contains("[K, 3]") && m.contains("$.synapses.s.params.xi"), m);
        Hypersynapse rows = read(
                "{\"type\": \"lse-memory\", \"params\": {\"xi\": {\"init\": \"normal\", \"shape\": [5, 4]}}}", "t");
        assertArrayEquals(new long[] {5, 4}, rows.parameter("xi").shape());
    }

    @Test
    void lseMemoryFromNpyFile() {
        INDArray xi = Numerics.rng(21).normal(DataType.FLOAT, 0, 1, 6, 12);
        Npy.write(dir.resolve("xi.npy"), xi);
        assertEquals(xi, read(
                "{\"type\": \"lse-memory\", \"beta\": 2, \"params\": {\"xi\": \"xi.npy\"}}", "t").parameter("xi"));
    }

    @Test
    void lseMemoryOfTheWrongWidthNamesTheSynapseAndBothShapes() {
        String m = fails("{\"type\": \"lse-memory\", \"params\": {\"xi\": [[1, 2, 3, 4, 5]]}}", "t").getMessage();
        assertTrue(m.contains("$.synapses.s") && m.contains("'xi'") && m.contains("[1, 5]") && m.contains("[K, 12]")
                && m.contains("[K, 4]"), m);
    }

    @Test
    void lseMemoryRejectsABetaThatIsNotPositive() {
        String m = fails(
                "{\"type\": \"lse-memory\", \"beta\": -1, \"params\": {\"xi\": " + W23 + "}}", "b").getMessage();
        assertTrue(m.contains("$.synapses.s") && m.contains("beta"), m);
    }

    @Test
    void unknownKeysAreReported() {
        SpecException e = fails("{\"type\": \"lse-memory\", \"betta\": 0.1, \"params\": {\"xi\": " + W23 + "}}", "b");
        assertEquals("$.synapses.s.betta", e.path());
        SpecException p = fails("{\"type\": \"dense\", \"params\": {\"W\": " + W23 + ", \"V\": 1}}", "a", "b");
        assertEquals("$.synapses.s.params.V", p.path());
    }

    @Test
    void writeThenReadGivesAnEqualGraph() {
        EnergyGraph graph = EnergyGraph.builder()
                .layer("v", new IdentityLagrangian(), 6)
                .layer("h", new TanhLagrangian(0.5), 4)
                .layer("t", new NeuronLayer(new long[] {3, 4}, new SoftmaxLagrangian(2.0, -1)))
                .synapse("vh", new DenseSynapse(Numerics.rng(22).normal(DataType.FLOAT, 0, 0.1, 6, 4)), "v", "h")
                .synapse("hh", new DenseSynapse(Numerics.rng(23).normal(DataType.FLOAT, 0, 0.1, 4, 4)), "h", "h")
                .synapse("hb", new BiasSynapse(Numerics.rng(24).normal(DataType.FLOAT, 0, 1, 4)), "h")
                .synapse("mem", DamSynapse.lseMemory(Numerics.rng(25).normal(DataType.FLOAT, 0, 1, 12, 6), 0.05), "v")
                .synapse("tok", DamSynapse.lseMemory(Numerics.rng(26).normal(DataType.FLOAT, 0, 1, 5, 4), 1.0), "t")
                .build();
        Path file = dir.resolve("round.json");
        SpecWriter.write(file, "round", graph, null);
        assertTrue(Files.exists(dir.resolve("round.params.npz")), "the [12, 6] memories go to the .npz");
        EnergyGraph back = SpecReader.read(file).graph();
        assertEquals(graph, back);
        assertEquals(graph.toString(), back.toString());
    }
}
