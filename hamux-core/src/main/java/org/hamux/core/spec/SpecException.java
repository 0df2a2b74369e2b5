package org.hamux.core.spec;

import org.hamux.core.HamuxException;

/** A spec that cannot be read: the message names the file, the JSON path and the line. */
public final class SpecException extends HamuxException {

    /** The longest message after the location: a longer one (a long value echoed in it) keeps its start and end. */
    public static final int MAX_MESSAGE = 300;

    private final String path;
    private final int line;

    public SpecException(String source, String path, int line, String message) {
        super((source == null ? "" : shorten(source, 160) + ":") + (line > 0 ? line + ": " : " ") + "at " + shorten(path, 80)
                + ": " + shorten(message, MAX_MESSAGE));
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
