package org.hamux.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.hamux.core.HamuxException;
import org.hamux.core.io.Npz;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The arrays a spec's training data derive: erased copies (the input of a memory trained to fill in). */
class DatasetTest {

    @TempDir
    Path dir;

    @Test
    void erasedCopyZeroesWhereTheMaskIsZeroInEverySample() {
        INDArray images = Nd4j.arange(12).castTo(DataType.FLOAT).reshape(3, 2, 2).addi(1);
        Dataset d = new Dataset(Map.of("images", images), "test").withErased("images",
                Nd4j.create(new float[][] {{1, 1}, {0, 1}}));
        INDArray e = d.array("images_erased", "test");
        assertArrayEquals(new long[] {3, 2, 2}, e.shape());
        for (int b = 0; b < 3; b++) {
            assertEquals(0.0, e.getDouble(b, 1, 0), "erased");
            assertEquals(images.getDouble(b, 1, 1), e.getDouble(b, 1, 1), "kept");
            assertEquals(images.getDouble(b, 0, 0), e.getDouble(b, 0, 0), "kept");
        }
        assertEquals(images, d.array("images", "test"), "the original stays");
        HamuxException bad = assertThrows(HamuxException.class, () -> new Dataset(Map.of("images", images), "test")
                .withErased("images", Nd4j.ones(DataType.FLOAT, 3)));
        assertTrue(bad.getMessage().contains("3 entries, a sample 4"), bad.getMessage());
    }

    @Test
    void aSpecsEraseSectionMakesTheErasedInputAfterTheScale() throws Exception {
        Npz.write(dir.resolve("d.npz"), Map.of("images", Nd4j.ones(DataType.FLOAT, 5, 4).muli(255)));
        Files.writeString(dir.resolve("s.json"), """
                {"hamux": 1,
                 "layers": {"v": {"shape": [4], "lagrangian": {"type": "identity"}}},
                 "synapses": {"b": {"type": "bias", "params": {"b": [0, 0, 0, 0]}}},
                 "connections": [{"synapse": "b", "layers": ["v"]}],
                 "dynamics": {"dt": 0.1, "steps": 2, "masks": {"v": [1, 1, 0, 0]}},
                 "training": {"train": ["b.b"], "inputs": {"v": "images_erased"},
                              "loss": {"type": "masked-mse", "layer": "v", "of": "state", "target": "images", "mask": [0, 0, 1, 1]},
                              "data": {"train": "d.npz", "scale": {"images": 0.00392156862745098}, "erase": {"images": [1, 1, 0, 0]}}}}
                """);
        Spec spec = SpecReader.read(dir.resolve("s.json"));
        Training t = Training.of(spec);
        Dataset d = Dataset.read(dir.resolve("d.npz"), t, Dataset.Part.TRAIN, 0);
        INDArray e = d.array("images_erased", "test");
        assertEquals(1.0, e.getDouble(0, 0), 1e-6);
        assertEquals(0.0, e.getDouble(4, 3), 0.0);
    }
}
