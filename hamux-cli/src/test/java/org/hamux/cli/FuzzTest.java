package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken specs and arrays, made by seeded random mutations of the example specs (values replaced by nulls, empty and
 * huge arrays, non-integers, non-finite numbers, NUL bytes, paths that leave the output folder; keys deleted, duplicated
 * or misspelt; text cut short; references to files with NaN, huge or truncated headers, folders): every case ends
 * with exit 0, or with one located line on stderr and a non-zero exit, no stack trace, within the time limit, and
 * writes nothing outside its output folder.
 */
class FuzzTest {

    /** Cases per run of the suite ({@code -Dhamux.fuzz.cases} for more). */
    private static final int CASES = Integer.getInteger("hamux.fuzz.cases", 3000);
    /** The longest a case may take. */
    private static final long TIMEOUT_SECONDS = 20;
    /** The seed of the mutations ({@code -Dhamux.fuzz.seed} for other cases). */
    private static final long SEED = Long.getLong("hamux.fuzz.seed", 20261205L);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path root;

    @Test
    void brokenSpecsAndArraysFailWithOneLocatedLine() throws Exception {
        Path specs = Files.createDirectories(root.resolve("specs"));
        Path out = Files.createDirectories(root.resolve("out"));
        Path examples = Path.of(System.getProperty("hamux.examples.dir", "../examples"));
        List<Path> files;
        try (Stream<Path> s = Files.list(examples)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        copyTree(examples.resolve("data"), specs.resolve("data"));
        badFiles(specs.resolve("bad"));
        List<JsonNode> originals = new ArrayList<>();
        for (Path f : files) {
            originals.add(JSON.readTree(Files.readString(f)));
        }
        for (Path p : OUTSIDE) {
            Files.deleteIfExists(p);
        }
        Path besideRoot = root.getParent().resolve("hamux-fuzz-escape.png");
        Files.deleteIfExists(besideRoot);
        Set<Path> before = listing(root, out);
        Random random = new Random(SEED);
        Map<String, List<String>> failures = new TreeMap<>();
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < CASES; i++) {
                int which = random.nextInt(originals.size());
                String text = mutate(originals.get(which), random);
                Path spec = specs.resolve("case.json");
                Files.writeString(spec, text);
                String[] args = command(random, spec, out.resolve("c" + i));
                Future<Cli.Result> run = exec.submit(() -> Cli.run(args));
                Cli.Result r;
                try {
                    r = run.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("case " + i + " (" + files.get(which).getFileName() + ", " + String.join(" ", args)
                            + ") ran for more than " + TIMEOUT_SECONDS + " s:\n" + text);
                    return;
                }
                String problem = problem(r, spec.toString());
                if (problem != null && System.getProperty("hamux.fuzz.keep") != null) {
                    Path keep = Files.createDirectories(Path.of(System.getProperty("hamux.fuzz.keep")));
                    Files.writeString(keep.resolve("case-" + i + ".json"), text);
                }
                if (problem != null) {
                    failures.computeIfAbsent(problem, k -> new ArrayList<>()).add("case " + i + " ("
                            + files.get(which).getFileName() + ", " + args[0] + "): " + r.err().strip());
                }
                Set<Path> now = listing(root, out);
                now.removeAll(before);
                now.remove(spec);
                if (!now.isEmpty()) {
                    fail("case " + i + " wrote outside its output folder: " + now + "\n" + text);
                }
                for (Path p : List.of(OUTSIDE.get(0), OUTSIDE.get(1), besideRoot)) {
                    if (Files.exists(p)) {
                        fail("case " + i + " wrote " + p + "\n" + text);
                    }
                }
            }
        } finally {
            exec.shutdownNow();
        }
        if (!failures.isEmpty()) {
            StringBuilder b = new StringBuilder(failures.size() + " kinds of failure:\n");
            failures.forEach((k, v) -> b.append(k).append(" x").append(v.size()).append(": ").append(v.get(0))
                    .append('\n'));
            fail(b.toString());
        }
    }

    /** Absolute paths a spec names as outputs; none may be written. */
    private static final List<Path> OUTSIDE = List.of(Path.of("/tmp/hamux-fuzz-escape.png"),
            Path.of("/tmp/hamux-fuzz-escape"));

    /** What is wrong with a result, or null: exit 0, or one located line without a trace and a non-zero exit. */
    private static String problem(Cli.Result r, String specPath) {
        if (r.code() == 0) {
            return null;
        }
        String[] lines = r.errLines();
        if (lines.length != 1) {
            return "not one line on stderr";
        }
        String line = lines[0];
        if (!line.startsWith("hamux: ")) {
            return "not a hamux message";
        }
        if (line.replace(specPath, "SPEC").length() > 360) {
            return "longer than about 300 characters";
        }
        if (line.contains("--verbose shows the stack trace") || line.matches(".*\\b[A-Z][A-Za-z]*(Exception|Error)\\b.*")) {
            return "an internal error";
        }
        if (r.code() == 2 && !line.contains("case.json") && !line.contains("/bad/") && !line.contains("/data/")) {
            return "not located";
        }
        return null;
    }

    private static String[] command(Random random, Path spec, Path out) {
        int k = random.nextInt(10);
        if (k < 7) {
            return new String[] {"validate", spec.toString()};
        }
        if (k < 8) {
            return new String[] {"energy", spec.toString(), "--grad-out", out.toString()};
        }
        return new String[] {"run", spec.toString(), "--out", out.toString(), "--steps", "2", "-q"};
    }

    // ---- mutations ----

    private static String mutate(JsonNode original, Random random) throws IOException {
        JsonNode tree = original.deepCopy();
        int k = random.nextInt(12);
        if (k == 0) {
            String text = JSON.writeValueAsString(tree);
            return text.substring(0, random.nextInt(text.length()));                    // cut short
        }
        if (k == 1) {
            return duplicateKey(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree), random);
        }
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            List<Location> places = new ArrayList<>();
            collect(tree, places);
            Location at = places.get(random.nextInt(places.size()));
            int what = random.nextInt(10);
            if (what < 6) {
                at.set(badValue(random));
            } else if (what < 8 && at.parent instanceof ObjectNode o) {
                o.remove(at.key);                                                        // a key left out
            } else if (what == 8 && at.parent instanceof ObjectNode o) {
                JsonNode v = o.remove(at.key);                                           // a name that is a path
                o.set(random.nextBoolean() ? "../../hamux-fuzz-escape" : "/tmp/hamux-fuzz-escape", v);
            } else if (at.parent instanceof ObjectNode o) {
                JsonNode v = o.remove(at.key);                                           // a key misspelt
                o.set(at.key + "x", v);
            } else {
                at.set(badValue(random));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    }

    /** A place in the tree: the parent, and a key or an index. */
    private record Location(JsonNode parent, String key, int index) {
        void set(JsonNode v) {
            if (parent instanceof ObjectNode o) {
                o.set(key, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }
    }

    private static void collect(JsonNode n, List<Location> out) {
        if (n instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(k -> {
                out.add(new Location(o, k, -1));
                collect(o.get(k), out);
            });
        } else if (n instanceof ArrayNode a && a.size() <= 16) {                       // not into inline data
            for (int i = 0; i < a.size(); i++) {
                out.add(new Location(a, null, i));
                collect(a.get(i), out);
            }
        }
    }

    private static JsonNode badValue(Random random) {
        return switch (random.nextInt(30)) {
            case 0 -> F.nullNode();
            case 1 -> F.objectNode();
            case 2 -> F.arrayNode();
            case 3 -> F.textNode("");
            case 4 -> F.textNode("x\u0000y");
            case 5 -> F.numberNode(-1);
            case 6 -> F.numberNode(0);
            case 7 -> F.numberNode(2.5);
            case 8 -> F.numberNode(4294967297L);
            case 9 -> F.numberNode(new BigInteger("123456789012345678901234567890"));
            case 10 -> F.numberNode(Double.POSITIVE_INFINITY);
            case 11 -> F.numberNode(-1e-320);
            case 12 -> F.booleanNode(true);
            case 13 -> F.textNode("../../hamux-fuzz-escape.png");
            case 14 -> F.textNode("/tmp/hamux-fuzz-escape.png");
            case 15 -> shape(2147483648L);
            case 16 -> shape(46341, 46341);
            case 17 -> shape(new long[40]);
            case 18 -> deep(60);
            case 19 -> F.textNode("bad/nan.npy");
            case 20 -> F.textNode("bad/huge.npy");
            case 21 -> F.textNode("bad/truncated.npy");
            case 22 -> F.textNode("bad/folder.npy");
            case 23 -> F.textNode("bad/huge.npz:a");
            case 24 -> F.textNode("x".repeat(5000));
            case 25 -> ragged();
            case 26 -> F.objectNode().put("init", "normal").set("shape", shape(1000000000L));
            case 27 -> F.objectNode().put("init", "normal").put("std", 1e300);
            case 28 -> F.numberNode(1e-320);
            default -> F.textNode("/tmp/hamux-fuzz-escape");
        };
    }

    private static ArrayNode shape(long... dims) {
        ArrayNode a = F.arrayNode();
        for (long d : dims) {
            a.add(d == 0 ? 1 : d);
        }
        return a;
    }

    private static JsonNode deep(int depth) {
        JsonNode n = F.numberNode(1);
        for (int i = 0; i < depth; i++) {
            n = F.arrayNode().add(n);
        }
        return n;
    }

    private static ArrayNode ragged() {
        return F.arrayNode().add(F.arrayNode().add(1).add(2)).add(F.arrayNode().add(3));
    }

    /** The text with one of its keys written a second time with another value. */
    private static String duplicateKey(String text, Random random) {
        List<Integer> keys = new ArrayList<>();
        for (int i = text.indexOf("\" : "); i >= 0; i = text.indexOf("\" : ", i + 1)) {
            keys.add(i);
        }
        int at = keys.get(random.nextInt(keys.size()));
        int start = text.lastIndexOf('"', at - 1);
        int lineStart = text.lastIndexOf('\n', start) + 1;
        String key = text.substring(start, at + 1);
        return text.substring(0, lineStart) + text.substring(lineStart, start) + key + ": -5,\n" + text.substring(lineStart);
    }

    // ---- files ----

    private static void badFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("nan.npy"), npy("<f4", new long[] {3}, new float[] {1, Float.NaN, 2}));
        Files.write(dir.resolve("huge.npy"), npy("<f4", new long[] {2147483648L, 4096}, new float[] {1, 2}));
        byte[] t = npy("<f4", new long[] {100}, new float[100]);
        Files.write(dir.resolve("truncated.npy"), java.util.Arrays.copyOf(t, t.length - 200));
        Files.createDirectories(dir.resolve("folder.npy"));
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(dir.resolve("huge.npz")))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("a.npy"));
            zip.write(npy("<f8", new long[] {1L << 40}, new float[0]));
            zip.closeEntry();
        }
    }

    /** A {@code .npy} file of this header and these floats (which need not fill the shape). */
    static byte[] npy(String descr, long[] shape, float[] data) {
        String dims = shape.length == 1 ? shape[0] + "," : java.util.Arrays.stream(shape).mapToObj(Long::toString)
                .collect(Collectors.joining(", "));
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float f : data) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    /** Every file under {@code root} but those under {@code out}. */
    private static Set<Path> listing(Path root, Path out) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.startsWith(out) && Files.isRegularFile(p)).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
