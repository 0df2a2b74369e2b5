package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hamux.core.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class RunCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesStatesActivationsAndAnEnergyTraceThatGoesDown() throws IOException {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("run", spec, "--out", out.toString());
        assertEquals(0, r.code(), r::toString);

        Map<String, INDArray> states = Npz.read(out.resolve("states.npz"));
        assertEquals(List.of("v", "h"), List.copyOf(states.keySet()));
        assertArrayEquals(new long[] {2, 4}, states.get("v").shape());
        assertArrayEquals(new long[] {2, 3}, Npz.read(out.resolve("activations.npz")).get("h").shape());

        List<String> csv = Files.readAllLines(out.resolve("energy.csv"));
        assertEquals("step,total,mean,e0,e1", csv.get(0));
        assertEquals(1 + 31, csv.size(), "a header and steps + 1 rows");
        double previous = Double.POSITIVE_INFINITY;
        for (String row : csv.subList(1, csv.size())) {
            double total = Double.parseDouble(row.split(",")[1]);
            assertTrue(total <= previous + 1e-5, () -> "energy rose at " + row);
            previous = total;
        }
        double first = Double.parseDouble(csv.get(1).split(",")[1]);
        assertTrue(previous < first - 1e-3, () -> "energy did not go down: " + csv);

        assertTrue(r.out().contains("steps:     30 of 30"), r::toString);
        assertTrue(r.out().matches("(?s).*retrieved [0-2]/2 queries \\(\\d+\\.\\d%\\).*"), r::toString);
        assertTrue(Files.size(out.resolve("grid.png")) > 0);
        assertEquals("", r.err(), "no progress bar when stderr is not a terminal");
    }

    @Test
    void takesStepsAndDtFromTheOptions() {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Cli.Result r = Cli.run("run", spec, "--steps", "5", "--dt", "0.05", "--out", dir.resolve("o").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("steps:     5 of 5 (dt 0.05)"), r::toString);
    }

    @Test
    void runsInFloat64WhenAsked() {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Cli.Result r = Cli.run("run", spec, "--dtype", "float64", "--steps", "3", "--out", dir.resolve("o").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("float64"), r::toString);
        assertEquals("DOUBLE", Npz.read(dir.resolve("o/states.npz")).get("v").dataType().name());
    }

    @Test
    void rejectsASpecWithoutInitialStates() {
        // everything before "initial" (and "retrieval"), closed again
        String noInitial = TinySpecs.GOOD.substring(0, TinySpecs.GOOD.indexOf(",\n  \"initial\"")) + "\n}\n";
        assertTrue(!noInitial.contains("initial"), noInitial);
        Cli.Result r = Cli.run("run", TinySpecs.write(dir, "x.json", noInitial), "--out", dir.toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("\"initial\""), r::toString);
    }

    @Test
    void rejectsANegativeDtOption() {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Cli.Result r = Cli.run("run", spec, "--dt", "-1");
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("--dt"), r::toString);
    }

    @Test
    void reportsDivergenceAsAFailure() {
        String unstable = TinySpecs.goodWith("[[0.05, 0, 0, 0], [0, 0.05, 0, 0], [0, 0, 0.05, 0], [0, 0, 0, 0.05]]",
                "[[10, 0, 0, 0], [0, 10, 0, 0], [0, 0, 10, 0], [0, 0, 0, 10]]");
        Cli.Result r = Cli.run("run", TinySpecs.write(dir, "x.json", unstable), "--dt", "1", "--steps", "500",
                "--out", dir.resolve("o").toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("no longer finite"), r::toString);
    }

    @Test
    void reportsAnUnwritableOutputAsAFailure() throws IOException {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
        Cli.Result r = Cli.run("run", spec, "--steps", "1", "--out", blocker.resolve("out").toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("cannot write"), r::toString);
        assertEquals("a file, not a folder", Files.readString(blocker));
    }
}
