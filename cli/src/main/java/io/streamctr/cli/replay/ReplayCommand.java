package io.streamctr.cli.replay;

import io.streamctr.cli.Choices;
import io.streamctr.cli.ClickDelayOptions;
import io.streamctr.cli.Inputs;
import io.streamctr.cli.KafkaClientSettings;
import io.streamctr.cli.KafkaReachability;
import io.streamctr.cli.UsageException;
import io.streamctr.cli.console.ConsoleProgress;
import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetAdapters;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.TimeSortedStream;
import io.streamctr.datasets.delay.ClickDelays;
import io.streamctr.datasets.delay.DelayedClickStream;
import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.format.AvroJson;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.schemas.ClickEvent;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamctr replay}: reads a data set through its adapter as a stream, in time order
 * (sorting it when its files are not), and sends its events to Kafka keyed by user; with {@code
 * --delayed-clicks} as impressions and delayed clicks ({@link DelayedClickStream}).
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay a data set into a Kafka topic in event-time order, keyed by user, as"
                    + " ClickEvents (Avro or JSON).",
            "Data sets: movielens, criteo, avazu, kdd12, amazon, taobao-behavior, taobao-ad,"
                    + " kuaivideo, mind, ipinyou, generic (see --list-datasets).",
            "--delayed-clicks sends impressions and, later, the clicks on the positives, as a"
                    + " production stream arrives (docs/delayed-labels.md)."
        })
public final class ReplayCommand implements Callable<Integer> {

    static final int DRY_RUN_DEFAULT_LIMIT = 5;

    @Spec CommandSpec spec;

    @Option(
            names = "--dataset",
            defaultValue = "movielens",
            paramLabel = "NAME",
            description = "Data set format (see --list-datasets). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(
            names = "--path",
            defaultValue = "data/movielens-latest-small",
            paramLabel = "FILE_OR_DIR",
            description =
                    "The data set's file or directory (.gz read directly). Default:"
                            + " ${DEFAULT-VALUE}.")
    Path path;

    @Option(names = "--list-datasets", description = "List the data set formats and exit.")
    boolean listDatasets;

