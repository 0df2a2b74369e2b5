package org.hamux.core.spec;

import org.hamux.core.HamuxException;

/** A spec that cannot be read: the message names the file, the JSON path and the line. */
public final class SpecException extends HamuxException {

    private final String path;
    private final int line;

    public SpecException(String source, String path, int line, String message) {
        super((source == null ? "" : source + ":") + (line > 0 ? line + ": " : " ") + "at " + path + ": " + message);
        this.path = path;
        this.line = line;
    }

    /** The JSON path, e.g. {@code $.synapses.mem.beta}. */
    public String path() {
        return path;
    }

    /** The line in the spec file, or 0 when unknown. */
    public int line() {
        return line;
    }
}
