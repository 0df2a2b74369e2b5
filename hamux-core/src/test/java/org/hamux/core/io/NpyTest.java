package org.hamux.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.hamux.core.HamuxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Npy, Npz and AtomicFile: round trips, files written by NumPy 1.24 (src/test/resources/npy), errors. */
class NpyTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private INDArray roundTrip(INDArray a) {
        Path f = dir.resolve("a.npy");
        Npy.write(f, a);
        return Npy.read(f);
    }

    // ---- round trips ----

    @Test
    void roundTripFloat32Matrix() {
        INDArray a = Nd4j.createFromArray(new float[][] {{1.5f, -2f, 3f}, {0f, 1e-7f, Float.MAX_VALUE}});
        INDArray b = roundTrip(a);
        assertEquals(DataType.FLOAT, b.dataType());
        assertArrayEquals(new long[] {2, 3}, b.shape());
        assertEquals(a, b);
    }

    @Test
    void roundTripFloat64ThreeD() {
        INDArray a = Nd4j.linspace(DataType.DOUBLE, -1.0, 0.25, 24).reshape(2, 3, 4);
        INDArray b = roundTrip(a);
        assertEquals(DataType.DOUBLE, b.dataType());
        assertArrayEquals(new long[] {2, 3, 4}, b.shape());
        assertEquals(a, b);
        assertEquals(-1.0 + 0.25 * 23, b.getDouble(1, 2, 3), 0);
    }

    @Test
    void roundTripIntVector() {
        INDArray a = Nd4j.createFromArray(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42);
        INDArray b = roundTrip(a);
        assertEquals(DataType.INT, b.dataType());
        assertArrayEquals(new long[] {5}, b.shape());
        assertArrayEquals(a.toIntVector(), b.toIntVector());
    }

    @Test
    void roundTripLong() {
        INDArray a = Nd4j.createFromArray(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE});
        INDArray b = roundTrip(a);
        assertEquals(DataType.LONG, b.dataType());
        assertArrayEquals(a.toLongVector(), b.toLongVector());
    }

    @Test
    void roundTripBoolMatrix() {
        INDArray a = Nd4j.createFromArray(new boolean[][] {{true, false}, {false, true}, {true, true}});
        INDArray b = roundTrip(a);
        assertEquals(DataType.BOOL, b.dataType());
        assertArrayEquals(new long[] {3, 2}, b.shape());
        assertEquals(a, b);
    }

    @Test
    void roundTripScalar() {
        INDArray b = roundTrip(Nd4j.scalar(2.5f));
        assertEquals(0, b.rank());
        assertEquals(DataType.FLOAT, b.dataType());
        assertEquals(2.5f, b.getFloat(0), 0);
    }

    @Test
    void roundTripEmpty() {
        INDArray b = roundTrip(Nd4j.create(DataType.FLOAT, 0, 3));
        assertEquals(0, b.length());
        assertArrayEquals(new long[] {0, 3}, b.shape());
    }

    @Test
    void writesViewsAndFortranOrderInLogicalOrder() {
        INDArray base = Nd4j.arange(12).castTo(DataType.FLOAT).reshape(3, 4);
        assertEquals(base.transpose(), roundTrip(base.transpose()));
        assertEquals(base.getColumn(2), roundTrip(base.getColumn(2)));
        INDArray f = base.dup('f');
        assertEquals(base, roundTrip(f));
    }

    @Test
    void widensSmallTypesOnWrite() {
        INDArray b = roundTrip(Nd4j.createFromArray(new short[] {-3, 7}));
        assertEquals(DataType.INT, b.dataType());
        assertArrayEquals(new int[] {-3, 7}, b.toIntVector());
        INDArray h = roundTrip(Nd4j.createFromArray(0.5f, -2f).castTo(DataType.HALF));
        assertEquals(DataType.FLOAT, h.dataType());
        assertArrayEquals(new float[] {0.5f, -2f}, h.toFloatVector());
    }

    @Test
    void headerIsAlignedAndNumpyCompatible() throws IOException {
        Path f = dir.resolve("h.npy");
        Npy.write(f, Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        byte[] bytes = Files.readAllBytes(f);
        int headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.trim());
        assertEquals(10 + headerLen + 6 * 4, bytes.length);
        // byte-identical to what NumPy writes for the same array
        assertArrayEquals(Files.readAllBytes(fixture("f32_2x3.npy")),
                bytesOf(Nd4j.createFromArray(new float[][] {{0, 0.25f, 0.5f}, {0.75f, 1, 1.25f}})));
    }

    private byte[] bytesOf(INDArray a) throws IOException {
        Path f = dir.resolve("bytes.npy");
        Npy.write(f, a);
        return Files.readAllBytes(f);
    }

    // ---- files written by NumPy ----

    @Test
    void readsNumpyFloat32() {
        INDArray a = Npy.read(fixture("f32_2x3.npy"));
        assertEquals(DataType.FLOAT, a.dataType());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, a.reshape(6).toFloatVector());
    }

    @Test
    void readsNumpyFortranOrderFloat64() {
        INDArray a = Npy.read(fixture("f64_fortran_3x2.npy"));
        assertEquals(DataType.DOUBLE, a.dataType());
        assertArrayEquals(new long[] {3, 2}, a.shape());
        assertArrayEquals(new double[][] {{1.5, -2.0}, {3.25, 4.0}, {5.0, 6.125}}, a.toDoubleMatrix());
        assertEquals('c', a.ordering());
    }

    @Test
    void readsNumpyUint8AsInt() {
        INDArray a = Npy.read(fixture("u8_4.npy"));
        assertEquals(DataType.INT, a.dataType());
        assertArrayEquals(new int[] {0, 1, 128, 255}, a.toIntVector());
    }

    @Test
    void readsNumpyBigEndianFloat64() {
        INDArray a = Npy.read(fixture("f8_big_endian_2x2.npy"));
        assertArrayEquals(new double[][] {{1.0, -0.5}, {2.5, 1e300}}, a.toDoubleMatrix());
    }

    @Test
    void readsNumpyBoolScalarHalfAndInt16() {
        INDArray b = Npy.read(fixture("bool_3.npy"));
        assertEquals(DataType.BOOL, b.dataType());
        assertEquals(Nd4j.createFromArray(true, false, true), b);

        INDArray s = Npy.read(fixture("i64_scalar.npy"));
        assertEquals(0, s.rank());
        assertEquals(DataType.LONG, s.dataType());
        assertEquals(-7L, s.getLong(0));

        assertArrayEquals(new float[] {1.0f, -2.5f, 65504f}, Npy.read(fixture("f16_3.npy")).toFloatVector());

        INDArray i = Npy.read(fixture("i16_2x2x2.npy"));
        assertEquals(DataType.INT, i.dataType());
        assertArrayEquals(new long[] {2, 2, 2}, i.shape());
        assertEquals(-4, i.getInt(0, 0, 0));
        assertEquals(3, i.getInt(1, 1, 1));
        assertEquals(-1, i.getInt(0, 1, 1));
    }

    @Test
    void readsNumpyCompressedNpz() {
        Map<String, INDArray> m = Npz.read(fixture("compressed.npz"));
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
        assertArrayEquals(new float[] {0, 1, 2, 3}, m.get("a").toFloatVector());
        assertEquals(DataType.INT, m.get("b").dataType());
        assertArrayEquals(new int[][] {{1, 2}, {3, 4}}, m.get("b").toIntMatrix());
    }

    @Test
    void readsNumpyPlainNpz() {
        Map<String, INDArray> m = Npz.read(fixture("plain.npz"));
        assertEquals(List.of("x", "y"), List.copyOf(m.keySet()));
        assertArrayEquals(new double[] {0.5, 1.5}, m.get("x").toDoubleVector());
        assertArrayEquals(new int[] {7}, m.get("y").toIntVector());
    }

    @Test
    void npzRoundTrip() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("w", Nd4j.arange(6).castTo(DataType.FLOAT).reshape(2, 3));
        m.put("flag", Nd4j.scalar(true));
        m.put("ids", Nd4j.createFromArray(3L, 1L, 2L));
        Path f = dir.resolve("m.npz");
        Npz.write(f, m);
        Map<String, INDArray> back = Npz.read(f);
        assertEquals(List.of("w", "flag", "ids"), List.copyOf(back.keySet()));
        assertEquals(m.get("w"), back.get("w"));
        assertTrue(back.get("flag").getDouble(0) != 0);
        assertArrayEquals(new long[] {3, 1, 2}, back.get("ids").toLongVector());
    }

    // ---- bad input ----

    @Test
    void truncatedDataNamesTheFile() throws IOException {
        byte[] good = Files.readAllBytes(fixture("f32_2x3.npy"));
        Path f = dir.resolve("cut.npy");
        Files.write(f, Arrays.copyOf(good, good.length - 3));
        HamuxException e = assertThrows(HamuxException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedHeaderNamesTheFile() throws IOException {
        byte[] good = Files.readAllBytes(fixture("f32_2x3.npy"));
        for (int len : new int[] {0, 5, 9, 40}) {
            Path f = dir.resolve("cut" + len + ".npy");
            Files.write(f, Arrays.copyOf(good, len));
            HamuxException e = assertThrows(HamuxException.class, () -> Npy.read(f));
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }

    @Test
    void truncatedNpzNamesTheFile() throws IOException {
        byte[] good = Files.readAllBytes(fixture("compressed.npz"));
        Path f = dir.resolve("cut.npz");
        Files.write(f, Arrays.copyOf(good, good.length / 2));
        HamuxException e = assertThrows(HamuxException.class, () -> Npz.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void unsupportedDtypeAndMissingFile() throws IOException {
        Path f = dir.resolve("c.npy");
        String h = "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }";
        byte[] head = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), 0};
        byte[] all = Arrays.copyOf(head, head.length + h.length() + 8);
        System.arraycopy(h.getBytes(StandardCharsets.ISO_8859_1), 0, all, head.length, h.length());
        Files.write(f, all);
        HamuxException e = assertThrows(HamuxException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("<c8"), e.getMessage());

        Path missing = dir.resolve("missing.npy");
        e = assertThrows(HamuxException.class, () -> Npy.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path missingZ = dir.resolve("missing.npz");
        e = assertThrows(HamuxException.class, () -> Npz.read(missingZ));
        assertTrue(e.getMessage().contains(missingZ.toString()), e.getMessage());

        Path text = dir.resolve("text.npy");
        Files.writeString(text, "hello, not numpy");
        e = assertThrows(HamuxException.class, () -> Npy.read(text));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    // ---- AtomicFile ----

    @Test
    void atomicFileLeavesOldFileWhenWriterThrows() throws IOException {
        Path f = dir.resolve("keep.txt");
        AtomicFile.writeString(f, "old");
        assertThrows(UncheckedIOException.class, () -> AtomicFile.write(f, out -> {
            out.write("partial new content".getBytes(StandardCharsets.UTF_8));
            throw new UncheckedIOException(new IOException("boom"));
        }));
        HamuxException e = assertThrows(HamuxException.class, () -> AtomicFile.write(f, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("old", Files.readString(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary files left behind");
        }
    }

    @Test
    void atomicFileReplacesAndCreatesDirectories() throws IOException {
        Path f = dir.resolve("sub/dir/x.txt");
        AtomicFile.writeString(f, "one");
        AtomicFile.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
            Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
            assertEquals(Files.getPosixFilePermissions(plain), p, "same permissions as an ordinary new file");
        }
        assertFalse(Files.exists(dir.resolve("sub/dir/x.txt.tmp")));
    }
}
