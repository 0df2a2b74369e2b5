package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.io.Npz;
import org.hamux.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code hamux train}, {@code hamux eval} and {@code hamux run --params}. */
class TrainCommandTest {

    @TempDir
    Path dir;

    /** x (identity [4], clamped) -> y (softmax [3], bias) through a dense synapse; labels from a fixed map. */
    static final String SPEC = """
            {
              "hamux": 1,
              "name": "tiny-classifier",
              "layers": {
                "x": {"shape": [4], "lagrangian": {"type": "identity"}},
                "y": {"shape": [3], "lagrangian": {"type": "softmax"}, "bias": [0, 0, 0]}
              },
              "synapses": {"w": {"type": "dense", "params": {"W": {"init": "normal", "std": 0.1, "seed": 3}}}},
              "connections": [{"synapse": "w", "layers": ["x", "y"]}],
              "dynamics": {"dt": 0.5, "steps": 4, "clamp": ["x"]},
              "initial": {"states": {"x": [[1, 0, 0, 0]]}},
              "training": {
                "train": ["w.W", "y.bias"],
                "inputs": {"x": "points"},
                "loss": {"type": "cross-entropy", "layer": "y", "target": "labels"},
                "optimizer": {"type": "adam", "lr": 0.1},
                "batch": 16, "epochs": 2, "seed": 5,
                "data": {"train": "data.npz", "split": 0.25}
              }
            }
            """;

