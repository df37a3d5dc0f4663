package io.streamctr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One run of the {@code streamctr} command line in this JVM, as {@link Main} runs it (same error
 * handling): the exit code and what the command printed on stdout and stderr.
 */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code streamctr ARGS...} and captures its output. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The non-empty lines of stderr. */
    public List<String> errLines() {
        return err.lines().filter(l -> !l.isBlank()).toList();
    }
}
