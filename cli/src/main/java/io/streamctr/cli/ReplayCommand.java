package io.streamctr.cli;

import io.streamctr.schemas.ClickEvent;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code streamctr replay}: reads a data set and sends its events to Kafka in time order. */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        description = "Replay a data set into a Kafka topic in event-time order, keyed by user, as Avro ClickEvents.")
public final class ReplayCommand implements Callable<Integer> {

    static final int DRY_RUN_DEFAULT_LIMIT = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "movielens", paramLabel = "NAME",
            description = "Data set format; known: movielens. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--path", defaultValue = "data/movielens-latest-small", paramLabel = "DIR",
            description = "Directory holding the data set's files. Default: ${DEFAULT-VALUE}.")
    Path path;

    @Option(names = "--topic", defaultValue = "ctr.events", description = "Topic to write to. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--limit", paramLabel = "N",
            description = "Replay only the first N events in time order (default: all; " + DRY_RUN_DEFAULT_LIMIT + " with --dry-run).")
    Integer limit;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "EVENTS_PER_S",
            description = "Events per second; 0 sends as fast as possible. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--dry-run", description = "Print the first events as JSON lines and send nothing.")
    boolean dryRun;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE",
            description = "A Kafka producer setting, e.g. linger.ms=20; repeatable.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int n = limit != null ? limit : dryRun ? DRY_RUN_DEFAULT_LIMIT : Integer.MAX_VALUE;
        List<ClickEvent> events;
        try {
            events = Datasets.read(dataset, path, n);
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            return 1;
        }
        if (dryRun) {
            events.forEach(out::println);
            out.flush();
            return 0;
        }
        err.printf("replay: %,d %s events from %s to topic %s at %s%n", events.size(), dataset, path, topic,
                rate > 0 ? rate + " events/s" : "full speed");
        ReplaySummary summary;
        try {
            summary = Replayer.builder()
                    .bootstrapServers(bootstrapServers)
                    .topic(topic)
                    .eventsPerSecond(rate)
                    .producerProperties(producerProperties)
                    .progress(ConsoleProgress.forConsole(err))
                    .build()
                    .replay(events);
        } catch (IllegalStateException | KafkaException e) {
            err.println("replay: " + e.getMessage());
            return 1;
        }
        out.println(summary.describe());
        out.flush();
        return summary.failed() == 0 ? 0 : 1;
    }

    private void validate() {
        if (!Datasets.isKnown(dataset)) {
            throw new ParameterException(spec.commandLine(), Datasets.unknownMessage(dataset));
        }
        if (limit != null && limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new ParameterException(spec.commandLine(), "--rate must be >= 0 events/s, got " + rate);
        }
    }
}
