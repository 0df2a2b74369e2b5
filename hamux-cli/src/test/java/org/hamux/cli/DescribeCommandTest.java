package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeCommandTest {

    @TempDir
    Path dir;

    @Test
    void describesLayersSynapsesAndDynamics() {
        Cli.Result r = Cli.run("describe", TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD));
        assertEquals(0, r.code(), r::toString);
        for (String s : new String[] {"layers:", "synapses:", "lse-memory", "v, h", "v, v", "parameters: 44",
                                      "dt 0.1, steps 30", "retrieval:  layer v"}) {
            assertTrue(r.out().contains(s), () -> "expected '" + s + "' in\n" + r);
        }
    }

    @Test
    void printsTheHypergraphAsDot() {
        Cli.Result r = Cli.run("describe", "--dot", TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("graph "), r::toString);
        assertTrue(r.out().contains("shape=ellipse") && r.out().contains("shape=box"), r::toString);
        assertEquals(2, r.out().split("\"v\" -- \"self\"", -1).length - 1, "a layer connected twice: two edges");
        assertTrue(r.out().strip().endsWith("}"), r::toString);
    }
}
