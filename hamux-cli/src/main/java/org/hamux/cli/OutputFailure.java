package org.hamux.cli;

import org.hamux.core.HamuxException;

/** Writing a result failed (disk full, no permission): a failure, exit code 1, not bad input. */
final class OutputFailure extends HamuxException {

    OutputFailure(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
