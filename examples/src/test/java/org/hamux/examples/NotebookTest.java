package org.hamux.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the jshell notebooks of {@code examples/notebooks} the way the README does (the {@code jshell} tool,
 * remote execution, the libraries on the class path) and checks what they print.
 */
class NotebookTest {

    /** The longest a notebook may run. */
    private static final long TIMEOUT_SECONDS = 300;

    @TempDir
    Path out;

    /** Runs {@code notebook} and returns what it printed (stdout and stderr together); fails on a jshell error. */
    private String runNotebook(String notebook, String... properties) throws IOException, InterruptedException {
        Path dir = ExampleSpecsTest.examplesDir().toAbsolutePath();
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Path log = out.resolve("notebook.log");
        List<String> command = new java.util.ArrayList<>(List.of(jshell.toString(),
                "--class-path", classPath(),
                "-R-Dhamux.examples=" + dir, "-R-Dhamux.out=" + out, "-R-Xmx2g",
                "-R--add-modules", "-Rjdk.incubator.vector"));                      // as ./hamux jshell does
        for (String p : properties) {
            command.add("-R-D" + p);
        }
        command.add(dir.resolve("notebooks").resolve(notebook).toString());
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, notebook + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + printed);
        assertEquals(0, p.exitValue(), printed);
        assertFalse(printed.contains("Error:") || printed.contains("Exception"), notebook + " failed:\n" + printed);
        return printed;
    }

    /** This test's class path, without the entries that do not exist (jshell refuses them). */
    private static String classPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(p -> Files.exists(Path.of(p)))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    @Test
    void fashionRetrievalNotebookRetrievesMostQueriesAndWritesItsPicture() throws Exception {
        String printed = runNotebook("fashion-retrieval.jsh");
        Matcher m = Pattern.compile("retrieved (\\d+)/(\\d+) queries").matcher(printed);
        assertTrue(m.find(), printed);
        int retrieved = Integer.parseInt(m.group(1));
        assertEquals(100, Integer.parseInt(m.group(2)), printed);
        assertTrue(retrieved >= MIN_RETRIEVED, "retrieved only " + retrieved + "/100:\n" + printed);
        assertTrue(Files.size(out.resolve("fashion-retrieval-notebook.png")) > 1000, printed);
    }

    /** A line {@code K   20  exponential  recovered  5/5, ...} of the binary storage notebook: recovered of queries. */
    private static int[] recovered(String printed, int k, String model) {
        Matcher m = Pattern.compile("K +" + k + "  " + Pattern.quote(model) + " +recovered +(\\d+)/(\\d+)").matcher(printed);
        assertTrue(m.find(), "no line for K " + k + ", " + model + ":\n" + printed);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    @Test
    void binaryStorageNotebookShowsTheDenseMemoriesOutlastingTheQuadraticOne() throws Exception {
        String printed = runNotebook("binary-dense-storage.jsh", "hamux.size=small");
        for (String model : List.of("Hopfield (n = 2)", "DenseAM n = 6", "exponential")) {
            int[] r = recovered(printed, 2, model);
            assertEquals(r[1], r[0], model + " recovers both of two stored images:\n" + printed);
        }
        assertTrue(recovered(printed, 20, "Hopfield (n = 2)")[0] <= 1, "the quadratic energy fails at K = 20:\n" + printed);
        assertTrue(recovered(printed, 20, "DenseAM n = 6")[0] >= 4, printed);
        assertEquals(5, recovered(printed, 20, "exponential")[0], printed);
        Matcher agree = Pattern.compile("agree with the asynchronous update's fixed points on ([0-9.]+)% of the bits").matcher(printed);
        assertTrue(agree.find() && Double.parseDouble(agree.group(1)) >= 99, "the tanh limit:\n" + printed);
        for (String f : List.of("binary-dense-storage.md", "binary-dense-storage-grid.png", "binary-dense-storage-energy.png")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f + ":\n" + printed);
        }
        assertTrue(Files.readString(out.resolve("binary-dense-storage.md")).contains("![rows: noisy queries"), printed);
    }

    @Test
    void capacityNotebookMeetsTheSignalToNoisePrediction() throws Exception {
        String printed = runNotebook("capacity.jsh", "hamux.size=small");
        Matcher ratio = Pattern.compile("\\(([0-9.]+) K_max\\)").matcher(printed);
        int found = 0;
        while (ratio.find()) {
            double r = Double.parseDouble(ratio.group(1));
            assertTrue(r > 0.6 && r < 1.6, "the measured capacity is " + r + " K_max:\n" + printed);
            found++;
        }
        assertEquals(2, found, "n = 2 and n = 3 measured:\n" + printed);
        Matcher bits = Pattern.compile("unstable bits ([0-9.]+) \\(predicted ([0-9.]+)\\)").matcher(printed);
        while (bits.find()) {
            double measured = Double.parseDouble(bits.group(1));
            double predicted = Double.parseDouble(bits.group(2));
            assertTrue(Math.abs(measured - predicted) <= 0.3 * predicted + 0.002, bits.group() + ":\n" + printed);
        }
        Matcher growth = Pattern.compile("grows by a factor ([0-9.]+) per bit").matcher(printed);
        assertTrue(growth.find() && Double.parseDouble(growth.group(1)) > 1.3, printed);
        assertTrue(Files.size(out.resolve("capacity.png")) > 1000 && Files.exists(out.resolve("capacity.md")), printed);
    }

    @Test
    void randomFeaturesNotebookShrinksTheErrorWithYAndAddsMemoriesToT() throws Exception {
        String printed = runNotebook("random-features.jsh", "hamux.size=small");
        Matcher slope = Pattern.compile("(?m)^(\\d+) +(-?[0-9.]+) +([0-9.e+-]+)$").matcher(printed);
        int slopes = 0;
        while (slope.find()) {
            assertTrue(Double.parseDouble(slope.group(2)) < -0.25, "D " + slope.group(1) + ": slope " + slope.group(2)
                    + ":\n" + printed);
            slopes++;
        }
        assertEquals(2, slopes, printed);
        Matcher exact = Pattern.compile("exact memory .*retrieved (\\d+)/(\\d+)").matcher(printed);
        assertTrue(exact.find(), printed);
        int q = Integer.parseInt(exact.group(2));
        Matcher rf = Pattern.compile("random features Y +\\d+ .*retrieved (\\d+)/").matcher(printed);
        while (rf.find()) {
            assertTrue(Integer.parseInt(rf.group(1)) >= Integer.parseInt(exact.group(1)) - 1, rf.group() + ":\n" + printed);
        }
        Matcher added = Pattern.compile("(\\d+) numbers in T before and after; retrieved (\\d+)/\\d+ .*: (\\d+)/").matcher(printed);
        assertTrue(added.find() && Integer.parseInt(added.group(2)) >= Integer.parseInt(added.group(3)) - 2, printed);
        assertTrue(Files.size(out.resolve("random-features-error.png")) > 1000, printed);
    }

    @Test
    void lsrNotebookFindsEmergentMinimaAndExactRetrieval() throws Exception {
        String printed = runNotebook("lsr-emergent-memories.jsh", "hamux.size=small");
        Matcher beta = Pattern.compile("beta +([0-9.]+): LSR +(\\d+) minima reached \\( *(\\d+) centroids that are minima\\), LSE +(\\d+)")
                .matcher(printed);
        int rows = 0;
        int most = 0;
        while (beta.find()) {
            int reached = Integer.parseInt(beta.group(2));
            int centroids = Integer.parseInt(beta.group(3));
            assertTrue(reached <= centroids, "every LSR minimum reached is a centroid minimum: " + beta.group());
            assertTrue(Integer.parseInt(beta.group(4)) <= 8, "LSE has no more minima than its 8 patterns: " + beta.group());
            most = Math.max(most, centroids);
            rows++;
        }
        assertEquals(4, rows, printed);
        assertTrue(most > 8, "LSR has more minima than patterns at some beta:\n" + printed);
        Matcher exact = Pattern.compile("pattern is ([0-9.e+-]+) \\(LSR\\), ([0-9.e+-]+) \\(LSE\\)").matcher(printed);
        assertTrue(exact.find(), printed);
        assertTrue(Double.parseDouble(exact.group(1)) < 1e-9 && Double.parseDouble(exact.group(2)) > 1e-3,
                "LSR retrieves its patterns exactly, LSE does not:\n" + printed);
        for (String f : List.of("lsr-minima.png", "lsr-landscape-1d.png", "lsr-landscape-2d.png", "lsr-emergent-memories.md")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
    }

    @Test
    void circleNotebookGoesFromMemorizationToGeneralization() throws Exception {
        String printed = runNotebook("circle-diffusion.jsh", "hamux.size=small");
        Matcher few = Pattern.compile("K +2: +(\\d+) distinct end points from \\d+ starts: (\\d+) at stored points").matcher(printed);
        assertTrue(few.find() && few.group(1).equals(few.group(2)), "two points: every minimum a stored point:\n" + printed);
        Matcher many = Pattern.compile("K +300: +(\\d+) distinct end points from \\d+ starts: \\d+ at stored points, (\\d+) on the manifold")
                .matcher(printed);
        assertTrue(many.find() && many.group(1).equals(many.group(2)), "300 points: every minimum on the ring:\n" + printed);
        Matcher limit = Pattern.compile("largest difference ([0-9.]+)").matcher(printed);
        assertTrue(limit.find() && Double.parseDouble(limit.group(1)) < 0.02, printed);
        Matcher spread = Pattern.compile("K +(\\d+): median angle of a sample to its nearest stored point ([0-9.]+) half-gaps")
                .matcher(printed);
        java.util.Map<Integer, Double> byK = new java.util.HashMap<>();
        while (spread.find()) {
            byK.put(Integer.parseInt(spread.group(1)), Double.parseDouble(spread.group(2)));
        }
        assertTrue(byK.get(2) < 0.1 && byK.get(9) < 0.15 && byK.get(300) > 0.35, "memorization to generalization: " + byK);
    }

    @Test
    void analogNotebookDecodesEveryInputAsAnOde() throws Exception {
        String printed = runNotebook("analog-dense-memory.jsh", "hamux.size=small");
        assertTrue(printed.contains("XOR: 4/4 inputs decoded"), printed);
        assertTrue(printed.contains("112/112 received words with one bit flipped decoded"), printed);
        Matcher settled = Pattern.compile("settled at ([0-9.]+) tau").matcher(printed);
        while (settled.find()) {
            assertTrue(Double.parseDouble(settled.group(1)) < 40, "settled before the horizon:\n" + printed);
        }
    }

    @Test
    void prenormAttentionNotebookGathersTheTokensIntoTheMixturesDirections() throws Exception {
        String printed = runNotebook("prenorm-attention-clustering.jsh", "hamux.size=small");
        Matcher step = Pattern.compile("step +(\\d+): +(\\d+) clusters of the attention dynamics \\(agreement with the 4 directions"
                + " ([0-9.]+)\\); vMF iteration +(\\d+) clusters").matcher(printed);
        int last = -1;
        double agreement = 0;
        int vmf = -1;
        while (step.find()) {
            last = Integer.parseInt(step.group(2));
            agreement = Double.parseDouble(step.group(3));
            vmf = Integer.parseInt(step.group(4));
        }
        assertEquals(4, last, "four clusters at the end:\n" + printed);
        assertTrue(agreement > 0.95, "grouped as the four directions:\n" + printed);
        assertEquals(4, vmf, "the vMF iteration too:\n" + printed);
    }

    @Test
    void kdeNotebookRetrievesBetterInHigherDimensionsAndWorseWithMorePoints() throws Exception {
        String printed = runNotebook("kde-capacity.jsh", "hamux.size=small");
        java.util.Map<String, Double> ratio = new java.util.HashMap<>();
        Matcher m = Pattern.compile("D +(\\d+) +N +(\\d+): distance after / before ([0-9.]+)").matcher(printed);
        while (m.find()) {
            ratio.put(m.group(1) + "/" + m.group(2), Double.parseDouble(m.group(3)));
        }
        assertEquals(4, ratio.size(), printed);
        assertTrue(ratio.get("8/64") < ratio.get("2/64") && ratio.get("8/4") < 0.05, "better with D: " + ratio);
        assertTrue(ratio.get("2/64") > ratio.get("2/4"), "worse with N: " + ratio);
    }

    /** The bundled example's figure, printed by the notebook and by {@code hamux run}: at least this many of 100. */
    static final int MIN_RETRIEVED = 95;
}
