package org.hamux.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.testing.GraphChecks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every JSON spec in {@code examples/} loads, and its energy never increases along the dynamics in double
 * precision, with the spec's clamping and with none.
 */
class ExampleSpecsTest {

    /** Samples of each spec's batch that the descent check runs on. */
    private static final long SAMPLES = 4;
    /** Steps of the descent check. */
    private static final int STEPS = 25;
    /** The largest Euler step of the descent check (the spec's own dt when smaller). */
    private static final double MAX_DT = 0.05;

    static Path examplesDir() {
        return Path.of(System.getProperty("hamux.examples.dir", "."));
    }

    static Stream<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(examplesDir())) {
            List<Path> specs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertFalse(specs.isEmpty(), "no example specs in " + examplesDir().toAbsolutePath());
            return specs.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void energyNeverIncreasesWithTheSpecsClamping(Path file) {
        Spec spec = SpecReader.read(file);
        Dynamics d = spec.dynamics().toBuilder().steps(STEPS).dt(Math.min(MAX_DT, spec.dynamics().dt()))
                .tolerance(0).noise(0, 0).build();
        GraphChecks.assertEnergyNeverIncreases(spec.graph(), start(spec), d);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void energyNeverIncreasesWithNothingClamped(Path file) {
        Spec spec = SpecReader.read(file);
        Dynamics d = Dynamics.builder().steps(STEPS).dt(Math.min(MAX_DT, spec.dynamics().dt())).build();
        GraphChecks.assertEnergyNeverIncreases(spec.graph(), start(spec), d);
    }

    /** The first samples of the spec's initial states, or random states when it gives none. */
    private static Map<String, INDArray> start(Spec spec) {
        EnergyGraph graph = spec.graph();
        if (spec.initial().isEmpty()) {
            return GraphChecks.randomStates(graph, SAMPLES, 1.0, 7);
        }
        Map<String, INDArray> x = new LinkedHashMap<>();
        spec.initial().forEach((k, v) -> x.put(k, v.get(NDArrayIndex.interval(0, Math.min(SAMPLES, v.size(0)))).dup()));
        return x;
    }
}
