package io.streamctr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code streamctr} command line: replay a data set into Kafka, read the output topics.
 * Exit codes are picocli's: 0 success, 1 failure while running, 2 bad usage.
 */
@Command(name = "streamctr",
        mixinStandardHelpOptions = true,
        version = "streamctr 0.1.0-SNAPSHOT",
        description = "Online CTR learning on Flink + Kafka: replay data sets, read predictions and metrics.",
        subcommands = {ReplayCommand.class, TailCommand.class})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
