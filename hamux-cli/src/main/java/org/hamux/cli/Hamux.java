package org.hamux.cli;

import java.util.concurrent.Callable;
import org.hamux.core.MemoryBudget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code hamux} command: reads a JSON spec of an energy graph and runs, measures, checks or describes
 * it. Exit codes: 0 success, 2 bad input (a spec, an option, a file), 1 failure (divergence, I/O).
 *
 * <p>{@code new CommandLine(new Hamux())} comes with the error handlers installed (one line
 * {@code hamux: <message>} on stderr, see {@link ErrorHandler}).
 */
@Command(name = "hamux",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        modelTransformer = Hamux.InstallHandlers.class,
        description = "Energy-based Associative Memories as hypergraphs (HAMUX for Java).",
        subcommands = {RunCommand.class, EnergyCommand.class, ValidateCommand.class, DescribeCommand.class,
                       TrainCommand.class, EvalCommand.class, BenchCommand.class, TypesCommand.class,
                       HelpCommand.class},
        footer = {"", "The launcher also runs: jshell [NOTEBOOK.jsh ...]  (jshell with the libraries, e.g. the notebooks of"
                + " examples/notebooks)", "", "Exit codes: 0 success, 2 bad input, 1 failure (divergence, I/O)."})
public final class Hamux implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec spec;

    /** A command line starts from the default memory budget (a {@code --max-memory} of an earlier one is not kept). */
    public Hamux() {
        MemoryBudget.reset();
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        int code;
        try {
            code = new CommandLine(new Hamux()).execute(args);
        } catch (Throwable t) { // an Error (e.g. native libraries that fail to load) escapes picocli
            System.err.println("hamux: " + ErrorHandler.oneLine(t.toString()));
            code = ErrorHandler.FAILURE;
        }
        System.exit(code);
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "missing subcommand: run, energy, validate, describe, train, eval, bench or types");
    }

    /** Installs {@link ErrorHandler} on every command line made from {@link Hamux}. */
    public static final class InstallHandlers implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            ErrorHandler handler = new ErrorHandler();
            commandSpec.commandLine()
                    .setExecutionExceptionHandler(handler)
                    .setParameterExceptionHandler(handler);
            return commandSpec;
        }
    }
}
