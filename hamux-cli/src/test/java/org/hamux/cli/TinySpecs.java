package org.hamux.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small specs for the tests: two identity layers {@code v [4]} and {@code h [3]}; a dense synapse
 * {@code w} between them, a small dense self-coupling {@code self} of {@code v} (the layer twice), an
 * lse-memory {@code mem} on {@code v} and a bias {@code b} on {@code h}; a batch of two queries.
 */
final class TinySpecs {

    static final String GOOD = """
            {
              "hamux": 1,
              "name": "tiny",
              "description": "a small test graph",
              "layers": {
                "v": {"shape": [4], "lagrangian": {"type": "identity"}},
                "h": {"shape": [3], "lagrangian": {"type": "identity"}, "tau": 0.5}
              },
              "synapses": {
                "w": {"type": "dense", "params": {"W": [[0.1, 0.0, 0.2], [0.0, 0.1, 0.0], [0.2, 0.0, 0.1], [0.0, 0.3, 0.0]]}},
                "self": {"type": "dense", "params": {"W": [[0.05, 0, 0, 0], [0, 0.05, 0, 0], [0, 0, 0.05, 0], [0, 0, 0, 0.05]]}},
                "mem": {"type": "lse-memory", "beta": 4.0, "params": {"xi": [[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]]}},
                "b": {"type": "bias", "params": {"b": [0.1, 0.2, 0.3]}}
              },
              "connections": [
                {"synapse": "w", "layers": ["v", "h"]},
                {"synapse": "self", "layers": ["v", "v"]},
                {"synapse": "mem", "layers": ["v"]},
                {"synapse": "b", "layers": ["h"]}
              ],
              "dynamics": {"dt": 0.1, "steps": 30},
              "initial": {"states": {"v": [[0.9, 0.1, 0.0, 0.7], [0.0, 0.8, 0.6, 0.1]]}},
              "retrieval": {"layer": "v", "memories": [[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]],
                            "targets": [0, 1], "image": [2, 2], "png": "grid.png"}
            }
            """;

    private TinySpecs() {
    }

    /** {@link #GOOD} with {@code from} replaced by {@code to} (which must occur). */
    static String goodWith(String from, String to) {
        if (!GOOD.contains(from)) {
            throw new IllegalArgumentException("not in the spec: " + from);
        }
        return GOOD.replace(from, to);
    }

    /** Writes {@code text} to {@code dir/name} and returns the path as a string. */
    static String write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
