package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.hamux.core.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each class of bad input the randomised trial of issue 17 found, through the command line: a located one-line message
 * and exit 2 (1 for a failure that is not the input's), never a crash, a runaway allocation, a hang, or a file written
 * outside the output folder.
 */
class HostileInputTest {

    @TempDir
    Path dir;

    private String spec(String text) {
        return TinySpecs.write(dir, "s.json", text);
    }

    /** The tiny spec with {@code from} replaced by {@code to}. */
    private String tiny(String from, String to) {
        return spec(TinySpecs.goodWith(from, to));
    }

    /** Runs {@code args} (within 60 s) and checks exit {@code code}, one line on stderr and that it holds {@code what}. */
    private static Cli.Result fails(int code, String what, String... args) {
        Cli.Result r = runWithin(60, args);
        assertEquals(code, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertFalse(r.err().contains("\tat ") || r.err().contains("stack trace"), r::toString);
        assertTrue(r.err().contains(what), "expected '" + what + "' in: " + r);
        return r;
    }

    private static Cli.Result runWithin(long seconds, String... args) {
        ExecutorService e = Executors.newSingleThreadExecutor();
        try {
            Future<Cli.Result> f = e.submit(() -> Cli.run(args));
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (Exception ex) {
            throw new AssertionError("hamux " + String.join(" ", args) + " did not end within " + seconds + " s", ex);
        } finally {
            e.shutdownNow();
        }
    }

    // ---- 1: crashes ----

    @Test
    void aLayerOfFortyAxesIsRefusedNotACrash() {
        String shape = "[" + "1, ".repeat(39) + "2]";
        String s = tiny("\"h\": {\"shape\": [3], \"lagrangian\": {\"type\": \"identity\"}, \"tau\": 0.5}",
                "\"h\": {\"shape\": [3], \"lagrangian\": {\"type\": \"identity\"}, \"tau\": 0.5},"
                        + " \"big\": {\"shape\": " + shape + ", \"lagrangian\": {\"type\": \"identity\"}, \"bias\": {\"init\": \"zeros\"}}");
        fails(2, "$.layers.big.shape", "validate", s);
    }

    // ---- 2: unbounded memory ----

    @Test
    void hugeLayersAreRefusedBeforeAnythingIsAllocated() {
        for (String shape : List.of("[2147483648]", "[1000000000]", "[46341, 46341]")) {
            String s = TinySpecs.goodWith("\"v\": {\"shape\": [4],", "\"x\": {\"shape\": " + shape + ", \"lagrangian\": {\"type\": \"identity\"}},"
                    + " \"v\": {\"shape\": [4],").replace("\"initial\": {\"states\": {\"v\": [[0.9, 0.1, 0.0, 0.7], [0.0, 0.8, 0.6, 0.1]]}}",
                    "\"initial\": {\"batch\": 1}");
            fails(2, "memory budget", "validate", spec(s), "--max-memory", "1g");
        }
    }

    @Test
    void anArrayFileDeclaringAHugeShapeIsRefusedFromItsHeader() throws IOException {
        Path npy = dir.resolve("huge.npy");
        Files.write(npy, FuzzTest.npy("<f4", new long[] {1L << 40, 1L << 30}, new float[] {1, 2}));
        fails(2, "more elements than can be counted", "energy", tiny("\"b\": {\"type\": \"bias\",", "\"b\": {\"type\": \"bias\","),
                "--state", "v=" + npy);
        Files.write(npy, FuzzTest.npy("<f4", new long[] {100000, 100000}, new float[] {1, 2}));
        fails(2, "memory budget", "energy", tiny("\"b\": {\"type\": \"bias\",", "\"b\": {\"type\": \"bias\","),
                "--state", "v=" + npy, "--max-memory", "1g");
    }

    @Test
    void anArchiveEntryThatInflatesBeyondTheBudgetIsRefused() throws IOException {
        Path npz = dir.resolve("zeros.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(npz))) {
            zip.putNextEntry(new ZipEntry("xi.npy"));
            byte[] header = FuzzTest.npy("<f4", new long[] {50_000_000L}, new float[0]);
            zip.write(header);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                zip.write(zeros);                              // 200 MB of zeros, a few hundred kB compressed
            }
            zip.closeEntry();
        }
        fails(2, "memory budget", "validate", tiny("\"xi\": [[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]]",
                "\"xi\": \"zeros.npz:xi\""), "--max-memory", "64m");
    }

    @Test
    void aSpecThatIsNotARegularFileIsRefused() {
        fails(2, "not a regular file", "validate", "/dev/zero");
        fails(2, "it is a folder", "validate", dir.toString());
    }

    // ---- 3: unlocated internal errors ----

    @Test
    void emptyArraysNullsAndNulBytesAreLocated() {
        fails(2, "$.initial.states.v: an empty array", "validate",
                tiny("\"v\": [[0.9, 0.1, 0.0, 0.7], [0.0, 0.8, 0.6, 0.1]]", "\"v\": []"));
        fails(2, "$.synapses.self: expected an object", "validate",
                tiny("\"self\": {\"type\": \"dense\", \"params\": {\"W\": [[0.05, 0, 0, 0], [0, 0.05, 0, 0], [0, 0, 0.05, 0], [0, 0, 0, 0.05]]}},",
                        "\"self\": null,"));
        fails(2, "$.synapses.w.params.W: 'a\\u0000b.npy' is not a file name", "validate",
                tiny("\"W\": [[0.1, 0.0, 0.2], [0.0, 0.1, 0.0], [0.2, 0.0, 0.1], [0.0, 0.3, 0.0]]", "\"W\": \"a\\u0000b.npy\""));
        fails(2, "invalid name 'v\\u0000x'", "validate", tiny("\"v\": {\"shape\": [4],", "\"v\\u0000x\": {\"shape\": [4],"));
    }

    @Test
    void aSplitThatLeavesNoTestSampleIsLocated() throws IOException {
        Path data = dir.resolve("d.npz");
        Npz.write(data, java.util.Map.of("x", org.nd4j.linalg.factory.Nd4j.rand(20, 4), "y", org.nd4j.linalg.factory.Nd4j.rand(20, 4)));
        String s = tiny("\"dynamics\": {\"dt\": 0.1, \"steps\": 30},", "\"dynamics\": {\"dt\": 0.1, \"steps\": 3},"
                + " \"training\": {\"train\": [\"w.W\"], \"inputs\": {\"v\": \"x\"}, \"loss\": {\"type\": \"mse\", \"layer\": \"v\","
                + " \"target\": \"y\"}, \"batch\": 4, \"data\": {\"train\": \"d.npz\", \"split\": 1e-320}},");
        fails(2, "$.training.data.split", "train", s, "--out", dir.resolve("t").toString());
    }

    // ---- 4: bad input that was accepted ----

    @Test
    void aKeyGivenTwiceIsAnError() {
        fails(2, "the key 'dt' appears twice", "validate",
                tiny("\"dynamics\": {\"dt\": 0.1,", "\"dynamics\": {\"dt\": -5, \"dt\": 0.1,"));
    }

    @Test
    void integersMustBeIntegersInRange() {
        fails(2, "$.dynamics.steps: expected an integer from", "validate",
                tiny("\"steps\": 30", "\"steps\": 4294967297"));
        fails(2, "$.dynamics.steps: expected an integer, got 2.5", "validate", tiny("\"steps\": 30", "\"steps\": 2.5"));
        fails(2, "$.dynamics.noise.seed: expected an integer", "validate",
                tiny("\"steps\": 30", "\"steps\": 30, \"noise\": {\"temperature\": 0.1, \"seed\": 1.5}"));
        fails(2, "$.initial.batch: expected an integer", "validate",
                tiny("\"initial\": {\"states\": {\"v\": [[0.9, 0.1, 0.0, 0.7], [0.0, 0.8, 0.6, 0.1]]}}", "\"initial\": {\"batch\": 2.5}"));
        fails(2, "$.dynamics.steps: expected an integer from", "validate",
                tiny("\"steps\": 30", "\"steps\": 123456789012345678901234567890"));
    }

    @Test
    void numbersMustBeFinite() {
        fails(2, "$.synapses.w.params.W.std: expected a finite number", "validate",
                tiny("\"W\": [[0.1, 0.0, 0.2], [0.0, 0.1, 0.0], [0.2, 0.0, 0.1], [0.0, 0.3, 0.0]]",
                        "\"W\": {\"init\": \"normal\", \"std\": -1e400}"));
    }

    @Test
    void nanOrInfinityInArraysAndMasksIsRefusedWithItsIndex() throws IOException {
        Path nan = dir.resolve("nan.npy");
        Files.write(nan, FuzzTest.npy("<f4", new long[] {2, 4}, new float[] {0, 1, 0, 1, 1, Float.NaN, 0, 0}));
        fails(2, "$.initial.states.v: the array holds NaN at index [1, 1]", "validate",
                tiny("\"v\": [[0.9, 0.1, 0.0, 0.7], [0.0, 0.8, 0.6, 0.1]]", "\"v\": \"nan.npy\""));
        fails(2, "$.dynamics.masks.v: the array holds NaN", "validate",
                tiny("\"steps\": 30", "\"steps\": 30, \"masks\": {\"v\": \"nan.npy\"}"));
        fails(2, "holds NaN at index [1, 1]", "energy", tiny("\"steps\": 30", "\"steps\": 30"), "--state", "v=" + nan);
    }

    @Test
    void anEnergyThatIsNotFiniteIsAFailureNotAResult() {
        // a self-coupling so strong that its energy overflows float32
        Cli.Result r = fails(1, "the energy of synapse 'self' is", "energy",
                tiny("\"W\": [[0.05, 0, 0, 0], [0, 0.05, 0, 0], [0, 0, 0.05, 0], [0, 0, 0, 0.05]]",
                        "\"W\": [[3e38, 3e38, 3e38, 3e38], [3e38, 3e38, 3e38, 3e38], [3e38, 3e38, 3e38, 3e38], [3e38, 3e38, 3e38, 3e38]]"));
        assertTrue(r.out().isEmpty(), r::toString);
    }

    // ---- 5: writes outside the output folder ----

    @Test
    void theRetrievalPictureIsAFileNameInTheOutputFolder() {
        for (String png : List.of("/tmp/hamux-escape.png", "../../hamux-escape.png", "sub/grid.png")) {
            fails(2, "$.retrieval.png: '" + png + "' is not a file name", "run", tiny("\"png\": \"grid.png\"", "\"png\": \"" + png + "\""),
                    "--out", dir.resolve("o").toString());
        }
        assertFalse(Files.exists(Path.of("/tmp/hamux-escape.png")));
        assertFalse(Files.exists(dir.getParent().resolve("hamux-escape.png")));
    }

    @Test
    void aLayerNameThatIsAPathIsRefused() {
        fails(2, "invalid name '/tmp/x/evil'", "energy", tiny("\"h\": {\"shape\": [3]", "\"/tmp/x/evil\": {\"shape\": [3]")
                .replace("\"layers\": [\"v\", \"h\"]", "\"layers\": [\"v\", \"/tmp/x/evil\"]"), "--grad-out", dir.toString());
    }

    // ---- 6: blocking inputs ----

    @Test
    void aPipeAsTheSpecOrAStateFileIsRefusedWithoutWaiting() throws Exception {
        Path fifo = dir.resolve("pipe");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() != 0) {
            return;                                             // no mkfifo here: nothing to check
        }
        fails(2, "not a regular file", "validate", fifo.toString());
        fails(2, "not a regular file", "energy", tiny("\"steps\": 30", "\"steps\": 30"), "--state", "v=" + fifo);
    }

    // ---- 7: long messages, and the reasons of output failures ----

    @Test
    void longValuesAreShortenedInMessages() {
        Cli.Result r = fails(2, "not on the class path", "validate", tiny("\"b\": {\"type\": \"bias\", \"params\": {\"b\": [0.1, 0.2, 0.3]}}",
                "\"b\": {\"type\": \"class\", \"class\": \"com.example." + "X".repeat(100_000) + "\"}"));
        assertTrue(r.err().length() < 400, r.err().length() + " characters: " + r.err().substring(0, 200));
        String deep = "[".repeat(5000) + "1" + "]".repeat(5000);
        Cli.Result d = fails(2, "$", "validate", tiny("\"beta\": 4.0", "\"beta\": " + deep));
        assertTrue(d.err().length() < 400, d::toString);
    }

    @Test
    void anOutputFolderThatIsAFileSaysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("o"), "a file");
        fails(1, "exists and is not a folder", "run", spec(TinySpecs.GOOD), "--out", file.toString());
    }

    // ---- 8: output sets ----

    @Test
    void aRunWhoseOutputCannotBeWrittenLeavesTheOldSetWhole() throws IOException {
        Path out = dir.resolve("out");
        String s = spec(TinySpecs.GOOD);
        assertEquals(0, Cli.run("run", s, "--out", out.toString()).code());
        byte[] states = Files.readAllBytes(out.resolve("states.npz"));
        Files.delete(out.resolve("energy.csv"));
        Files.createDirectory(out.resolve("energy.csv"));                   // the last file of the set cannot be written
        fails(1, "energy.csv", "run", spec(TinySpecs.goodWith("\"steps\": 30", "\"steps\": 5")), "--out", out.toString());
        assertTrue(java.util.Arrays.equals(states, Files.readAllBytes(out.resolve("states.npz"))), "states.npz was replaced");
        try (var list = Files.list(out)) {
            assertTrue(list.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }
    }

    @Test
    void aTrainingFolderLeftByAKilledRunIsRepairedOnTheNextStart() throws IOException {
        Path data = dir.resolve("d.npz");
        Npz.write(data, java.util.Map.of("x", org.nd4j.linalg.factory.Nd4j.rand(16, 4), "y", org.nd4j.linalg.factory.Nd4j.rand(16, 4)));
        String s = tiny("\"dynamics\": {\"dt\": 0.1, \"steps\": 30},", "\"dynamics\": {\"dt\": 0.1, \"steps\": 3},"
                + " \"training\": {\"train\": [\"w.W\"], \"inputs\": {\"v\": \"x\"}, \"loss\": {\"type\": \"mse\", \"layer\": \"v\","
                + " \"target\": \"y\"}, \"batch\": 4, \"epochs\": 1, \"data\": {\"train\": \"d.npz\"}},");
        Path out = dir.resolve("t");
        assertEquals(0, Cli.run("train", s, "--out", out.toString()).code());
        // killed between the two renames (the checkpoint new, the parameters old) and half-way through a write
        Npz.write(out.resolve("params.npz"), java.util.Map.of("w.W", org.nd4j.linalg.factory.Nd4j.zeros(4, 3)));
        Files.write(out.resolve(".checkpoint.npz.abc123.tmp"), new byte[1 << 20]);
        Cli.Result r = Cli.run("train", s, "--out", out.toString(), "--resume", "--epochs", "1");
        assertEquals(0, r.code(), r::toString);
        INDArray w = Npz.read(out.resolve("params.npz")).get("w.W");
        assertEquals(Npz.read(out.resolve("checkpoint.npz")).get("w.W"), w);
        assertFalse(Files.exists(out.resolve(".checkpoint.npz.abc123.tmp")));
    }
}
