package io.streamctr.cli;

import io.streamctr.cli.architecture.ArchitectureCommand;
import io.streamctr.cli.bench.BenchCommand;
import io.streamctr.cli.bench.BenchModelCommand;
import io.streamctr.cli.bench.BenchSyncCommand;
import io.streamctr.cli.demo.DemoCommand;
import io.streamctr.cli.evaluate.EvaluateCommand;
import io.streamctr.cli.export.ExportCommand;
import io.streamctr.cli.job.JobCommand;
import io.streamctr.cli.replay.ReplayCommand;
import io.streamctr.cli.report.ReportCommand;
import io.streamctr.cli.score.ScoreCommand;
import io.streamctr.cli.tail.TailCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code streamctr} command line: replay a data set into Kafka, read the output topics. Exit
 * codes: 0 success, 1 failure while running, 2 a usage or input error; an error is one line on
 * stderr ({@link CommandErrors}), with its stack trace after it under {@code --verbose}.
 */
@Command(
        name = "streamctr",
        mixinStandardHelpOptions = true,
        version = "streamctr 0.1.0-SNAPSHOT",
        description =
                "Online CTR learning on Flink + Kafka: run the embedded demo, replay data sets,"
                        + " read predictions and metrics.",
        subcommands = {
            DemoCommand.class,
            ReplayCommand.class,
            TailCommand.class,
            ReportCommand.class,
            EvaluateCommand.class,
            ArchitectureCommand.class,
            BenchCommand.class,
            BenchModelCommand.class,
            BenchSyncCommand.class,
            ScoreCommand.class,
            ExportCommand.class,
            JobCommand.class
        })
public final class Main implements Runnable {

    @Spec CommandSpec spec;

    @Option(
            names = CommandErrors.VERBOSE,
            scope = ScopeType.INHERIT,
            description = "On an error, also print its stack trace.")
    boolean verbose;

    /** The CLI's logging setup: warnings on stderr, unless the user chose a configuration. */
    public static final String LOG_CONFIG = "streamctr-cli-log4j2.properties";

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:" + LOG_CONFIG);
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's error handling ({@link CommandErrors}). */
    public static CommandLine commandLine() {
        return CommandErrors.install(new CommandLine(new Main()));
    }

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "a command is required: " + String.join(", ", spec.subcommands().keySet()));
    }
}
