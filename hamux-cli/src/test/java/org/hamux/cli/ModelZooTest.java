package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamux.core.io.Npy;
import org.hamux.core.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The trained models of examples/models: their parameters load, they score as the README says, and they answer queries. */
class ModelZooTest {

    private static final String SPEC = "../examples/models/fashion-classifier.json";
    private static final String PARAMS = "../examples/models/fashion-classifier.npz";

    @TempDir
    Path dir;

    @Test
    void theTrainedClassifierScoresOnTheBundledTestImages() {
        Cli.Result r = Cli.run("eval", SPEC, "--params", PARAMS);
        assertEquals(0, r.code(), r::toString);
        Matcher m = Pattern.compile("accuracy: +([0-9.]+)% \\((\\d+)/(\\d+)\\)").matcher(r.out());
        assertTrue(m.find(), r::toString);
        assertEquals(1000, Integer.parseInt(m.group(3)), r::toString);
        assertTrue(Double.parseDouble(m.group(1)) >= 88, "the README says 90.2% on the 1000 bundled test images: " + r);
    }

    @Test
    void theTrainedClassifierLabelsImagesGivenAsANumPyFile() {
        var data = Npz.read(Path.of("../examples/data/fashion-mnist-test-1000.npz"));
        INDArray test = data.get("images");
        long[] labels = data.get("labels").toLongVector();
        Path images = dir.resolve("mine.npy");
        Npy.write(images, test.get(NDArrayIndex.interval(100, 150)).castTo(DataType.FLOAT).div(255));
        Cli.Result r = Cli.run("run", SPEC, "--params", PARAMS, "--state", "img=" + images, "--out", dir.resolve("out").toString());
        assertEquals(0, r.code(), r::toString);
        long[] predicted = Npz.read(dir.resolve("out/activations.npz")).get("lbl").argMax(1).toLongVector();
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == labels[100 + i] ? 1 : 0;
        }
        assertEquals(50, predicted.length);
        assertTrue(right >= 40, right + " of 50 labelled right");
    }

    @Test
    void theTrainedDenoiserRestoresHeldOutImagesAndDrawsThem() {
        Path out = dir.resolve("denoising");
        Cli.Result r = Cli.run("run", "../examples/models/fashion-denoising.json", "--params",
                "../examples/models/fashion-denoising.npz", "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        Matcher m = Pattern.compile("retrieved (\\d+)/16").matcher(r.out());
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 12, "most relaxed states nearest their clean image: " + r);
        assertTrue(java.nio.file.Files.exists(out.resolve("fashion-denoising.png")), r::toString);
        Cli.Result e = Cli.run("eval", "../examples/models/fashion-denoising.json", "--params", "../examples/models/fashion-denoising.npz");
        Matcher loss = Pattern.compile("loss: +([0-9.]+)").matcher(e.out());
        assertTrue(loss.find() && Double.parseDouble(loss.group(1)) < 0.02, "mean squared error on held-out images: " + e);
    }
}
