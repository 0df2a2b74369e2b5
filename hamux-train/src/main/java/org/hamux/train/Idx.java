package org.hamux.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.hamux.core.HamuxException;
import org.hamux.core.io.InputFiles;
import org.hamux.core.MemoryBudget;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The IDX format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte} etc.), plain or gzipped
 * (recognized by the gzip magic bytes, whatever the file name).
 *
 * <p>Layout, big-endian: two zero bytes, a type byte, a rank byte {@code r}, {@code r} 32-bit dimensions,
 * then the values in C order. Type bytes: 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float,
 * 0x0E double; so labels start with 0x00000801 and images with 0x00000803. Every type is returned as
 * FLOAT holding the raw values (0..255 for ubyte images), with the stored shape ({@code [N, 28, 28]} or
 * {@code [N]}); int and double values beyond float precision are rounded.
 */
public final class Idx {

    private Idx() {
    }

    /** Reads the whole file. */
    public static INDArray read(Path file) {
        return read(file, Integer.MAX_VALUE);
    }

    /** Reads the first {@code maxItems} items (slices along the first dimension), or all if there are fewer. */
    public static INDArray read(Path file, int maxItems) {
        if (maxItems < 0) {
            throw new IllegalArgumentException("maxItems must be >= 0, got " + maxItems);
        }
        InputFiles.checkRegular(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1F && raw.read() == 0x8B;
            raw.reset();
            try (InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw) {
                return read(new DataInputStream(in), file, maxItems);
            }
        } catch (NoSuchFileException e) {
            throw new HamuxException("cannot read " + file + ": no such file", e);
        } catch (EOFException e) {
            throw new HamuxException("cannot read " + file + ": truncated IDX file", e);
        } catch (IOException e) {
            throw new HamuxException("cannot read " + file + " as IDX: " + e.getMessage(), e);
        }
    }

    private static INDArray read(DataInputStream in, Path file, int maxItems) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        int size = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
        if ((magic >>> 16) != 0 || size == 0 || rank == 0) {
            throw new HamuxException(file + " is not an IDX file (magic 0x" + String.format("%08X", magic)
                    + "; expected e.g. 0x00000801 for labels or 0x00000803 for images)");
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readInt() & 0xFFFFFFFFL;
        }
        shape[0] = Math.min(shape[0], maxItems);
        MemoryBudget.check(file + ": the IDX array", DataType.FLOAT, shape);   // before a byte of the data is read
        long n = Shapes.elements(shape);
        if (n > Integer.MAX_VALUE / size) {
            throw new HamuxException(file + ": IDX array of shape " + Arrays.toString(shape) + " is too large");
        }
        if (n == 0) {
            return Nd4j.create(DataType.FLOAT, shape);
        }
        byte[] bytes = new byte[(int) n * size];
        in.readFully(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (type) {
                case 0x08 -> b.get() & 0xFF;
                case 0x09 -> b.get();
                case 0x0B -> b.getShort();
                case 0x0C -> b.getInt();
                case 0x0D -> b.getFloat();
                default -> (float) b.getDouble();
            };
        }
        return Nd4j.createFromArray(v).reshape('c', shape);
    }
}
