package org.hamux.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.hamux.core.HamuxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

    @TempDir
    Path dir;

    @Test
    void drawsPanelsSideBySideWithColouredLines() throws Exception {
        LinePlot.Series a = new LinePlot.Series("a", new double[] {1, 10, 100}, new double[] {1, 5, 50});
        LinePlot.Series b = new LinePlot.Series("b", new double[] {1, 10, 100}, new double[] {2, 3, 4});
        Path png = dir.resolve("plot.png");
        LinePlot.writePng(png, List.of(new LinePlot.Panel("log", "x", "y", true, true, List.of(a, b)),
                new LinePlot.Panel("linear", "x", "y", false, false, List.of(a))));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * LinePlot.PANEL_WIDTH, img.getWidth());
        assertEquals(LinePlot.PANEL_HEIGHT, img.getHeight());
        boolean coloured = false;
        for (int x = 0; x < img.getWidth() && !coloured; x++) {
            for (int y = 0; y < img.getHeight() && !coloured; y++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int bl = rgb & 255;
                coloured = Math.abs(r - bl) > 100;
            }
        }
        assertTrue(coloured, "no coloured line drawn");
    }

    @Test
    void refusesNonPositiveValuesOnALogAxisAndWritesNothing() {
        LinePlot.Series a = new LinePlot.Series("a", new double[] {0, 1}, new double[] {1, 2});
        Path png = dir.resolve("bad.png");
        HamuxException e = assertThrows(HamuxException.class, () ->
                LinePlot.writePng(png, List.of(new LinePlot.Panel("t", "x", "y", true, false, List.of(a)))));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        assertFalse(Files.exists(png));
    }
}