    @Option(
            names = "--topic",
            defaultValue = "ctr.events",
            description = "Topic to write to. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(
            names = "--connect-timeout-ms",
            defaultValue = "10000",
            paramLabel = "MS",
            description =
                    "Fail (exit code 1) when Kafka does not answer within this long. Default:"
                            + " ${DEFAULT-VALUE}.")
    long connectTimeoutMs;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description =
                    "Replay at most N events, in time order (default: all; "
                            + DRY_RUN_DEFAULT_LIMIT
                            + " with --dry-run).")
    Long limit;

    @Option(
            names = "--skip",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Skip the first N events in time order (counted in the summary). Default:"
                            + " ${DEFAULT-VALUE}.")
    long skip;

    @Option(
            names = "--rate",
            defaultValue = "0",
            paramLabel = "EVENTS_PER_S",
            description =
                    "Events per second; 0 sends as fast as possible. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--speedup",
            defaultValue = "0",
            paramLabel = "X",
            description =
                    "Replay on the data's own timestamps, X times faster (e.g. 3600: an hour a"
                            + " second); 0 = off.")
    double speedup;

    @Option(
            names = "--dry-run",
            description = "Print the first events as JSON lines and send nothing.")
    boolean dryRun;

    @Option(
            names = "--assume-sorted",
            description =
                    "Trust the files to be in time order: stream them without the (external) sort.")
    boolean assumeSorted;

    @Option(
            names = "--sort-chunk",
            defaultValue = "" + TimeSortedStream.DEFAULT_CHUNK_SIZE,
            paramLabel = "EVENTS",
            description =
                    "Events sorted in memory at a time; more spill to temporary files and are"
                            + " merged. Default: ${DEFAULT-VALUE}.")
    int sortChunk;

    @Option(
            names = "--tmp-dir",
            paramLabel = "DIR",
            description = "Where the sort's temporary files go (default: the system's).")
    Path tmpDir;

    @Option(
            names = "--max-bad-lines",
            defaultValue = "1000",
            paramLabel = "N",
            description =
                    "Stop after more than N malformed lines; -1 = never stop. Default:"
                            + " ${DEFAULT-VALUE}.")
    long maxBadLines;

    @Option(
            names = "--option",
            paramLabel = "KEY=VALUE",
            description =
                    "An adapter option, e.g. threshold=4.5 (movielens), negatives=4, seed=7,"
                            + " category-path=first, meta=FILE (amazon); repeatable.")
    Map<String, String> adapterOptions = new LinkedHashMap<>();

    @Option(
            names = "--mapping",
            paramLabel = "FILE",
            description =
                    "The mapping file of --dataset generic (CSV/TSV columns or JSON-lines fields;"
                            + " docs/replay.md).")
    Path mapping;

    @Option(
            names = "--producer-property",
            paramLabel = "KEY=VALUE",
            description = "A Kafka producer setting, e.g. linger.ms=20; repeatable.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(
            names = "--properties-file",
            paramLabel = "FILE",
            description =
                    "Kafka client settings as Java properties (security.protocol, sasl.mechanism,"
                            + " sasl.jaas.config, ...), as the job's kafka.properties.*;"
                            + " --producer-property wins over the file.")
    Path propertiesFile;

    @Option(
            names = "--format",
            defaultValue = "avro",
            paramLabel = "FORMAT",
            description =
                    "Value format, as the job's kafka.format: avro (single-object encoding) or json"
                            + " (one JSON object per event, the .avsc field names). Default:"
                            + " ${DEFAULT-VALUE}.")
    String format;

    @Option(
            names = "--embedded-broker",
            description =
                    "Start an in-process Kafka broker for this run (ignores --bootstrap-servers):"
                        + " to try an adapter or measure replay throughput; the data is gone when"
                        + " the command ends.")
    boolean embeddedBroker;

    @Mixin ClickDelayOptions delays;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (listDatasets) {
            for (DatasetAdapter a : DatasetAdapters.all()) {
                out.printf("%-16s %s%n", a.name(), a.description());
            }
            out.flush();
            return 0;
        }
        validate();
        ClickDelays clickDelays = delays.enabled() ? delays.delays(null) : null;
        Map<String, String> options = new LinkedHashMap<>(adapterOptions);
        if (mapping != null) {
            options.put("mapping", mapping.toString());
        }
        long n = limit != null ? limit : dryRun ? DRY_RUN_DEFAULT_LIMIT : Long.MAX_VALUE;
        Map<String, String> client =
                KafkaClientSettings.load("--properties-file", propertiesFile, producerProperties);
        if (!dryRun && !embeddedBroker) {
            KafkaReachability.require(
                    bootstrapServers, client, Duration.ofMillis(connectTimeoutMs));
        }
        long started = System.nanoTime();
        if (!assumeSorted && !DatasetAdapters.get(dataset).timeOrdered()) {
            err.printf(
                    "replay: %s files are not in time order: sorting (use --assume-sorted to skip)"
                            + " ...%n",
                    dataset);
            err.flush();
        }
        EventStream opened = open(DatasetAdapters.get(dataset), options);
        // from here a bad line past --max-bad-lines or a broker failure is a failure (exit code 1)
        try (EventStream sorted =
                        assumeSorted || DatasetAdapters.get(dataset).timeOrdered()
                                ? opened
                                : TimeSortedStream.sort(opened, sortChunk, tmpDir);
                EventStream events =
                        clickDelays == null
                                ? sorted
                                : DelayedClickStream.split(
                                        sorted,
                                        clickDelays,
                                        JobOptions.CONTEXT_ONLY_ACTIONS.defaultValue())) {
            int code;
            if (dryRun) {
                code = dryRun(events, n, out, err, started);
            } else if (!embeddedBroker) {
                code = send(events, bootstrapServers, client, n, out, err);
            } else {
                try (EmbeddedKafka broker = EmbeddedKafka.start()) {
                    broker.createTopic(topic, 1);
                    code = send(events, broker.bootstrapServers(), client, n, out, err);
                }
            }
            if (events instanceof DelayedClickStream split) {
                out.println(describe(split.counts(), clickDelays));
                out.flush();
            }
            return code;
        }
    }

    /** One line on what the delayed-click split made of the events read. */
    static String describe(DelayedClickStream.Counts counts, ClickDelays d) {
        return String.format(
                Locale.ROOT,
                "delayed clicks: %,d impressions, %,d clicks (mean delay %s s%s), %,d events"
                        + " left labelled (unlabelled or context-only)",
                counts.impressions(),
                counts.clicks(),
                d.meanMillis() / 1000.0,
                d.windowMillis() == ClickDelays.NO_WINDOW
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; %,d after the %s s window",
                                counts.lateClicks(),
                                d.windowMillis() / 1000.0),
                counts.passedThrough());
    }

    /**
     * The data set's events as its files give them; the adapter's complaint about the path, the
     * options or the mapping is a usage error.
     */
    private EventStream open(DatasetAdapter adapter, Map<String, String> options) {
        try {
            return adapter.open(path, new DatasetOptions(options, maxBadLines));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Sends the events to the topic on these servers and prints the summary; the exit code. */
    private int send(
            EventStream events,
            String servers,
            Map<String, String> client,
            long n,
            PrintWriter out,
            PrintWriter err) {
        err.printf(
                "replay: %s events from %s to topic %s at %s on %s%n",
                dataset,
                path,
                topic,
                speedup > 0
                        ? speedup + "x the data's time"
                        : rate > 0 ? rate + " events/s" : "full speed",
                embeddedBroker ? "an in-process broker" : servers);
        ReplaySummary summary =
                Replayer.builder()
                        .bootstrapServers(servers)
                        .topic(topic)
                        .eventsPerSecond(rate)
                        .speedup(speedup)
                        .skip(skip)
                        .limit(n)
                        .producerProperties(client)
                        .format(KafkaClientSettings.format(format))
                        .progress(ConsoleProgress.forConsole(err))
                        .build()
                        .replay(events);
        out.println(summary.describe());
        out.flush();
        return summary.succeeded() ? 0 : 1;
    }

    private int dryRun(EventStream events, long n, PrintWriter out, PrintWriter err, long started) {
        long skipped = 0;
        while (skipped < skip && events.hasNext()) {
            events.next();
            skipped++;
        }
        long printed = 0;
        while (printed < n && events.hasNext()) {
            ClickEvent event = events.next();
            out.println(
                    KafkaClientSettings.format(format) == RecordFormat.JSON
                            ? AvroJson.toString(event)
                            : event.toString());
            printed++;
        }
        out.flush();
        err.printf(
                Locale.ROOT,
                "dry run: printed %,d events, skipped %,d, %s, %.1f s%n",
                printed,
                skipped,
                events.badLines().describe(),
                (System.nanoTime() - started) / 1e9);
        err.flush();
        return 0;
    }

    private void validate() {
        delays.requireEnabledIfUsed();
        Choices.require("data set", dataset, DatasetAdapters.names(), "known data sets");
        KafkaClientSettings.format(format);
        Inputs.atLeast("--max-bad-lines", maxBadLines, -1);
        Inputs.atLeast("--connect-timeout-ms", connectTimeoutMs, 1);
        if (limit != null && limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        if (skip < 0) {
            throw new ParameterException(spec.commandLine(), "--skip must be >= 0, got " + skip);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new ParameterException(
                    spec.commandLine(), "--rate must be >= 0 events/s, got " + rate);
        }
        if (!(speedup >= 0) || Double.isInfinite(speedup)) {
            throw new ParameterException(
                    spec.commandLine(), "--speedup must be >= 0, got " + speedup);
        }
        if (rate > 0 && speedup > 0) {
            throw new ParameterException(
                    spec.commandLine(), "choose --rate or --speedup, not both");
        }
        if (sortChunk < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--sort-chunk must be >= 1, got " + sortChunk);
        }
        Inputs.existing("--path", path, "the data set's file or directory");
        if (mapping != null) {
            Inputs.readableFile("--mapping", mapping, "a mapping file (docs/replay.md)");
        }
        if (tmpDir != null) {
            Inputs.directory("--tmp-dir", tmpDir, "a directory for the sort's temporary files");
        }
    }
}
