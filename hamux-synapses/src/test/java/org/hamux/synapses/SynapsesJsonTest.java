package org.hamux.synapses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.hamux.core.Hypersynapse;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON forms of attention, conv and conv-pool: defaults, inits shaped from the layers, located shape errors. */
class SynapsesJsonTest {

    @TempDir
    Path dir;

    /** Layers {@code tok [4, 6]}, {@code key [3, 6]}, {@code img [2, 8, 8]}, {@code map [3, 8, 8]}, {@code pooled [3, 4, 4]}. */
    private String spec(String synapse, String... layers) {
        return """
                {"layers": {"tok": {"shape": [4, 6], "lagrangian": {"type": "layernorm"}},
                            "key": {"shape": [3, 6], "lagrangian": {"type": "identity"}},
                            "img": {"shape": [2, 8, 8], "lagrangian": {"type": "identity"}},
                            "map": {"shape": [3, 8, 8], "lagrangian": {"type": "identity"}},
                            "pooled": {"shape": [3, 4, 4], "lagrangian": {"type": "identity"}}},
                 "synapses": {"s": %s},
                 "connections": [{"synapse": "s", "layers": ["%s"]}]}
                """.formatted(synapse, String.join("\", \"", layers));
    }

    private Hypersynapse read(String synapse, String... layers) {
        return SpecReader.parse(spec(synapse, layers), dir, "test.json", Registry.standard()).graph().synapses().get("s");
    }

    private String fails(String synapse, String... layers) {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecReader.parse(spec(synapse, layers), dir, "test.json", Registry.standard()));
        assertTrue(e.getMessage().contains("$.synapses.s"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void registersItsTypes() {
        assertTrue(Registry.standard().synapseTypes().keySet().containsAll(List.of("attention", "conv", "conv-pool")),
                Registry.standard().synapseTypes().keySet().toString());
    }

    @Test
    void selfAttentionFromInitWithHeadsAndDefaultBeta() {
        Hypersynapse s = read("""
                {"type": "attention", "heads": 2, "head_dim": 3,
                 "params": {"W_Q": {"init": "normal", "std": 0.1}, "W_K": {"init": "normal", "std": 0.1}}}""", "tok");
        assertInstanceOf(AttentionSynapse.class, s);
        assertArrayEquals(new long[] {2, 3, 6}, s.parameter("W_Q").shape());
        assertEquals(1 / Math.sqrt(3), s.scalarParameter("beta"), 1e-6);
        assertFalse(((AttentionSynapse) s).diagonal());
    }

    @Test
    void crossAttentionWithOneBetaPerHead() {
        Hypersynapse s = read("""
                {"type": "attention", "beta": [0.5, 2], "diagonal": true,
                 "params": {"W_Q": {"init": "normal", "shape": [2, 3, 6]}, "W_K": {"init": "normal", "shape": [2, 3, 6]}}}""",
                "tok", "key");
        assertArrayEquals(new long[] {2}, s.parameter("beta").shape());
        assertEquals(2.0, s.parameter("beta").getDouble(1), 1e-6);
    }

    @Test
    void attentionOfTheWrongWidthNamesBothShapes() {
        String m = fails("""
                {"type": "attention", "params": {"W_Q": {"init": "normal", "shape": [2, 3, 5]},
                 "W_K": {"init": "normal", "shape": [2, 3, 5]}}}""", "tok");
        assertTrue(m.contains("[2, 3, 5]") && m.contains("[4, 6]") && m.contains("D = 5"), m);
    }

    @Test
    void attentionWithABetaOfTheWrongLengthIsRefused() {
        String m = fails("""
                {"type": "attention", "beta": [1, 2, 3], "heads": 2, "head_dim": 3,
                 "params": {"W_Q": {"init": "normal"}, "W_K": {"init": "normal"}}}""", "tok");
        assertTrue(m.contains("beta") && m.contains("[2]"), m);
    }

    @Test
    void convFromInitShapedByTheLayersAndTheKernel() {
        Hypersynapse s = read("""
                {"type": "conv", "kernel": 3, "padding": 1,
                 "params": {"W": {"init": "normal", "std": 0.1}, "b": {"init": "zeros"}}}""", "img", "map");
        assertInstanceOf(ConvSynapse.class, s);
        assertArrayEquals(new long[] {3, 2, 3, 3}, s.parameter("W").shape());
        assertArrayEquals(new long[] {3}, s.parameter("b").shape());
        assertArrayEquals(new int[] {1, 1}, ((ConvSynapse) s).stride());
    }

    @Test
    void convWhoseOutputDoesNotFitNamesExpectedAndActualShapes() {
        String m = fails("""
                {"type": "conv", "stride": [2, 2], "params": {"W": {"init": "normal", "shape": [3, 2, 3, 3]}}}""",
                "img", "map");
        assertTrue(m.contains("[3, 8, 8]") && m.contains("[3, 3, 3]"), m);
    }

    @Test
    void convWithTheWrongInputChannelsIsRefused() {
        String m = fails("""
                {"type": "conv", "params": {"W": {"init": "normal", "shape": [3, 5, 3, 3]}}}""", "img", "map");
        assertTrue(m.contains("[2, 8, 8]") && m.contains("[5, H, W]"), m);
    }

    @Test
    void convPoolWithAverageWindowAndDefaultStride() {
        Hypersynapse s = read("""
                {"type": "conv-pool", "kernel": [3, 3], "padding": [1, 1], "pool": "avg", "window": 2,
                 "params": {"W": {"init": "normal", "std": 0.1}}}""", "img", "pooled");
        assertInstanceOf(ConvPoolSynapse.class, s);
        assertEquals("avg", s.hyperparameters().get("pool"));
        assertEquals(List.of(2, 2), s.hyperparameters().get("pool_stride"));
    }

    @Test
    void convPoolNeedsAWindowAndAKnownPooling() {
        String m = fails("""
                {"type": "conv-pool", "params": {"W": {"init": "normal", "shape": [3, 2, 1, 1]}}}""", "img", "pooled");
        assertTrue(m.contains("window"), m);
        m = fails("""
                {"type": "conv-pool", "pool": "median", "window": 2,
                 "params": {"W": {"init": "normal", "shape": [3, 2, 1, 1]}}}""", "img", "pooled");
        assertTrue(m.contains("median"), m);
    }
}
