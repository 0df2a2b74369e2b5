package org.hamux.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.hamux.core.HamuxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ImageGrid: a 3 x 4 grid of 2 x 3 images, read back with ImageIO. */
class ImageGridTest {

    private static final int H = 2;
    private static final int W = 3;
    private static final int SCALE = 2;
    private static final int STEP_X = W * SCALE + ImageGrid.SEPARATOR;
    private static final int STEP_Y = H * SCALE + ImageGrid.SEPARATOR;

    @TempDir
    Path dir;

    /** Row r, sample i: every pixel r/2 except pixel (1, 2), which is -1 (clipped to black) in row 0, 7 in the others. */
    private static INDArray row(int r, int n, boolean flat) {
        INDArray a = Nd4j.zeros(DataType.FLOAT, n, H, W).addi(r / 2.0);
        for (int i = 0; i < n; i++) {
            a.putScalar(new long[] {i, 1, 2}, r == 0 ? -1 : 7);
        }
        return flat ? a.reshape(n, H * W) : a;
    }

    private static Raster readBack(Path f) throws IOException {
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        return img.getRaster();
    }

    @Test
    void writesThreeByFourGrid() throws IOException {
        Path f = dir.resolve("out/grid.png");
        ImageGrid.writePng(f, List.of(row(0, 4, true), row(1, 4, false), row(2, 4, true)), H, W, SCALE);
        Raster r = readBack(f);
        assertEquals(4 * W * SCALE + 3 * ImageGrid.SEPARATOR, r.getWidth());
        assertEquals(3 * H * SCALE + 2 * ImageGrid.SEPARATOR, r.getHeight());
        // row 0: value 0 -> black, the clipped -1 -> black
        assertEquals(0, r.getSample(0, 0, 0));
        assertEquals(0, r.getSample(STEP_X * 3 + 5, 3, 0));
        // row 1: 0.5 -> 128, 7 clipped to white; scaled: output pixels (4..5, 2..3) of a cell are image pixel (1, 2)
        assertEquals(128, r.getSample(STEP_X, STEP_Y, 0));
        assertEquals(255, r.getSample(STEP_X * 2 + 4, STEP_Y + 2, 0));
        assertEquals(255, r.getSample(STEP_X * 2 + 5, STEP_Y + 3, 0));
        assertEquals(128, r.getSample(STEP_X * 2 + 3, STEP_Y + 3, 0));
        // row 2: 1.0 -> white
        assertEquals(255, r.getSample(STEP_X * 3 + W * SCALE - 1, STEP_Y * 2 + H * SCALE - 1, 0));
        // separators are gray: the column between cells 0 and 1, the line between rows 0 and 1
        assertEquals(128, r.getSample(W * SCALE, 0, 0));
        assertEquals(128, r.getSample(W * SCALE + 1, STEP_Y * 2, 0));
        assertEquals(128, r.getSample(0, H * SCALE, 0));
    }

    @Test
    void limitsColumnsAndFillsShortRowsGray() throws IOException {
        Path f = dir.resolve("grid.png");
        ImageGrid.writePng(f, List.of(row(2, 5, true), row(2, 1, false)), H, W, 1, 3);
        Raster r = readBack(f);
        assertEquals(3 * W + 2 * ImageGrid.SEPARATOR, r.getWidth());
        assertEquals(2 * H + ImageGrid.SEPARATOR, r.getHeight());
        assertEquals(255, r.getSample(0, H + ImageGrid.SEPARATOR, 0));
        assertEquals(128, r.getSample(W + ImageGrid.SEPARATOR, H + ImageGrid.SEPARATOR, 0));
    }

