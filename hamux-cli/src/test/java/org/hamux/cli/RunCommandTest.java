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

    @Test
    void startsFromStatesGivenAsNumpyFilesInsteadOfTheSpecs() throws IOException {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        INDArray v = org.nd4j.linalg.factory.Nd4j.create(new double[][] {{1, 0, 0, 1}, {0, 1, 1, 0}, {1, 1, 0, 0}});
        org.hamux.core.io.Npy.write(dir.resolve("v.npy"), v);
        Npz.write(dir.resolve("s.npz"), Map.of("queries", v));
        for (String file : List.of(dir.resolve("v.npy").toString(), dir.resolve("s.npz") + ":queries")) {
            Path out = dir.resolve("o" + file.length());
            Cli.Result r = Cli.run("run", spec, "--state", "v=" + file, "--steps", "2", "--out", out.toString());
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains("batch 3"), r::toString);
            assertArrayEquals(new long[] {3, 4}, Npz.read(out.resolve("states.npz")).get("v").shape());
        }
        Cli.Result missing = Cli.run("run", spec, "--state", "v=" + dir.resolve("s.npz") + ":nope", "--steps", "1");
        assertEquals(2, missing.code(), missing::toString);
        assertTrue(missing.err().contains("no array 'nope'") && missing.err().contains("queries"), missing::toString);
    }

    @Test
    void aParameterFileMissingATrainedParameterOrHoldingAnUnknownOneIsRefused() {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        INDArray w = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3);
        Npz.write(dir.resolve("partial.npz"), Map.of("w.W", w));
        Cli.Result partial = Cli.run("run", spec, "--params", dir.resolve("partial.npz").toString(), "--steps", "1");
        assertEquals(2, partial.code(), partial::toString);
        assertTrue(partial.err().contains("lacks") && partial.err().contains("mem.xi"), partial::toString);
        Npz.write(dir.resolve("extra.npz"), Map.of("w.V", w));
        Cli.Result extra = Cli.run("run", spec, "--params", dir.resolve("extra.npz").toString(), "--steps", "1");
        assertEquals(2, extra.code(), extra::toString);
        assertTrue(extra.err().contains("w.V") && extra.err().contains("which the graph does not"), extra::toString);
    }

    @Test
    void everyBundledExampleSpecRuns() throws IOException {
        try (var specs = Files.list(Path.of("../examples"))) {
            for (Path spec : specs.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                Cli.Result r = Cli.run("run", spec.toString(), "--steps", "2", "--out", dir.resolve(spec.getFileName()).toString());
                assertEquals(0, r.code(), () -> spec + ": " + r);
            }
        }
    }

    @Test
    void plotsTheEnergyOfEverySampleAsPngAndSvgAndTheRelaxationOfImagesAsFramesAndAnAnimation() throws IOException {
        Path out = dir.resolve("plots");
        Cli.Result r = Cli.run("run", "../examples/fashion-retrieval.json", "--steps", "10", "--plot", "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        java.awt.image.BufferedImage energy = javax.imageio.ImageIO.read(out.resolve("energy.png").toFile());
        assertTrue(energy.getWidth() > 100 && energy.getHeight() > 100, "energy.png");
        assertTrue(Files.readString(out.resolve("energy.svg")).contains("<svg"), "energy.svg");
        java.awt.image.BufferedImage frames = javax.imageio.ImageIO.read(out.resolve("image-frames.png").toFile());
        assertTrue(frames.getWidth() > frames.getHeight() / 2, "six frames a row, eight samples: " + frames.getWidth() + "x" + frames.getHeight());
        assertTrue(r.out().contains("energy.png") && r.out().contains("image-frames.png"), r::toString);
        javax.imageio.ImageReader gif = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
        try (var in = javax.imageio.ImageIO.createImageInputStream(out.resolve("image-relaxation.gif").toFile())) {
            gif.setInput(in);
            assertEquals(11, gif.getNumImages(true), "10 steps: the start and every step a frame");
            assertEquals(8 * 56 + 7 * org.hamux.viz.ImageGrid.SEPARATOR, gif.read(0).getWidth(), "eight samples side by side");
        } finally {
            gif.dispose();
        }
        List<String> csv = Files.readAllLines(out.resolve("energy.csv"));
        assertEquals(2 + 100, csv.get(0).split(",").length - 1, "step,total,mean and e0..e99: every sample, any batch");
    }
}
