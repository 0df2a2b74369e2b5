package org.hamux.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.hamux.core.Dynamics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * examples/user-project, the README's "In your own build": its pom depends on modules this build makes, and its
 * Java example compiles against them and runs.
 */
class UserProjectTest {

    private static final Path PROJECT = ExampleSpecsTest.examplesDir().resolve("user-project");

    @TempDir
    Path classes;

    @Test
    void thePomNamesModulesOfThisBuildAtItsVersion() throws Exception {
        String pom = Files.readString(PROJECT.resolve("pom.xml"));
        String root = Files.readString(ExampleSpecsTest.examplesDir().resolve("../pom.xml"));
        Matcher version = Pattern.compile("<artifactId>hamux-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(root);
        assertTrue(version.find(), "the root pom's version");
        Matcher dep = Pattern.compile("<groupId>org.hamux</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        int n = 0;
        while (dep.find()) {
            n++;
            assertTrue(root.contains("<module>" + dep.group(1) + "</module>"), dep.group(1) + " is not a module of this build");
            assertEquals(version.group(1), dep.group(2), dep.group(1) + "'s version");
        }
        assertTrue(n >= 2, "the pom depends on the library");
    }

    @Test
    void theExampleCompilesAgainstTheLibraryAndRecallsTheNearestMemory() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path source = PROJECT.resolve("src/main/java/demo/Recall.java");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                source.toString());
        assertEquals(0, rc, errors.toString());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> recall = loader.loadClass("demo.Recall");
            recall.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            // a query nearest the second memory, far from the others
            INDArray query = Nd4j.create(new float[][] {{0.2f, 0.8f, 0.7f, 0.1f}});
            Dynamics.Result r = (Dynamics.Result) recall.getMethod("recall", INDArray.class).invoke(null, query);
            INDArray state = r.states().get("v");
            assertTrue(state.sub(Nd4j.create(new float[][] {{0, 1, 1, 0}}).castTo(state.dataType())).norm2Number().doubleValue() < 0.05,
                    "relaxed onto the second memory: " + state);
            assertTrue(r.lastEnergy() < r.firstEnergy(), r.firstEnergy() + " -> " + r.lastEnergy());
        }
    }
}
