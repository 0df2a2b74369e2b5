package org.hamux.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Lagrangian;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.spec.SpecWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class LayersPluginTest {

    /** A minimal JSON object and the class it makes, for every type this module registers. */
    private static final Map<String, String> MINIMAL = new LinkedHashMap<>();
    private static final Map<String, Class<? extends Lagrangian>> CLASSES = new LinkedHashMap<>();

    static {
        minimal("identity", "{\"type\": \"identity\"}", IdentityLagrangian.class);
        minimal("relu", "{\"type\": \"relu\"}", ReluLagrangian.class);
        minimal("repu", "{\"type\": \"repu\", \"n\": 3}", RepuLagrangian.class);
        minimal("exp", "{\"type\": \"exp\"}", ExpLagrangian.class);
        minimal("rexp", "{\"type\": \"rexp\"}", RexpLagrangian.class);
        minimal("tanh", "{\"type\": \"tanh\"}", TanhLagrangian.class);
        minimal("sigmoid", "{\"type\": \"sigmoid\"}", SigmoidLagrangian.class);
        minimal("softmax", "{\"type\": \"softmax\"}", SoftmaxLagrangian.class);
        minimal("layernorm", "{\"type\": \"layernorm\"}", LayerNormLagrangian.class);
        minimal("spherical", "{\"type\": \"spherical\"}", SphericalLagrangian.class);
        minimal("ghostmax", "{\"type\": \"ghostmax\"}", GhostmaxLagrangian.class);
        minimal("sign", "{\"type\": \"sign\"}", SignLagrangian.class);
    }

    private static void minimal(String type, String json, Class<? extends Lagrangian> c) {
        MINIMAL.put(type, json);
        CLASSES.put(type, c);
    }

    private static String spec(String lagrangian) {
        return "{\"layers\": {\"v\": {\"shape\": [4], \"lagrangian\": " + lagrangian + "}}}";
    }

    private static Lagrangian read(String lagrangian) {
        EnergyGraph g = SpecReader.parse(spec(lagrangian), Path.of("."), "test.json", Registry.standard()).graph();
        return g.layer("v").lagrangian();
    }

    @Test
    void everyTypeIsRegisteredAndBuildsFromMinimalJson() {
        assertEquals(new TreeSet<>(MINIMAL.keySet()), new TreeSet<>(Registry.standard().lagrangianTypes().keySet()));
        MINIMAL.forEach((type, json) -> {
            Lagrangian l = read(json);
            assertInstanceOf(CLASSES.get(type), l, type);
            assertEquals(type, l.type());
        });
    }

    @Test
    void defaultsMatchTheJavaConstructors() {
        assertEquals(new SoftmaxLagrangian(), read(MINIMAL.get("softmax")));
        assertEquals(new SigmoidLagrangian(), read(MINIMAL.get("sigmoid")));
        assertEquals(new LayerNormLagrangian(), read(MINIMAL.get("layernorm")));
        assertEquals(new SphericalLagrangian(), read(MINIMAL.get("spherical")));
        assertEquals(new GhostmaxLagrangian(), read(MINIMAL.get("ghostmax")));
        assertEquals(new TanhLagrangian(), read(MINIMAL.get("tanh")));
    }

    @Test
    void settingsAreRead() {
        assertEquals(new SoftmaxLagrangian(2.5, 0), read("{\"type\": \"softmax\", \"beta\": 2.5, \"axis\": 0}"));
        assertEquals(new SigmoidLagrangian(0.5, 3), read("{\"type\": \"sigmoid\", \"beta\": 0.5, \"scale\": 3}"));
        assertEquals(new RepuLagrangian(2.5), read("{\"type\": \"repu\", \"n\": 2.5}"));
        assertEquals(new LayerNormLagrangian(2, -0.5, 1e-3),
                read("{\"type\": \"layernorm\", \"gamma\": 2, \"delta\": -0.5, \"eps\": 1e-3}"));
        assertEquals(new SphericalLagrangian(1, Nd4j.createFromArray(1f, 2f, 3f, 4f), 1e-5),
                read("{\"type\": \"spherical\", \"params\": {\"delta\": [1, 2, 3, 4]}}"));
        assertNotEquals(new SphericalLagrangian(1, 0.0),
                read("{\"type\": \"spherical\", \"params\": {\"delta\": [1, 2, 3, 4]}}"));
    }

    @Test
    void misspeltKeyIsReportedWithItsPath() {
        for (String json : MINIMAL.values()) {
            String bad = json.replace("}", ", \"betta\": 2}");
            SpecException e = assertThrows(SpecException.class, () -> read(bad), bad);
            assertTrue(e.getMessage().contains("$.layers.v.lagrangian.betta"), e.getMessage());
        }
    }

    @Test
    void badSettingsGiveLocatedMessages() {
        SpecException beta = assertThrows(SpecException.class, () -> read("{\"type\": \"softmax\", \"beta\": -1}"));
        assertTrue(beta.getMessage().contains("$.layers.v.lagrangian") && beta.getMessage().contains("beta"), beta.getMessage());
        SpecException n = assertThrows(SpecException.class, () -> read("{\"type\": \"repu\"}"));
        assertTrue(n.getMessage().contains("'n'"), n.getMessage());
        SpecException axis = assertThrows(SpecException.class, () -> read("{\"type\": \"ghostmax\", \"axis\": 1}"));
        assertTrue(axis.getMessage().contains("axis 1"), axis.getMessage());
        SpecException length = assertThrows(SpecException.class,
                () -> read("{\"type\": \"layernorm\", \"params\": {\"delta\": [1, 2, 3]}}"));
        assertTrue(length.getMessage().contains("delta has length 3"), length.getMessage());
        SpecException twice = assertThrows(SpecException.class,
                () -> read("{\"type\": \"layernorm\", \"delta\": 1, \"params\": {\"delta\": [1, 2, 3, 4]}}"));
        assertTrue(twice.getMessage().contains("$.layers.v.lagrangian.delta"), twice.getMessage());
    }

    @Test
    void writeThenReadGivesAnEqualGraph(@TempDir Path dir) {
        EnergyGraph g = EnergyGraph.builder()
                .layer("identity", new IdentityLagrangian(), 3)
                .layer("relu", new ReluLagrangian(), 3)
                .layer("repu", new RepuLagrangian(2.5), 3)
                .layer("exp", new ExpLagrangian(1.7), 3)
                .layer("rexp", new RexpLagrangian(0.3), 3)
                .layer("tanh", new TanhLagrangian(1.7), 3)
                .layer("sigmoid", new SigmoidLagrangian(1.7, 2.5), 3)
                .layer("softmax", new SoftmaxLagrangian(1.7, 0), 4, 5)
                .layer("ghostmax", new GhostmaxLagrangian(-2), 4, 5)
                .layer("layernorm", new LayerNormLagrangian(1.7, -0.3, 1e-3), 4, 5)
                .layer("layernormVector", new LayerNormLagrangian(0.8,
                        Nd4j.createFromArray(0.1f, -0.2f, 0.3f, 0.0f, 0.5f), 1e-5), 4, 5)
                .layer("spherical", new SphericalLagrangian(1.7, 0.25, 1e-4), 4, 5)
                .layer("sphericalVector", new SphericalLagrangian(0.8,
                        Nd4j.createFromArray(0.1f, -0.2f, 0.3f, 0.0f, 0.5f), 1e-5), 4, 5)
                .build();
        Path file = dir.resolve("all.json");
        SpecWriter.write(file, "all", g, null);
        EnergyGraph back = SpecReader.read(file).graph();
        assertEquals(g, back);
        back.layers().forEach((name, layer) -> assertEquals(g.layer(name).lagrangian(), layer.lagrangian(), name));
    }
}
