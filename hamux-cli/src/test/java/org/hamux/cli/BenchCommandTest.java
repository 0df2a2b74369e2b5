package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsOneCsvRowPerWorkloadWithTheMatrixProductWork() {
        Cli.Result r = benchTiny("--csv");
        String[] lines = r.out().strip().split("\\R");
        assertEquals(2, lines.length, r::toString);
        assertTrue(lines[0].startsWith("name,ms_median,ms_min,"), r::toString);
        String[] row = lines[1].split(",");
        assertEquals("tiny", row[0]);
        double median = Double.parseDouble(row[1]);
        double min = Double.parseDouble(row[2]);
        assertTrue(min > 0 && min <= median, r::toString);
        assertTrue(Double.parseDouble(row[4]) < Double.parseDouble(row[3]), "the energy descends: " + r);
        // w: 4 B 4 3, self: 4 B 4 4, mem: 4 B 3 4 with B = 2
        assertEquals(4.0 * 2 * (12 + 16 + 12) / 1e9, Double.parseDouble(row[5]), 1e-15, r::toString);
        // 30 steps a run, the first not counted: a second run gives at least 30 samples
        assertEquals("30", row[8]);
        assertEquals("2", row[9]);
    }

    @Test
    void profileListsTheOpsOfAStepAndWhatIsLeft() {
        Cli.Result r = benchTiny("--profile");
        String[] lines = r.out().strip().split("\\R");
        int head = 0;
        while (!lines[head].startsWith("#   where a step's")) {
            head++;
        }
        double step = Double.parseDouble(lines[head].replaceAll(".*step's ([0-9.]+) ms go.*", "$1"));
        assertTrue(lines[head].contains("median of 58 steps"), r::toString);       // two runs of 30, their first not counted
        double sum = 0;
        boolean product = false;
        for (int i = head + 1; i < lines.length; i++) {
            String[] f = lines[i].substring(1).trim().split("\\s+");
            boolean rest = lines[i].contains("(the rest:");
            double ms = Double.parseDouble(f[f.length - (rest ? 2 : 3)]);
            assertTrue(rest || ms >= 0, lines[i]);
            sum += ms;
            product |= lines[i].startsWith("#     mmul [2, 4]");
        }
        assertTrue(product, "the synapse's matrix products are listed with their shapes: " + r);
        assertEquals(step, sum, 0.002 * lines.length, "the ops and the rest make up the step: " + r);
    }

    /** {@code hamux bench} with {@code option} on the tiny spec, 2 s timed after 0.2 s of warm-up; it must succeed. */
    private Cli.Result benchTiny(String option) {
        TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Cli.Result r = Cli.run("bench", "--dir", dir.toString(), option, "--max-seconds", "2", "--warmup", "0.2");
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    @Test
    void aSpecWithTrainingIsTimedByOptimizerSteps() {
        // the tiny graph trained to recover its initial state: the loss falls over the optimizer steps timed
        String spec = TinySpecs.goodWith("\"dynamics\": {\"dt\": 0.1, \"steps\": 30},", """
                "dynamics": {"dt": 0.1, "steps": 6},
                "training": {"train": ["w.W", "mem.xi"], "inputs": {"v": "x"},
                             "loss": {"type": "mse", "layer": "v", "of": "state", "target": "y"},
                             "optimizer": {"type": "adam", "lr": 0.05}, "batch": 2},""");
        TinySpecs.write(dir, "tiny-train.json", spec);
        Cli.Result r = Cli.run("bench", "--dir", dir.toString(), "--csv", "--max-seconds", "2", "--warmup", "0.2");
        assertEquals(0, r.code(), r::toString);
        String[] lines = r.out().strip().split("\\R");
        assertTrue(lines[0].endsWith(",memory_mb"), r::toString);
        String[] row = lines[1].split(",");
        assertEquals("tiny", row[0]);
        assertTrue(Double.parseDouble(row[4]) < Double.parseDouble(row[3]), "the loss falls: " + r);
        assertEquals("6", row[8], "T steps a row");
        assertTrue(Integer.parseInt(row[9]) >= 30, "at least 30 optimizer steps timed: " + r);
        assertTrue(Double.parseDouble(row[5]) > 0 && Double.parseDouble(row[10]) > 0, "products and memory: " + r);
    }

    @Test
    void rejectsANegativeWarmup() {
        Cli.Result r = Cli.run("bench", "--dir", dir.toString(), "--warmup", "-1");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--warmup and --max-seconds"), r::toString);
    }

    @Test
    void rejectsAnUnknownWorkloadByName() {
        Cli.Result r = Cli.run("bench", "--dir", dir.toString(), "nope");
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("unknown workload 'nope'"), r::toString);
    }
}
