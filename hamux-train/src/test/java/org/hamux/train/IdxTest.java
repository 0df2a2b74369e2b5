package org.hamux.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.hamux.core.HamuxException;
import org.hamux.core.io.Npz;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Idx: tiny MNIST-style files written here, plain and gzipped. */
class IdxTest {

    @TempDir
    Path dir;

    /** Three 2x3 ubyte "images": image k holds 10k + pixel index, the last pixel 255. */
    private static byte[] images() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(3);
        out.writeInt(2);
        out.writeInt(3);
        for (int k = 0; k < 3; k++) {
            for (int p = 0; p < 5; p++) {
                out.writeByte(10 * k + p);
            }
            out.writeByte(255);
        }
        return bytes.toByteArray();
    }

    private static byte[] labels() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(4);
        out.write(new byte[] {9, 0, (byte) 200, 3});
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
            out.write(content);
        }
        return f;
    }

    @Test
    void readsImages() throws IOException {
        INDArray a = Idx.read(write("train-images-idx3-ubyte", images(), false));
        assertEquals(DataType.FLOAT, a.dataType());
        assertArrayEquals(new long[] {3, 2, 3}, a.shape());
        assertEquals(0f, a.getFloat(0, 0, 0));
        assertEquals(14f, a.getFloat(1, 1, 1));
        assertEquals(255f, a.getFloat(2, 1, 2));
        assertEquals(23f, a.getFloat(2, 1, 0));
    }

    @Test
    void readsGzippedLabelsAndImages() throws IOException {
        INDArray l = Idx.read(write("train-labels-idx1-ubyte.gz", labels(), true));
        assertArrayEquals(new long[] {4}, l.shape());
        assertArrayEquals(new float[] {9, 0, 200, 3}, l.toFloatVector());
        INDArray a = Idx.read(write("images.gz", images(), true));
        assertEquals(Idx.read(write("images", images(), false)), a);
    }

    @Test
    void readsOnlyTheFirstItems() throws IOException {
        Path f = write("images.gz", images(), true);
        INDArray a = Idx.read(f, 2);
        assertArrayEquals(new long[] {2, 2, 3}, a.shape());
        assertEquals(14f, a.getFloat(1, 1, 1));
        assertArrayEquals(new long[] {3, 2, 3}, Idx.read(f, 100).shape());
        assertArrayEquals(new long[] {0, 2, 3}, Idx.read(f, 0).shape());
        assertArrayEquals(new float[] {9}, Idx.read(write("l", labels(), false), 1).toFloatVector());
    }

    @Test
    void badFilesNameTheFile() throws IOException {
        byte[] good = images();
        Path cut = write("cut", Arrays.copyOf(good, good.length - 1), false);
        HamuxException e = assertThrows(HamuxException.class, () -> Idx.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        // reading fewer items than stored never touches the missing byte
        assertArrayEquals(new long[] {2, 2, 3}, Idx.read(cut, 2).shape());

        Path cutGz = write("cut.gz", Arrays.copyOf(good, good.length - 1), true);
        e = assertThrows(HamuxException.class, () -> Idx.read(cutGz));
        assertTrue(e.getMessage().contains(cutGz.toString()), e.getMessage());

        Path npy = write("not-idx", new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, false);
        e = assertThrows(HamuxException.class, () -> Idx.read(npy));
        assertTrue(e.getMessage().contains(npy.toString()) && e.getMessage().contains("not an IDX"), e.getMessage());

        Path missing = dir.resolve("missing");
        e = assertThrows(HamuxException.class, () -> Idx.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    /**
     * The bundled subset examples/data/fashion-mnist-1000.npz equals the first 1000 training images and labels
     * read from Debian's dataset-fashion-mnist; skipped where that package is not installed.
     */
    @Test
    void bundledSubsetMatchesFashionMnist() {
        Path src = Path.of("/usr/share/datasets/fashion-mnist");
        Path npz = Path.of("..", "examples", "data", "fashion-mnist-1000.npz");
        Assumptions.assumeTrue(Files.isDirectory(src) && Files.isRegularFile(npz), "Fashion-MNIST not installed");
        Map<String, INDArray> subset = Npz.read(npz);
        INDArray images = subset.get("images");
        INDArray labels = subset.get("labels");
        assertEquals(DataType.INT, images.dataType());
        assertArrayEquals(new long[] {1000, 784}, images.shape());
        assertArrayEquals(new long[] {1000}, labels.shape());
        assertEquals(0, images.minNumber().intValue());
        assertEquals(255, images.maxNumber().intValue());

        INDArray idxImages = Idx.read(src.resolve("train-images-idx3-ubyte.gz"), 1000);
        assertArrayEquals(new long[] {1000, 28, 28}, idxImages.shape());
        assertEquals(idxImages.reshape(1000, 784), images.castTo(DataType.FLOAT));
        INDArray idxLabels = Idx.read(src.resolve("train-labels-idx1-ubyte.gz"), 1000);
        assertEquals(idxLabels, labels.castTo(DataType.FLOAT));
        assertArrayEquals(new float[] {9, 0, 0, 3, 0}, Arrays.copyOf(idxLabels.toFloatVector(), 5));
    }
}
