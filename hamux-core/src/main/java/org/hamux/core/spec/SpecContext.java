package org.hamux.core.spec;

import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

/** What every node of one spec shares: its file (for messages and relative paths), lines and data type. */
final class SpecContext {

    private final String source;
    private final Path baseDir;
    private final JsonLines lines;
    private final DataType dtype;

    SpecContext(String source, Path baseDir, JsonLines lines, DataType dtype) {
        this.source = source;
        this.baseDir = baseDir;
        this.lines = lines;
        this.dtype = dtype;
    }

    DataType dtype() {
        return dtype;
    }

    Path resolve(String file) {
        Path p = Path.of(file);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    SpecException error(String path, String message) {
        return new SpecException(source, path, lines.line(path), message);
    }

    SpecContext withDtype(DataType d) {
        return new SpecContext(source, baseDir, lines, d);
    }
}
