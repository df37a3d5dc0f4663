package io.streamctr.cli.tail;

import io.streamctr.cli.KafkaClientSettings;
import io.streamctr.cli.KafkaReachability;
import io.streamctr.cli.report.LiveMetricsTable;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.schemas.MetricsReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamctr tail}: prints a topic's records as JSON lines, decoding each value by its Avro
 * schema fingerprint (or, with {@code --format json}, printing the JSON values as they are). Reads
 * only committed records, as the exactly-once job writes them, and commits no offsets (a fresh
 * consumer group each run). With {@code --table}, metrics reports show as a live table, one row per
 * model, redrawn in place on a terminal.
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description =
                "Print a topic's records (events, predictions, metrics, dead letters), Avro or"
                        + " JSON, as JSON lines.")
public final class TailCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    /** Which topic: by name, or one of the job's output topics. */
    static final class TopicChoice {
        @Option(names = "--topic", required = true, description = "The topic to read.")
        String topic;

        @Option(names = "--predictions", required = true, description = "Read ctr.predictions.")
        boolean predictions;

        @Option(names = "--metrics", required = true, description = "Read ctr.metrics.")
        boolean metrics;

        @Option(names = "--dead-letter", required = true, description = "Read ctr.deadletter.")
        boolean deadLetter;

        String name() {
            return predictions
                    ? "ctr.predictions"
                    : metrics ? "ctr.metrics" : deadLetter ? "ctr.deadletter" : topic;
        }
    }

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    TopicChoice topicChoice;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(
            names = "--from-beginning",
            description = "Start at the earliest record instead of only new ones.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(
            names = "--timeout-ms",
            paramLabel = "MS",
            description =
                    "Stop after this long without a record (counted from the start, then from the"
                            + " last record). Default: wait forever, or until --max records.")
    Long timeoutMs;

    @Option(
            names = "--connect-timeout-ms",
            defaultValue = "10000",
            paramLabel = "MS",
            description =
                    "Fail (exit code 1) when Kafka does not answer within this long. Default:"
                            + " ${DEFAULT-VALUE}.")
    long connectTimeoutMs;

    @Option(
            names = "--table",
            description =
                    "With --metrics (or a metrics --topic): a live table, one row per model,"
                        + " redrawn in place on a terminal; plain rows otherwise. Records that are"
                        + " not metrics reports are skipped.")
    boolean table;

    @Option(
            names = "--consumer-property",
            paramLabel = "KEY=VALUE",
            description = "A Kafka consumer setting; repeatable.")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Option(
            names = "--properties-file",
            paramLabel = "FILE",
            description =
                    "Kafka client settings as Java properties (security.protocol, sasl.mechanism,"
                            + " sasl.jaas.config, ...), as the job's kafka.properties.*;"
                            + " --consumer-property wins over the file.")
    Path propertiesFile;

    @Option(
            names = "--format",
            defaultValue = "avro",
            paramLabel = "FORMAT",
            description =
                    "Value format, as the job's kafka.format: avro (decoded by schema"
                            + " fingerprint) or json (printed as it is, one line per record)."
                            + " Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() {
        validate();
        RecordFormat recordFormat = KafkaClientSettings.format(format);
        Map<String, String> client =
                KafkaClientSettings.load("--properties-file", propertiesFile, consumerProperties);
        String topic = topicChoice.name();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaReachability.require(bootstrapServers, client, Duration.ofMillis(connectTimeoutMs));
        AvroRecordDecoder decoder = new AvroRecordDecoder();
        CountDownLatch done = new CountDownLatch(1);
        long printed = 0;
        long skipped = 0;
        LiveMetricsTable liveTable =
                table ? new LiveMetricsTable(out, System.console() != null) : null;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        consumerConfig(client),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            Thread stopOnCtrlC =
                    new Thread(
                            () -> {
                                consumer.wakeup();
                                awaitQuietly(done);
                            },
                            "streamctr-tail-shutdown");
            Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
            try {
                consumer.subscribe(List.of(topic));
                long lastRecordNanos = System.nanoTime();
                while (max == null || printed < max) {
                    boolean any = false;
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        if (max != null && printed >= max) {
                            break;
                        }
                        if (liveTable == null) {
                            out.println(
                                    recordFormat == RecordFormat.JSON
                                            ? jsonLine(record)
                                            : toJson(decoder, record));
                        } else {
                            MetricsReport report =
                                    recordFormat == RecordFormat.JSON
                                            ? JsonValues.metricsReport(record.value())
                                            : decoder.decode(record.value()).record()
                                                            instanceof MetricsReport r
                                                    ? r
                                                    : null;
                            if (report != null) {
                                liveTable.accept(report);
                            } else {
                                skipped++;
                            }
                        }
                        printed++;
                        any = true;
                    }
                    out.flush();
                    long now = System.nanoTime();
                    if (any) {
                        lastRecordNanos = now;
                    } else if (timeoutMs != null
                            && now - lastRecordNanos >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                        break;
                    }
                }
            } catch (WakeupException e) {
                // Ctrl-C: leave the loop and close the consumer
            } finally {
                removeQuietly(stopOnCtrlC);
            }
        } finally {
            out.flush();
            done.countDown();
        }
        err.printf(
                "tail: %,d records from %s%s%n",
                printed,
                topic,
                skipped == 0
                        ? ""
                        : String.format(
                                ", %,d not metrics reports (skipped in the table)", skipped));
        return 0;
    }

    private void validate() {
        if (max != null && max < 0) {
            throw new ParameterException(spec.commandLine(), "--max must be >= 0, got " + max);
        }
        if (connectTimeoutMs < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--connect-timeout-ms must be >= 1, got " + connectTimeoutMs);
        }
        if (timeoutMs != null && timeoutMs < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--timeout-ms must be >= 0, got " + timeoutMs);
        }
        if (table && (topicChoice.predictions || topicChoice.deadLetter)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--table shows metrics reports: use it with --metrics or --topic");
        }
        KafkaClientSettings.format(format);
        if (topicChoice.topic != null && topicChoice.topic.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--topic must not be blank");
        }
    }

    private static String jsonLine(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JsonValues.line(record.value());
        } catch (IllegalArgumentException e) {
            return JsonLines.error(
                    e.getMessage(), record.topic(), record.partition(), record.offset());
        }
    }

    private Map<String, Object> consumerConfig(Map<String, String> client) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "streamctr-tail-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamctr-tail");
        config.putAll(client);
        return config;
    }

    private static String toJson(AvroRecordDecoder decoder, ConsumerRecord<byte[], byte[]> record) {
        AvroRecordDecoder.Result result = decoder.decode(record.value());
        return result.ok()
                ? result.record().toString()
                : JsonLines.error(
                        result.error(), record.topic(), record.partition(), record.offset());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and running the hook
        }
    }
}