    private String setUp(String spec) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 4).subi(0.5);
        INDArray labels = x.mmul(Nd4j.create(new float[][] {{1, 0, -1}, {0, 1, 0}, {-1, 0, 1}, {0.5f, -1, 0}})).argMax(1);
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("points", x);
        m.put("labels", labels.castTo(DataType.INT));
        Npz.write(dir.resolve("data.npz"), m);
        return TinySpecs.write(dir, "spec.json", spec);
    }

    @Test
    void trainsWritesCheckpointsAndTheParametersLoadIntoEvalAndRun() throws Exception {
        String spec = setUp(SPEC);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("train", spec, "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("(48 samples), test: "), r::toString);
        assertTrue(r.out().matches("(?s).*epoch 2/2: train loss [0-9.]+ acc [0-9.]+% \\| test loss [0-9.]+ acc [0-9.]+%.*"),
                r::toString);
        assertEquals("", r.err(), "no progress bar when stderr is not a terminal");
        assertEquals(List.of("w.W", "y.bias"), List.copyOf(Checkpoint.parameters(out).keySet()));
        assertEquals(3, Files.readAllLines(out.resolve("history.csv")).size());

        Cli.Result e = Cli.run("eval", spec, "--params", out.toString(), "--data", dir.resolve("data.npz").toString());
        assertEquals(0, e.code(), e::toString);
        assertTrue(e.out().contains("data:      ") && e.out().contains("(64 samples)"), e::toString);
        assertTrue(e.out().matches("(?s).*accuracy:  [0-9.]+% \\(\\d+/64\\).*"), e::toString);

        Cli.Result run = Cli.run("run", spec, "--params", out.resolve("params.npz").toString(), "--out",
                dir.resolve("run").toString());
        assertEquals(0, run.code(), run::toString);
    }

    @Test
    void anIdxFolderTrainsOnAllItsTrainingImagesAndTestsOnItsT10kFiles() throws Exception {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        // 2x2 "images" whose label is the brightest pixel of the first row: 40 training, 8 test
        writeIdx(idx, "train", 40, 7);
        writeIdx(idx, "t10k", 8, 11);
        String spec = TinySpecs.write(dir, "spec.json", SPEC.replace("\"inputs\": {\"x\": \"points\"}",
                "\"inputs\": {\"x\": \"images\"}").replace("[3]", "[2]").replace("[0, 0, 0]", "[0, 0]"));
        Cli.Result r = Cli.run("train", spec, "--data", idx.toString(), "--out", dir.resolve("out").toString(), "--epochs", "1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("(40 samples), test: " + idx + " (8 samples)"), r::toString);
    }

    /** Writes {@code DIR/PART-images-idx3-ubyte} ({@code n} images of 2x2) and {@code DIR/PART-labels-idx1-ubyte}. */
    private static void writeIdx(Path dir, String part, int n, long seed) throws java.io.IOException {
        java.util.Random random = new java.util.Random(seed);
        byte[] images = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                images[4 * i + j] = (byte) random.nextInt(256);
            }
            labels[i] = (byte) ((images[4 * i] & 255) > (images[4 * i + 1] & 255) ? 0 : 1);
        }
        writeIdxFile(dir.resolve(part + "-images-idx3-ubyte"), new int[] {n, 2, 2}, images);
        writeIdxFile(dir.resolve(part + "-labels-idx1-ubyte"), new int[] {n}, labels);
    }

    private static void writeIdxFile(Path f, int[] dims, byte[] data) throws java.io.IOException {
        try (java.io.OutputStream out = Files.newOutputStream(f)) {
            out.write(new byte[] {0, 0, 8, (byte) dims.length});
            for (int d : dims) {
                out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            }
            out.write(data);
        }
    }

    @Test
    void resumeContinuesFromTheLastEpoch() {
        String spec = setUp(SPEC);
        Path out = dir.resolve("out");
        assertEquals(0, Cli.run("train", spec, "--out", out.toString(), "--epochs", "1").code());
        Cli.Result r = Cli.run("train", spec, "--out", out.toString(), "--resume");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("epoch 2/2") && !r.out().contains("epoch 1/2"), r::toString);
    }

    @Test
    void anUnknownParameterToTrainIsOneLocatedLineAndExitTwo() {
        String spec = setUp(SPEC.replace("\"train\": [\"w.W\", \"y.bias\"]", "\"train\": [\"w.W\", \"y.beta\", \"w.Q\"]"));
        Cli.Result r = Cli.run("train", spec, "--out", dir.resolve("out").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("$.training.train[2]") && r.err().contains("unknown parameter 'w.Q'"), r::toString);
    }

    @Test
    void badTrainingInputIsExitTwoWithOneLine() {
        String spec = setUp(SPEC.replace("\"type\": \"cross-entropy\"", "\"type\": \"hinge\""));
        Cli.Result r = Cli.run("train", spec, "--out", dir.resolve("out").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("hamux: ") && r.err().contains("$.training.loss.type")
                && r.err().contains("unknown loss 'hinge'"), r::toString);

        String good = setUp(SPEC.replace("\"inputs\": {\"x\": \"points\"}", "\"inputs\": {\"x\": \"pixels\"}"));
        Cli.Result missing = Cli.run("train", good, "--out", dir.resolve("out").toString());
        assertEquals(2, missing.code(), missing::toString);
        assertEquals(1, missing.errLines().length, missing::toString);
        assertTrue(missing.err().contains("have no array 'pixels'"), missing::toString);

        String ok = setUp(SPEC);
        Cli.Result resume = Cli.run("train", ok, "--out", dir.resolve("none").toString(), "--resume");
        assertEquals(2, resume.code(), resume::toString);
        assertTrue(resume.err().contains("cannot resume"), resume::toString);

        Cli.Result params = Cli.run("eval", ok, "--params", dir.resolve("nope.npz").toString());
        assertEquals(2, params.code(), params::toString);
        assertTrue(params.err().contains("nope.npz: no such file"), params::toString);
    }

    @Test
    void theFashionClassifierExampleTrainsOnTheBundledSubset() {
        Cli.Result r = Cli.run("train", "../examples/fashion-classifier.json", "--limit", "300", "--epochs", "1",
                "--out", dir.resolve("fashion").toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("(240 samples), test: "), r::toString);
        assertTrue(r.out().contains("epoch 1/1: train loss"), r::toString);
    }

    @Test
    void evalPlotDrawsTheClustersOfTwoDimensionalPoints() throws Exception {
        Path out = dir.resolve("clam");
        Cli.Result t = Cli.run("train", "../examples/clam-blobs.json", "--out", out.toString());
        assertEquals(0, t.code(), t::toString);
        Cli.Result e = Cli.run("eval", "../examples/clam-blobs.json", "--params", out.toString(), "--plot", out.toString());
        assertEquals(0, e.code(), e::toString);
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve("clusters.png").toFile());
        assertTrue(png.getWidth() > 100, "clusters.png");
        assertTrue(Files.readString(out.resolve("clusters.svg")).contains("<svg"), "clusters.svg");
        int black = 0;                                                       // the memories: black diamonds
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                black += (png.getRGB(x, y) & 0xffffff) == 0 ? 1 : 0;
            }
        }
        assertTrue(black > 400, "three memories and their legend entry, about 128 pixels each: " + black + " black pixels");
        assertTrue(e.out().contains("clusters.png") && e.out().contains("NMI"), e::toString);

        Cli.Result none = Cli.run("eval", "../examples/fashion-classifier.json", "--limit", "20", "--plot", out.toString());
        assertEquals(0, none.code(), none::toString);
        assertTrue(none.err().contains("no \"cluster\" section") || none.err().contains("has none"), none::toString);
    }
}
