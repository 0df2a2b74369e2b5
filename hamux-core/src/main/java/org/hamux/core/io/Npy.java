package org.hamux.core.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamux.core.HamuxException;
import org.hamux.core.MemoryBudget;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format (versions 1-3).
 *
 * <p>Reads float16/32/64, (u)int8/16/32/64 and bool arrays in either byte order and C or Fortran order.
 * Types on reading: float16 and float32 become FLOAT, float64 DOUBLE, bool BOOL, int8/16/32 and
 * uint8/16 INT, int64 and uint32/64 LONG (uint64 values above 2^63 wrap). The result is always C order.
 *
 * <p>Writes version 1.0, little-endian, C order: DOUBLE as {@code <f8}; FLOAT, HALF and BFLOAT16 as
 * {@code <f4}; BYTE, UBYTE, SHORT, UINT16 and INT as {@code <i4}; LONG, UINT32 and UINT64 as {@code <i8};
 * BOOL as {@code |b1}.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern SIMPLE_DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d+)");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** NumPy itself refuses headers longer than this by default. */
    private static final int MAX_HEADER = 1 << 20;

    private Npy() {
    }

    /** Reads a {@code .npy} file (types as in the class comment); a folder, a pipe or a device is refused. */
    public static INDArray read(Path file) {
        InputFiles.checkRegular(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new HamuxException("cannot read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new HamuxException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads one {@code .npy} array from a stream; {@code name} (the file) is for messages. */
    public static INDArray read(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new HamuxException(name + " is not a .npy file (bad magic" + (magic.length < 8 ? ", too short" : "") + ")");
        }
        int major = magic[6];
        if (major < 1 || major > 3) {
            throw new HamuxException(name + ": unsupported .npy format version " + major + "." + magic[7]);
        }
        int lenSize = major == 1 ? 2 : 4;
        byte[] lenBytes = in.readNBytes(lenSize);
        if (lenBytes.length < lenSize) {
            throw new HamuxException(name + ": truncated .npy header");
        }
        long headerLen = ByteBuffer.wrap(Arrays.copyOf(lenBytes, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (headerLen > MAX_HEADER) {
            throw new HamuxException(name + ": implausible .npy header length " + headerLen);
        }
        byte[] headerBytes = in.readNBytes((int) headerLen);
        if (headerBytes.length < headerLen) {
            throw new HamuxException(name + ": truncated .npy header (" + headerBytes.length + " of " + headerLen + " bytes)");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String shown = HamuxException.shorten(header.trim(), 100);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new HamuxException(name + ": unreadable .npy header " + shown
                    + " (only plain numeric and bool dtypes are supported)");
        }
        Matcher t = SIMPLE_DESCR.matcher(d.group(1));
        if (!t.matches()) {
            throw new HamuxException(name + ": unsupported .npy dtype '" + d.group(1) + "'");
        }
        ByteOrder order = switch (t.group(1)) {
            case ">" -> ByteOrder.BIG_ENDIAN;
            case "=" -> ByteOrder.nativeOrder();
            default -> ByteOrder.LITTLE_ENDIAN;
        };
        String type = t.group(2) + t.group(3);
        if (!type.matches("f2|f4|f8|b1|[iu][1248]")) {
            throw new HamuxException(name + ": unsupported .npy dtype '" + d.group(1) + "'");
        }
        char kind = type.charAt(0);
        int size = Integer.parseInt(t.group(3));
        boolean fortran = f.group(1).equals("True");
        long[] shape = parseShape(s.group(1), name);
        DataType dtype = typeOf(kind, size);
        MemoryBudget.check(name + ": the array", dtype, shape);         // before a byte of the data is read
        long n = Shapes.elements(shape);
        if (n > Integer.MAX_VALUE / size) {
            throw new HamuxException(name + ": the array of shape " + Shapes.str(shape) + " is larger than 2 GB, more "
                    + "than a .npy file read here may hold");
        }
        byte[] raw = in.readNBytes((int) n * size);
        if (raw.length != n * size) {
            throw new HamuxException(name + ": truncated .npy data (" + raw.length + " of " + n * size + " bytes)");
        }
        if (n == 0) {
            return Nd4j.create(dtype, shape);
        }
        INDArray flat = decode(ByteBuffer.wrap(raw).order(order), kind, size, (int) n, dtype);
        if (shape.length == 0) {
            return flat.reshape(new long[0]);
        }
        return fortran ? flat.reshape('f', shape).dup('c') : flat.reshape('c', shape);
    }

    private static long[] parseShape(String text, String name) {
        String[] parts = text.split(",");
        long[] shape = new long[parts.length];
        int rank = 0;
        for (String p : parts) {
            String v = p.trim();
            if (v.endsWith("L")) {
                v = v.substring(0, v.length() - 1); // Python 2 longs
            }
            if (v.isEmpty()) {
                continue;
            }
            try {
                shape[rank] = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new HamuxException(name + ": bad shape (" + text + ") in .npy header");
            }
            if (shape[rank] < 0) {
                throw new HamuxException(name + ": negative dimension in shape (" + text + ")");
            }
            rank++;
        }
        return Arrays.copyOf(shape, rank);
    }

    private static DataType typeOf(char kind, int size) {
        return switch (kind) {
            case 'f' -> size == 8 ? DataType.DOUBLE : DataType.FLOAT;
            case 'b' -> DataType.BOOL;
            case 'i' -> size == 8 ? DataType.LONG : DataType.INT;
            default -> size >= 4 ? DataType.LONG : DataType.INT;
        };
    }

    private static INDArray decode(ByteBuffer b, char kind, int size, int n, DataType dtype) {
        switch (dtype) {
            case DOUBLE -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                return Nd4j.createFromArray(v);
            }
            case FLOAT -> {
                float[] v = new float[n];
                if (size == 4) {
                    b.asFloatBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = halfToFloat(b.getShort());
                    }
                }
                return Nd4j.createFromArray(v);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.get() != 0;
                }
                return Nd4j.createFromArray(v);
            }
            case INT -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (size) {
                        case 1 -> kind == 'i' ? b.get() : b.get() & 0xFF;
                        case 2 -> kind == 'i' ? b.getShort() : b.getShort() & 0xFFFF;
                        default -> b.getInt();
                    };
                }
                return Nd4j.createFromArray(v);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = size == 4 ? b.getInt() & 0xFFFFFFFFL : b.getLong();
                }
                return Nd4j.createFromArray(v);
            }
        }
    }

    /** IEEE 754 binary16 to float. */
    private static float halfToFloat(short h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 0x1F;
        int mant = h & 0x3FF;
        float v = exp == 0 ? mant * 0x1p-24f
                : exp == 31 ? (mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN)
                : (1 + mant / 1024f) * (float) Math.pow(2, exp - 15);
        return sign == 1 ? -v : v;
    }

    /** Writes {@code a} to {@code file} (types as in the class comment), whole or not at all. */
    public static void write(Path file, INDArray a) {
        AtomicFile.write(file, out -> write(out, a));
    }

    /** Writes {@code a} as {@code .npy} bytes to a stream, which stays open. */
    public static void write(OutputStream out, INDArray a) throws IOException {
        String descr;
        int size;
        DataType target;
        switch (a.dataType()) {
            case DOUBLE -> { descr = "<f8"; size = 8; target = DataType.DOUBLE; }
            case FLOAT, HALF, BFLOAT16 -> { descr = "<f4"; size = 4; target = DataType.FLOAT; }
            case INT, SHORT, BYTE, UBYTE, UINT16 -> { descr = "<i4"; size = 4; target = DataType.INT; }
            case LONG, UINT32, UINT64 -> { descr = "<i8"; size = 8; target = DataType.LONG; }
            case BOOL -> { descr = "|b1"; size = 1; target = DataType.BOOL; }
            default -> throw new HamuxException("cannot write arrays of type " + a.dataType() + " as .npy");
        }
        long[] shape = a.shape();
        String shapeStr = shape.length == 0 ? "()" : shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList()) + ")";
        StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeStr + ", }");
        int total = MAGIC.length + 2 + 2 + h.length() + 1;
        h.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(MAGIC);
        head.write(1);
        head.write(0);
        head.write(h.length() & 0xFF);
        head.write((h.length() >> 8) & 0xFF);
        head.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(head.toByteArray());
        long length = a.length();
        if (length == 0) {
            return;
        }
        if (length > Integer.MAX_VALUE / size) {
            throw new HamuxException("cannot write an array of shape " + Arrays.toString(shape) + " as .npy: too large");
        }
        int n = (int) length;
        // a fresh C-order copy, so that the data buffer holds exactly the n elements in order
        INDArray c = (a.dataType() == target ? a : a.castTo(target)).dup('c');
        ByteBuffer b = ByteBuffer.allocate(n * size).order(ByteOrder.LITTLE_ENDIAN);
        switch (target) {
            case DOUBLE -> b.asDoubleBuffer().put(c.data().asDouble());
            case FLOAT -> b.asFloatBuffer().put(c.data().asFloat());
            case INT -> b.asIntBuffer().put(c.data().asInt());
            case LONG -> b.asLongBuffer().put(c.data().asLong());
            default -> {
                int[] v = c.castTo(DataType.INT).data().asInt();
                for (int i = 0; i < n; i++) {
                    b.put((byte) (v[i] != 0 ? 1 : 0));
                }
            }
        }
        out.write(b.array());
    }
}
