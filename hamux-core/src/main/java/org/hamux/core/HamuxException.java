package org.hamux.core;

/**
 * The one exception family of HAMUX: bad input (a spec, a shape, a name, a file) with a message
 * that names the place and says how to fix it. The CLI prints the message alone and exits with 2.
 */
public class HamuxException extends RuntimeException {

    public HamuxException(String message) {
        super(message);
    }

    public HamuxException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code text} of at most {@code max} characters: longer text keeps its start and end around {@code ...} (a value
     * echoed in a message, which may be a whole list or a 100,000-character name).
     */
    public static String shorten(String text, int max) {
        if (text == null) {
            return null;
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            StringBuilder b = new StringBuilder();
            text.chars().forEach(c -> b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : String.valueOf((char) c)));
            text = b.toString();                 // control characters (a NUL, a line break) shown escaped: one line
        }
        if (text.length() <= max) {
            return text;
        }
        int head = Math.max(1, max * 2 / 3 - 2);
        int tail = Math.max(1, max - head - 5);
        return text.substring(0, head) + " ... " + text.substring(text.length() - tail);
    }

    /** The exit code the command line returns for this error: 2 for bad input. */
    public int exitCode() {
        return 2;
    }
}
