package org.hamux.viz;

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
        if (rows.isEmpty()) {
            throw new HamuxException("cannot write " + file + ": no rows of images to draw");
        }
        if (height < 1 || width < 1 || scale < 1 || maxColumns < 1) {
            throw new HamuxException("cannot write " + file + ": height, width, scale and maxColumns must be >= 1, got "
                    + height + ", " + width + ", " + scale + ", " + maxColumns);
        }
        long pixels = height * width;
        float[][][] images = new float[rows.size()][][];
        int columns = 0;
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
            columns = Math.max(columns, n);
            if (n == 0) {
                images[r] = new float[0][];
                continue;
            }
            INDArray m = a.reshape('c', s[0], pixels).get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
            images[r] = m.castTo(DataType.FLOAT).toFloatMatrix();
        }
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
        return stream -> {
            if (!ImageIO.write(img, "png", stream)) {
                throw new IOException("no PNG writer available");
            }
        };
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
