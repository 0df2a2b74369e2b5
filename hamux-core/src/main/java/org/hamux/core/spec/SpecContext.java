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

    /** {@code file} relative to the spec's folder; a located error at {@code path} if it is not a file name. */
    Path resolve(String file, String path) {
        Path p;
        try {
            p = Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            throw error(path, "'" + org.hamux.core.HamuxException.shorten(file, 60)
                    + "' is not a file name: " + e.getReason());
        }
        if (file.isEmpty()) {
            throw error(path, "an empty file name");
        }
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    SpecException error(String path, String message) {
        return new SpecException(source, path, lines.line(path), message);
    }

    SpecContext withDtype(DataType d) {
        return new SpecContext(source, baseDir, lines, d);
    }
}
