package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void acceptsAGoodSpec() {
        Cli.Result r = Cli.run("validate", TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD));
        assertEquals(0, r.code(), r::toString);
        assertEquals("ok: tiny: 2 layers, 4 synapses, 44 parameters", r.out().strip());
        assertEquals("", r.err());
    }

    @Test
    void warnsWhenTheEnergyIsUnboundedBelowAndNamesTheFix() {
        String unbounded = """
                {"layers": {"v": {"shape": [3], "lagrangian": {"type": "identity"}, "energy": false}},
                 "synapses": {"m": {"type": "lse-memory", "params": {"xi": [[1, 0, 0], [0, 1, 0]]}}},
                 "connections": [{"synapse": "m", "layers": ["v"]}]}
                """;
        Cli.Result r = Cli.run("validate", TinySpecs.write(dir, "u.json", unbounded));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().startsWith("warning: ") && r.err().contains("unbounded below") && r.err().contains("'m'")
                && r.err().contains("[v] have their own energy off") && r.err().contains("distance similarity"), r::toString);
        String bounded = unbounded.replace("\"type\": \"lse-memory\"",
                "\"type\": \"dam\", \"separation\": \"exp\", \"similarity\": \"neg-half-sq-distance\", \"log\": true, \"prefactor\": \"1/beta\"");
        Cli.Result ok = Cli.run("validate", TinySpecs.write(dir, "b.json", bounded));
        assertEquals(0, ok.code(), ok::toString);
        assertEquals("", ok.err(), ok::toString);
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("invalid JSON", TinySpecs.goodWith("\"name\": \"tiny\",", "\"name\": \"tiny\",,"),
                        "bad.json:3:"),
                Arguments.of("unknown layer in a connection",
                        TinySpecs.goodWith("\"layers\": [\"v\", \"h\"]", "\"layers\": [\"v\", \"q\"]"),
                        "$.connections[0].layers[1]"),
                Arguments.of("unknown Lagrangian type",
                        TinySpecs.goodWith("\"shape\": [4], \"lagrangian\": {\"type\": \"identity\"}",
                                "\"shape\": [4], \"lagrangian\": {\"type\": \"idenity\"}"),
                        "$.layers.v.lagrangian.type"),
                Arguments.of("wrong parameter shape",
                        TinySpecs.goodWith("\"b\": [0.1, 0.2, 0.3]", "\"b\": [0.1, 0.2]"), "$.synapses.b"),
                Arguments.of("non-positive tau", TinySpecs.goodWith("\"tau\": 0.5", "\"tau\": 0"), "$.layers.h.tau"),
                Arguments.of("negative dt", TinySpecs.goodWith("\"dt\": 0.1", "\"dt\": -0.1"), "$.dynamics.dt"),
                Arguments.of("missing npy file",
                        TinySpecs.goodWith("\"xi\": [[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]]", "\"xi\": \"missing.npy\""),
                        "$.synapses.mem.params.xi"),
                Arguments.of("spec version too new", TinySpecs.goodWith("\"hamux\": 1", "\"hamux\": 2"), "$.hamux"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void rejectsABadSpecInOneLocatedLine(String what, String spec, String place) {
        Cli.Result r = Cli.run("validate", TinySpecs.write(dir, "bad.json", spec));
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().startsWith("hamux: "), r::toString);
        assertTrue(r.err().contains(place), () -> "expected " + place + " in\n" + r);
        assertFalse(r.err().contains("Exception"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void showsTheStackTraceOnlyWhenVerbose() {
        String bad = TinySpecs.write(dir, "bad.json", TinySpecs.goodWith("\"dt\": 0.1", "\"dt\": -0.1"));
        Cli.Result r = Cli.run("validate", "--verbose", bad);
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.errLines().length > 1, r::toString);
        assertTrue(r.err().contains("SpecException"), r::toString);
    }

    @Test
    void rejectsAMissingSpecFile() {
        Cli.Result r = Cli.run("validate", dir.resolve("nothing.json").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("no such file"), r::toString);
    }
}
