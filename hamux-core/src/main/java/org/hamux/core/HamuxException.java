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

    /** The exit code the command line returns for this error: 2 for bad input. */
    public int exitCode() {
        return 2;
    }
}