    @Test
    void badShapeNamesFileAndKeepsOldFile() throws IOException {
        Path f = dir.resolve("grid.png");
        Files.writeString(f, "old");
        HamuxException e = assertThrows(HamuxException.class,
                () -> ImageGrid.writePng(f, List.of(Nd4j.zeros(DataType.FLOAT, 2, 7)), H, W, 1));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("[2, 7]"), e.getMessage());
        assertEquals("old", Files.readString(f));
    }

    /** How many pixels of the image have colour {@code rgb}. */
    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void labelledGridWrapsSamplesIntoBandsAndFramesTheMarkedOnes() throws IOException {
        Path f = dir.resolve("labelled.png");
        INDArray a = Nd4j.zeros(DataType.FLOAT, 5, H * W).addi(0.2);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 5, H * W).addi(0.6);
        boolean[] marked = {false, true, false, false, true};
        org.hamux.core.io.AtomicFile.write(f, ImageGrid.labelled(f, List.of("query", "retrieved"), List.of(a, b), marked, "two marked",
                H, W, 4, 2));
        BufferedImage img = ImageIO.read(f.toFile());
        int cell = H * 4 * W * 4;
        int gray02 = 51 * 0x010101;
        int gray06 = 153 * 0x010101;
        assertTrue(count(img, gray02) >= 5 * cell && count(img, gray06) >= 5 * cell, "every sample drawn in both rows");
        int red = count(img, 0xff0000);
        assertTrue(red > 0, "the marked samples are framed");

        Path g = dir.resolve("unmarked.png");
        org.hamux.core.io.AtomicFile.write(g, ImageGrid.labelled(g, List.of("query", "retrieved"), List.of(a, b), new boolean[5], null,
                H, W, 4, 2));
        BufferedImage plain = ImageIO.read(g.toFile());
        assertEquals(0, count(plain, 0xff0000), "nothing framed when nothing is marked");
        Path one = dir.resolve("one.png");
        org.hamux.core.io.AtomicFile.write(one, ImageGrid.labelled(one, List.of("query", "retrieved"), List.of(a, b),
                new boolean[] {false, true, false, false, false}, null, H, W, 4, 2));
        assertEquals(red, 2 * count(ImageIO.read(one.toFile()), 0xff0000), "one frame per marked sample, all alike");
        assertTrue(plain.getHeight() > 3 * 2 * H * 4, "three bands of two rows: " + plain.getHeight());
        assertTrue(plain.getWidth() < 3 * W * 4 + 200, "two samples a band: " + plain.getWidth());
    }

    @Test
    void labelledGridRejectsRowsOfDifferentLengths() {
        Path f = dir.resolve("bad.png");
        HamuxException e = assertThrows(HamuxException.class, () -> ImageGrid.labelled(f, List.of("query", "stored"),
                List.of(Nd4j.zeros(DataType.FLOAT, 3, H * W), Nd4j.zeros(DataType.FLOAT, 2, H * W)), null, null, H, W, 1, 4));
        assertTrue(e.getMessage().contains("row 1 (stored) has 2 samples"), e.getMessage());
    }

    @Test
    void gifHasAFramePerGridThatLoopsWithTheGivenDelay() throws IOException {
        Path f = dir.resolve("anim.gif");
        List<List<INDArray>> frames = List.of(List.of(row(0, 3, true)), List.of(row(1, 3, true)), List.of(row(2, 3, true)));
        org.hamux.core.io.AtomicFile.write(f, ImageGrid.gif(f, frames, H, W, SCALE, 3, 200));
        javax.imageio.ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (var in = ImageIO.createImageInputStream(f.toFile())) {
            reader.setInput(in);
            assertEquals(3, reader.getNumImages(true));
            BufferedImage second = reader.read(1);
            assertEquals(3 * W * SCALE + 2 * ImageGrid.SEPARATOR, second.getWidth());
            assertEquals(128, second.getRaster().getSample(0, 0, 0) & 0xff, "row 1 is 1/2: mid gray");
            var tree = (javax.imageio.metadata.IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            var control = (javax.imageio.metadata.IIOMetadataNode) tree.getElementsByTagName("GraphicControlExtension").item(0);
            assertEquals("20", control.getAttribute("delayTime"), "200 ms in hundredths of a second");
            assertTrue(tree.getElementsByTagName("ApplicationExtension").getLength() == 1, "the loop extension");
        } finally {
            reader.dispose();
        }
    }
}
