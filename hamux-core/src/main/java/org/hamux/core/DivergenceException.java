package org.hamux.core;

/** The state stopped being finite during the dynamics (a step too large, an overflow): exit code 1. */
public final class DivergenceException extends HamuxException {

    public DivergenceException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
