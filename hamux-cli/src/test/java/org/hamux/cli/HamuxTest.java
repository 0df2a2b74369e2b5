package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HamuxTest {

    @Test
    void printsTheVersion() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("hamux 0.1.0"), r::toString);
    }

    @Test
    void printsHelpListingEverySubcommand() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code(), r::toString);
        for (String sub : new String[] {"run", "energy", "validate", "describe"}) {
            assertTrue(r.out().contains(sub), sub);
        }
    }

    @Test
    void printsHelpOfASubcommand() {
        Cli.Result r = Cli.run("run", "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("--out"), r::toString);
    }

    @Test
    void rejectsAMissingSubcommandInOneLine() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().startsWith("hamux: missing subcommand"), r::toString);
    }

    @Test
    void rejectsAnUnknownOptionInOneLine() {
        Cli.Result r = Cli.run("validate", "--frobnicate", "x.json");
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("--frobnicate"), r::toString);
    }

    @Test
    void rejectsAMissingSpecArgument() {
        Cli.Result r = Cli.run("run");
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("SPEC"), r::toString);
    }

    @Test
    void rejectsAnUnknownDtype() {
        Cli.Result r = Cli.run("validate", "--dtype", "int8", "x.json");
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("float32 or float64"), r::toString);
    }
}
