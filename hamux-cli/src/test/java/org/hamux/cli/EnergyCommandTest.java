package org.hamux.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hamux.core.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EnergyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void printsATotalEqualToTheSumOfThePartsAndWritesGradients() throws Exception {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Path grads = dir.resolve("grads");
        Cli.Result r = Cli.run("energy", spec, "--dtype", "float64", "--grad-out", grads.toString());
        assertEquals(0, r.code(), r::toString);

        JsonNode root = JSON.readTree(r.out());
        assertEquals(List.of("v", "h"), names(root.get("layers")));
        assertEquals(List.of("w", "self", "mem", "b"), names(root.get("synapses")));
        for (int i = 0; i < 2; i++) {
            double sum = 0;
            for (JsonNode part : root.get("layers")) {
                sum += part.get(i).asDouble();
            }
            for (JsonNode part : root.get("synapses")) {
                sum += part.get(i).asDouble();
            }
            assertEquals(sum, root.get("total").get(i).asDouble(), 1e-12);
        }
        // identity layer: E = |x|^2 / 2 = (0.81 + 0.01 + 0.49) / 2 for sample 0; h starts at zero
        assertEquals(0.655, root.get("layers").get("v").get(0).asDouble(), 1e-7);
        assertEquals(0.0, root.get("layers").get("h").get(1).asDouble(), 0.0);

        INDArray gv = Npy.read(grads.resolve("v.npy"));
        INDArray gh = Npy.read(grads.resolve("h.npy"));
        assertEquals(DataType.DOUBLE, gv.dataType());
        assertArrayEquals(new long[] {2, 4}, gv.shape());
        assertArrayEquals(new long[] {2, 3}, gh.shape());
        assertTrue(r.err().contains("v.npy") && r.err().contains("h.npy"), r::toString);
    }

    @Test
    void readsStatesFromNpyFiles() throws Exception {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Path v = dir.resolve("v.npy");
        Npy.write(v, Nd4j.createFromArray(new float[][] {{0.9f, 0.1f, 0f, 0.7f}, {0f, 0.8f, 0.6f, 0.1f}}));
        Cli.Result fromSpec = Cli.run("energy", spec);
        Cli.Result fromFile = Cli.run("energy", spec, "--state", "v=" + v);
        assertEquals(0, fromFile.code(), fromFile::toString);
        assertEquals(JSON.readTree(fromSpec.out()), JSON.readTree(fromFile.out()));
    }

    @Test
    void rejectsAStateOfAnUnknownLayer() throws Exception {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Path q = dir.resolve("q.npy");
        Npy.write(q, Nd4j.zeros(DataType.FLOAT, 2, 4));
        Cli.Result r = Cli.run("energy", spec, "--state", "q=" + q);
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("unknown layer 'q'"), r::toString);
    }

    @Test
    void rejectsAMissingStateFile() {
        String spec = TinySpecs.write(dir, "tiny.json", TinySpecs.GOOD);
        Cli.Result r = Cli.run("energy", spec, "--state", "v=" + dir.resolve("none.npy"));
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("none.npy"), r::toString);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
