package io.streamctr.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command reports an error (the project rule): one line on stderr, {@code streamctr
 * COMMAND: what was wrong and what was expected}, no stack trace unless {@code --verbose}. Exit
 * code 2 for a usage or input error (picocli's {@link ParameterException}, a {@link
 * UsageException}), 1 for a failure while running. Arguments that match nothing are an error even
 * with {@code --help}.
 */
public final class CommandErrors
        implements IParameterExceptionHandler, IExecutionExceptionHandler, IExecutionStrategy {

    /** Exit code of a usage or input error. */
    public static final int USAGE = 2;

    /** Exit code of a failure while running. */
    public static final int FAILURE = 1;

    static final String VERBOSE = "--verbose";

    private CommandErrors() {}

    /** Sets this error handling on {@code commandLine} and its subcommands; returns it. */
    public static CommandLine install(CommandLine commandLine) {
        CommandErrors errors = new CommandErrors();
        return commandLine
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors)
                .setExecutionStrategy(errors);
    }

    @Override
    public int execute(ParseResult parseResult) {
        // picocli shows the help of `streamctr nosuch --help` and ignores `nosuch`; a command that
        // takes arbitrary arguments (@Unmatched: job's --key value) gets them
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty() && p.commandSpec().unmatchedArgsBindings().isEmpty()) {
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        String message =
                ex instanceof UnmatchedArgumentException unmatched
                        ? unmatched(commandLine.getCommandSpec(), unmatched.getUnmatched())
                        : ex.getMessage();
        report(commandLine, message, ex, List.of(args).contains(VERBOSE));
        return USAGE;
    }

    @Override
    public int handleExecutionException(
            Exception ex, CommandLine commandLine, ParseResult parseResult) {
        boolean verbose = parseResult != null && parseResult.originalArgs().contains(VERBOSE);
        boolean usage = ex instanceof UsageException;
        String message = describe(ex);
        if (!complete(ex) && !verbose) {
            message += " (" + VERBOSE + " shows the stack trace)";
        }
        report(commandLine, message, ex, verbose);
        return usage ? USAGE : FAILURE;
    }

    private static void report(
            CommandLine commandLine, String message, Throwable ex, boolean verbose) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + oneLine(message));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    /** An unknown command, an unknown option or an argument the command does not take. */
    private static String unmatched(CommandSpec spec, List<String> unmatched) {
        String first = unmatched.get(0);
        String help = "; see " + spec.qualifiedName() + " --help";
        if (first.startsWith("-")) {
            String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            return Choices.closest(option, new TreeSet<>(spec.optionsMap().keySet()))
                            .map(c -> "unknown option '" + option + "' (did you mean '" + c + "'?)")
                            .orElse("unknown option '" + option + "'")
                    + help;
        }
        Map<String, CommandLine> subcommands = spec.subcommands();
        if (!subcommands.isEmpty()) {
            return Choices.unknown("command", first, subcommands.keySet(), "commands");
        }
        return "unexpected argument '" + first + "': this command takes options only" + help;
    }

    /**
     * The exception's message; a wrapper's (not ours, whose messages say it all) with its root
     * cause's, e.g. Flink's "Job execution failed." with what failed.
     */
    static String describe(Throwable ex) {
        String message = ex.getMessage();
        String text =
                message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != ex && !complete(ex)) {
            String rootMessage = root.getMessage();
            String rootText =
                    root.getClass().getSimpleName()
                            + (rootMessage == null ? "" : ": " + rootMessage);
            if (rootMessage == null || !text.contains(rootMessage)) {
                text += ": " + rootText;
            }
        }
        return text;
    }

    /**
     * Whether the exception is one of the project's own errors, whose message says what went wrong
     * (an unexpected one gets its root cause and a hint at {@code --verbose}).
     */
    private static boolean complete(Throwable ex) {
        return ex instanceof UsageException
                || ex instanceof IllegalArgumentException
                || ex instanceof IllegalStateException;
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.startsWith("Error: ") ? line.substring("Error: ".length()) : line;
    }
}
