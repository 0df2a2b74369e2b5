package org.hamux.cli;

import java.io.PrintWriter;
import org.hamux.core.HamuxException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every error into one line {@code hamux: <message>} on stderr (plus the stack trace with
 * {@code --verbose}) and an exit code: 2 for bad input ({@link HamuxException#exitCode()}, a bad option),
 * 1 for a failure (divergence, I/O, anything unexpected).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** Exit code of a failure that is not the input's fault. */
    static final int FAILURE = 1;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String help = cl.getCommandSpec().qualifiedName() + " --help";
        PrintWriter err = cl.getErr();
        err.println("hamux: " + oneLine(ex.getMessage()) + " (see '" + help + "')");
        if (verbose(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = verbose(parsed);
        int code;
        String message;
        if (ex instanceof HamuxException h) {
            code = h.exitCode();
            message = h.getMessage();
        } else {
            code = FAILURE;
            String m = ex.getMessage();
            message = ex.getClass().getSimpleName() + (m == null ? "" : ": " + m)
                    + (verbose ? "" : " (--verbose shows the stack trace)");
        }
        err.println("hamux: " + oneLine(message));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The longest message printed: a longer one keeps its start and end (a value echoed whole should not flood). */
    static final int MAX_MESSAGE = 400;

    /** Collapses line breaks, so that an error is exactly one line, of at most {@link #MAX_MESSAGE} characters. */
    static String oneLine(String message) {
        return message == null ? "unknown error"
                : HamuxException.shorten(message.strip().replaceAll("\\s*\\R\\s*", " "), MAX_MESSAGE);
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
