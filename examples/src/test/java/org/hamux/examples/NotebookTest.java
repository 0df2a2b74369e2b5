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
    private String runNotebook(String notebook) throws IOException, InterruptedException {
        Path dir = ExampleSpecsTest.examplesDir().toAbsolutePath();
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Path log = out.resolve("notebook.log");
        Process p = new ProcessBuilder(List.of(jshell.toString(),
                "--class-path", classPath(),
                "-R-Dhamux.examples=" + dir, "-R-Dhamux.out=" + out, "-R-Xmx2g",
                "-R--add-modules", "-Rjdk.incubator.vector",                        // as ./hamux jshell does
                dir.resolve("notebooks").resolve(notebook).toString()))
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

    /** The bundled example's figure, printed by the notebook and by {@code hamux run}: at least this many of 100. */
    static final int MIN_RETRIEVED = 60;
}
