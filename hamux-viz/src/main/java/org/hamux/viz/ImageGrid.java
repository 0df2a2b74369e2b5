package org.hamux.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.hamux.core.HamuxException;
import org.hamux.core.io.AtomicFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Writes grayscale images as one 8-bit grayscale PNG grid: {@code rows.get(r)} holds one grid row, and its
 * sample {@code i} is drawn in cell (row {@code r}, column {@code i}); e.g. row 0 the queries, row 1 what
 * was retrieved, row 2 the originals, one column per sample.
 *
 * <p>Each element of {@code rows} is {@code [n, height*width]} or {@code [n, height, width]} (C order), of
 * any numeric type. Values map linearly from the fixed range [0, 1] to black..white; values outside are
 * clipped, NaN is black. Each pixel becomes a {@code scale x scale} block; cells are separated by
 * {@value #SEPARATOR} gray pixels (no outer border), and cells of rows with fewer samples stay gray.
 */
public final class ImageGrid {

    /** Width of the gray lines between cells, in output pixels. */
    public static final int SEPARATOR = 2;
    private static final byte GRAY = (byte) 128;
    /** In {@link #labelled}: the white space between cells, the red frame's width, and the space around labels. */
    private static final int FRAMED_SEPARATOR = 6;
    private static final int MARK_WIDTH = 3;
    private static final int LABEL_GAP = 6;

    private ImageGrid() {
    }

    /** Draws every sample of every row: as many columns as the longest row has samples. */
    public static void writePng(Path file, List<INDArray> rows, long height, long width, int scale) {
        writePng(file, rows, height, width, scale, Integer.MAX_VALUE);
    }

    /** Draws the first {@code maxColumns} samples of every row, whole file or nothing. */
    public static void writePng(Path file, List<INDArray> rows, long height, long width, int scale, int maxColumns) {
        AtomicFile.write(file, png(file, rows, height, width, scale, maxColumns));
    }

    /**
     * What writes the grid of {@link #writePng} as PNG bytes (for {@link AtomicFile} or an {@link OutputSet}); the image
     * is drawn now, and {@code file} names it in messages.
     */
    public static AtomicFile.Writer png(Path file, List<INDArray> rows, long height, long width, int scale, int maxColumns) {
        return png(image(file, rows, height, width, scale, maxColumns));
    }

    /**
     * An animated GIF, a grid of {@link #png} per frame ({@code frames.get(f)} holds frame f's rows, all of the same
     * shapes), shown {@code delayMs} each and looping; e.g. the relaxation of a few samples along the steps.
     */
    public static AtomicFile.Writer gif(Path file, List<List<INDArray>> frames, long height, long width, int scale,
                                        int maxColumns, int delayMs) {
        if (frames.isEmpty()) {
            throw new HamuxException("cannot write " + file + ": no frames to draw");
        }
        List<BufferedImage> images = new java.util.ArrayList<>();
        for (List<INDArray> rows : frames) {
            images.add(image(file, rows, height, width, scale, maxColumns));
        }
        return stream -> Animation.write(images, delayMs, stream);
    }

    /** The grid of {@link #png} as an 8-bit grayscale image. */
    private static BufferedImage image(Path file, List<INDArray> rows, long height, long width, int scale, int maxColumns) {
        if (rows.isEmpty()) {
            throw new HamuxException("cannot write " + file + ": no rows of images to draw");
        }
        if (height < 1 || width < 1 || scale < 1 || maxColumns < 1) {
            throw new HamuxException("cannot write " + file + ": height, width, scale and maxColumns must be >= 1, got "
                    + height + ", " + width + ", " + scale + ", " + maxColumns);
        }
        float[][][] images = pixels(file, rows, height, width, maxColumns);
        int columns = Arrays.stream(images).mapToInt(r -> r.length).max().orElse(0);
        if (columns == 0) {
            throw new HamuxException("cannot write " + file + ": every row is empty");
        }
        long cellW = width * scale;
        long cellH = height * scale;
        long imgW = columns * cellW + (columns - 1L) * SEPARATOR;
        long imgH = rows.size() * cellH + (rows.size() - 1L) * SEPARATOR;
        if (imgW > Integer.MAX_VALUE / Math.max(imgH, 1) || imgW > Integer.MAX_VALUE || imgH > Integer.MAX_VALUE) {
            throw new HamuxException("cannot write " + file + ": a grid of " + imgW + " x " + imgH + " pixels is too large");
        }
        BufferedImage img = new BufferedImage((int) imgW, (int) imgH, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        Arrays.fill(out, GRAY);
        for (int r = 0; r < images.length; r++) {
            for (int i = 0; i < images[r].length; i++) {
                drawCell(out, (int) imgW, images[r][i], (int) height, (int) width, scale,
                        (int) (i * (cellW + SEPARATOR)), (int) (r * (cellH + SEPARATOR)));
            }
        }
        return img;
    }

    /**
     * A grid to read: every row named at its left ({@code labels}, e.g. query, retrieved, stored), every sample drawn,
     * {@code columns} samples a band and as many bands as the samples need, each band headed by the index of its first
     * sample; the samples {@code marked} (e.g. the failures) framed in red across the rows; {@code caption} (or null) under
     * the grid. Every row holds the same number of samples. RGB PNG; values map from [0, 1] to black..white as in
     * {@link #png}.
     */
    public static AtomicFile.Writer labelled(Path file, List<String> labels, List<INDArray> rows, boolean[] marked,
                                             String caption, long height, long width, int scale, int columns) {
        if (rows.isEmpty() || labels.size() != rows.size()) {
            throw new HamuxException("cannot write " + file + ": " + rows.size() + " rows of images and " + labels.size()
                    + " labels");
        }
        if (height < 1 || width < 1 || scale < 1 || columns < 1) {
            throw new HamuxException("cannot write " + file + ": height, width, scale and columns must be >= 1, got "
                    + height + ", " + width + ", " + scale + ", " + columns);
        }
        float[][][] images = pixels(file, rows, height, width, Integer.MAX_VALUE);
        int n = images[0].length;
        for (int r = 0; r < images.length; r++) {
            if (images[r].length != n) {
                throw new HamuxException("cannot write " + file + ": row " + r + " (" + labels.get(r) + ") has "
                        + images[r].length + " samples, row 0 has " + n);
            }
        }
        if (n == 0 || (marked != null && marked.length != n)) {
            throw new HamuxException("cannot write " + file + ": " + n + " samples"
                    + (n == 0 ? "" : " and " + marked.length + " marks"));
        }
        int perBand = Math.min(columns, n);
        int bands = (n + perBand - 1) / perBand;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
        int line = fm.getHeight() + 2;
        int labelW = labels.stream().mapToInt(fm::stringWidth).max().orElse(0) + 2 * LABEL_GAP;
        long cellW = width * scale;
        long cellH = height * scale;
        long bandH = line + images.length * cellH + (images.length - 1L) * FRAMED_SEPARATOR;
        long imgW = labelW + perBand * cellW + (perBand + 1L) * FRAMED_SEPARATOR;
        long imgH = bands * (bandH + FRAMED_SEPARATOR) + (caption != null ? line + LABEL_GAP : 0);
        if (imgW * imgH > Integer.MAX_VALUE) {
            throw new HamuxException("cannot write " + file + ": a grid of " + imgW + " x " + imgH + " pixels is too large");
        }
        BufferedImage img = new BufferedImage((int) imgW, (int) imgH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, (int) imgW, (int) imgH);
        g.setFont(font);
        BufferedImage cell = new BufferedImage((int) cellW, (int) cellH, BufferedImage.TYPE_BYTE_GRAY);
        byte[] cellPixels = ((DataBufferByte) cell.getRaster().getDataBuffer()).getData();
        for (int b = 0; b < bands; b++) {
            int top = (int) (b * (bandH + FRAMED_SEPARATOR));
            g.setColor(Color.DARK_GRAY);
            int last = Math.min(n, (b + 1) * perBand) - 1;
            g.drawString("samples " + b * perBand + "-" + last, labelW + FRAMED_SEPARATOR, top + fm.getAscent() + 1);
            for (int r = 0; r < images.length; r++) {
                int y = (int) (top + line + r * (cellH + FRAMED_SEPARATOR));
                g.setColor(Color.BLACK);
                g.drawString(labels.get(r), LABEL_GAP, y + (int) (cellH + fm.getAscent()) / 2);
                for (int i = b * perBand; i <= last; i++) {
                    drawCell(cellPixels, (int) cellW, images[r][i], (int) height, (int) width, scale, 0, 0);
                    g.drawImage(cell, (int) (labelW + FRAMED_SEPARATOR + (i - b * perBand) * (cellW + FRAMED_SEPARATOR)), y,
                            null);
                }
            }
            g.setColor(Color.RED);
            g.setStroke(new BasicStroke(MARK_WIDTH));
            for (int i = b * perBand; i <= last; i++) {
                if (marked != null && marked[i]) {
                    int x = (int) (labelW + FRAMED_SEPARATOR + (i - b * perBand) * (cellW + FRAMED_SEPARATOR));
                    int h = (int) (images.length * cellH + (images.length - 1L) * FRAMED_SEPARATOR);
                    g.drawRect(x - MARK_WIDTH / 2 - 1, top + line - MARK_WIDTH / 2 - 1, (int) cellW + MARK_WIDTH,
                            h + MARK_WIDTH);
                }
            }
        }
        if (caption != null) {
            g.setColor(Color.BLACK);
            g.drawString(caption, LABEL_GAP, (int) imgH - LABEL_GAP - fm.getDescent());
        }
        g.dispose();
        return png(img);
    }

    /** What writes {@code img} as PNG bytes. */
    private static AtomicFile.Writer png(BufferedImage img) {
        return stream -> {
            if (!ImageIO.write(img, "png", stream)) {
                throw new IOException("no PNG writer available");
            }
        };
    }

    /** Each row's first {@code maxColumns} samples as float pixels, {@code [row][sample][pixel]}, shapes checked. */
    private static float[][][] pixels(Path file, List<INDArray> rows, long height, long width, int maxColumns) {
        long pixels = height * width;
        float[][][] images = new float[rows.size()][][];
        for (int r = 0; r < rows.size(); r++) {
            INDArray a = rows.get(r);
            long[] s = a.shape();
            boolean flat = s.length == 2 && s[1] == pixels;
            boolean square = s.length == 3 && s[1] == height && s[2] == width;
            if (!flat && !square) {
                throw new HamuxException("cannot write " + file + ": row " + r + " has shape " + Arrays.toString(s)
                        + ", expected [n, " + pixels + "] or [n, " + height + ", " + width + "]");
            }
            int n = (int) Math.min(s[0], maxColumns);
            if (n == 0) {
                images[r] = new float[0][];
                continue;
            }
            INDArray m = a.reshape('c', s[0], pixels).get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
            images[r] = m.castTo(DataType.FLOAT).toFloatMatrix();
        }
        return images;
    }

    private static void drawCell(byte[] out, int stride, float[] image, int height, int width, int scale, int x0, int y0) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                byte v = toGray(image[y * width + x]);
                for (int dy = 0; dy < scale; dy++) {
                    int row = (y0 + y * scale + dy) * stride + x0 + x * scale;
                    Arrays.fill(out, row, row + scale, v);
                }
            }
        }
    }

    private static byte toGray(float v) {
        if (!(v > 0)) {
            return 0; // also NaN
        }
        return v >= 1 ? (byte) 255 : (byte) Math.round(v * 255);
    }
}
