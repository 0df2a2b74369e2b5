package org.hamux.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hamux.core.io.AtomicFile;
import org.hamux.core.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Checkpoints are written whole or not at all; data files of every supported form read back. */
class CheckpointFilesTest {

    @TempDir
    Path dir;

    private Checkpoint checkpoint(double w) {
        return new Checkpoint(2, 7, Map.of("syn.W", Nd4j.valueArrayOf(new long[] {3, 2}, w, DataType.FLOAT)),
                Map.of("m/syn.W", Nd4j.zeros(DataType.FLOAT, 3, 2), "t", Nd4j.scalar(5.0)), null);
    }

    @Test
    void aCheckpointReadsBackWithItsParametersApartFromTheOptimizerState() {
        checkpoint(0.5).write(dir);
        Checkpoint c = Checkpoint.read(dir);
        assertEquals(2, c.epoch());
        assertEquals(7, c.seed());
        assertEquals(List.of("syn.W"), List.copyOf(c.parameters().keySet()));
        assertEquals(Map.of("syn.W", c.parameters().get("syn.W")), Checkpoint.parameters(dir));
        assertEquals(5.0, c.optimizer().get("t").getDouble(0));
    }

    @Test
    void aWriteThatFailsHalfWayLeavesTheOldCheckpointInPlace() throws IOException {
        checkpoint(0.5).write(dir);
        Path f = dir.resolve(Checkpoint.FILE);
        RuntimeException boom = new IllegalStateException("killed");
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(f, out -> {
            out.write(new byte[1000]);
            throw boom;
        }));
        assertEquals(0.5, Checkpoint.read(dir).parameters().get("syn.W").getDouble(0));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    /** Writes a slow, large file with {@link AtomicFile} until it is killed. */
    public static final class SlowWriter {
        public static void main(String[] args) {
            AtomicFile.write(Path.of(args[0]), out -> {
                System.out.println("writing");
                System.out.flush();
                byte[] chunk = new byte[1 << 16];
                for (int i = 0; i < 1_000_000; i++) {
                    out.write(chunk);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            });
        }
    }

    @Test
    void aKilledWriterNeverLeavesAHalfWrittenCheckpoint() throws Exception {
        checkpoint(0.25).write(dir);
        Path f = dir.resolve(Checkpoint.FILE);
        byte[] before = Files.readAllBytes(f);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlowWriter.class.getName(), f.toString())
                .redirectErrorStream(true).start();
        byte[] first = p.getInputStream().readNBytes(8);
        assertEquals("writing\n", new String(first), "the writer started");
        Thread.sleep(200);
        p.destroyForcibly();   // SIGKILL: no finally block runs
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertArrayEquals(before, Files.readAllBytes(f), "the old checkpoint is untouched");
        assertEquals(0.25, Checkpoint.read(dir).parameters().get("syn.W").getDouble(0));
    }

    @Test
    void readsNpzCsvAndIdxFoldersAndSplitsWithASeed() throws IOException {
        Npz.write(dir.resolve("d.npz"), Map.of("x", Nd4j.arange(12).reshape(6, 2).castTo(DataType.INT),
                "y", Nd4j.arange(6).castTo(DataType.INT)));
        Dataset d = Dataset.read(dir.resolve("d.npz"), Dataset.Part.TRAIN);
        assertEquals(6, d.size());
        assertEquals(DataType.FLOAT, d.array("x", "test").dataType());
        Dataset[] s = d.split(0.5, 3);
        assertEquals(3, s[0].size());
        assertEquals(3, s[1].size());
        INDArray again = d.split(0.5, 3)[1].array("y", "test");
        assertEquals(s[1].array("y", "test"), again, "the same seed splits the same way");

        Files.writeString(dir.resolve("t.csv"), "a,b,label\n1,2,0\n3,4,1\n");
        Dataset c = Dataset.read(dir.resolve("t.csv"), Dataset.Part.TRAIN);
        assertEquals(2, c.size());
        assertArrayEquals(new long[] {2, 3}, c.array("csv", "test").shape());
        assertEquals(4.0, c.array("b", "test").getDouble(1));

        writeIdx(dir.resolve("train-images-idx3-ubyte"), new int[] {2, 2, 2}, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        writeIdx(dir.resolve("train-labels-idx1-ubyte"), new int[] {2}, new byte[] {9, 3});
        Dataset m = Dataset.read(dir, Dataset.Part.TRAIN);
        assertArrayEquals(new long[] {2, 2, 2}, m.array("images", "test").shape());
        assertEquals(3.0, m.array("labels", "test").getDouble(1));
        Exception e = assertThrows(RuntimeException.class, () -> Dataset.read(dir, Dataset.Part.TEST));
        assertTrue(e.getMessage().contains("has no t10k-images-idx3-ubyte[.gz]"), e.getMessage());
    }

    private static void writeIdx(Path f, int[] dims, byte[] data) throws IOException {
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(new byte[] {0, 0, 8, (byte) dims.length});
            for (int d : dims) {
                out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            }
            out.write(data);
        }
    }
}
