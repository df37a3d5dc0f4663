package io.streamctr.bench;

import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The benchmark's Kafka chores: filling the input topics and reading the outputs' timing back. */
public final class BenchKafka {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    private BenchKafka() {}

    /**
     * Sends {@code passes} passes over the events ({@link BenchEvents#inPass}) to the topic, keyed
     * by user id, Avro single-object encoded, as the replay command does (idempotent producer,
     * acks=all); returns the number of records acknowledged.
     *
     * @throws IllegalStateException if any send failed
     */
    public static long produce(
            String bootstrap,
            String topic,
            List<ClickEvent> events,
            int passes,
            LongConsumer progress) {
        BenchEvents.PassClock clock =
                BenchEvents.PassClock.of(events, passes, System.currentTimeMillis());
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback =
                (metadata, exception) -> {
                    if (exception == null) {
                        acked.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, exception);
                    }
                };
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                                ProducerConfig.ACKS_CONFIG, "all",
                                ProducerConfig.LINGER_MS_CONFIG, "5",
                                ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024),
                                ProducerConfig.CLIENT_ID_CONFIG, "streamctr-bench-load"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            long sent = 0;
            for (int pass = 0; pass < passes; pass++) {
                for (ClickEvent base : events) {
                    ClickEvent e = BenchEvents.inPass(base, pass, clock);
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    e.getUserId().getBytes(StandardCharsets.UTF_8),
                                    bytes(e)),
                            callback);
                    if (++sent % 100_000 == 0 && progress != null) {
                        progress.accept(sent);
                    }
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "filling " + topic + " failed: " + failure.get(), failure.get());
        }
        return acked.get();
    }

    /**
     * Starts the in-process broker with System.out sent to {@code err} meanwhile: Kafka's formatter
     * prints there, and a benchmark's stdout holds its table.
     */
    static EmbeddedKafka startBroker(PrintStream err) {
        PrintStream stdout = System.out;
        System.setOut(err);
        try {
            return EmbeddedKafka.start();
        } finally {
            System.setOut(stdout);
        }
    }

    /** The event's Avro single-object encoding, as the replay command sends it. */
    static byte[] bytes(ClickEvent e) {
        try {
            ByteBuffer buffer = e.toByteBuffer();
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Creates a one-partition topic whose records are stamped by the broker when it appends them
     * ({@code message.timestamp.type=LogAppendTime}), so their timestamps say when the output
     * reached Kafka, whatever timestamp the writer carried over from its input. Leaves an existing
     * topic as it is.
     */
    public static void createLogAppendTimeTopic(String bootstrap, String topic) {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(topic, 1, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            TopicConfig
                                                                    .MESSAGE_TIMESTAMP_TYPE_CONFIG,
                                                            "LogAppendTime"))))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topic " + topic + ": " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
    }

    /**
     * Kafka record timestamps of an output topic: the first and the last record's; the mean value
     * size of the last records; the offsets the topic spans (its records plus one transaction
     * marker per committed checkpoint).
     */
    public record Span(long firstMs, long lastMs, double tailValueBytes, long offsets) {
        public long millis() {
            return lastMs - firstMs;
        }
    }

    /**
     * The smallest timestamp among each partition's first committed record and the largest among
     * each partition's last ones (read_committed). On a {@link #createLogAppendTimeTopic} topic
     * that is when the broker appended the record (the sink sends during its transaction, before
     * the commit). Reads only the ends of the topic.
     */
    public static Span firstAndLastTimestamps(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long tailBytes = 0;
            long tailRecords = 0;
            long offsets = 0;
            for (TopicPartition tp : partitions) {
                offsets += end.get(tp) - begin.get(tp);
                if (end.get(tp) <= begin.get(tp)) {
                    continue;
                }
                consumer.assign(List.of(tp));
                consumer.seek(tp, begin.get(tp));
                ConsumerRecord<byte[], byte[]> head = pollOne(consumer, topic);
                first = Math.min(first, head.timestamp());
                // the last data record lies before the final commit marker(s); read the tail
                consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - 2_000));
                long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
                while (consumer.position(tp) < end.get(tp) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                        last = Math.max(last, r.timestamp());
                        tailBytes += r.serializedValueSize();
                        tailRecords++;
                    }
                }
            }
            if (first == Long.MAX_VALUE || last == Long.MIN_VALUE) {
                throw new IllegalStateException("topic " + topic + " has no committed records");
            }
            return new Span(
                    first,
                    last,
                    tailRecords == 0 ? Double.NaN : (double) tailBytes / tailRecords,
                    offsets);
        }
    }

    /**
     * What the predictions topic holds: count, distinct event ids, and the processing-time span.
     */
    public record PredictionStats(
            long count,
            long distinctEvents,
            long firstProcessingMs,
            long lastProcessingMs,
            long inFirstBatch) {
        /**
         * Predictions per second from the first batch's scores to the last's (the first batch's
         * rows excluded).
         */
        public double eventsPerSecond() {
            long ms = lastProcessingMs - firstProcessingMs;
            return ms <= 0 ? 0 : (count - inFirstBatch) * 1000.0 / ms;
        }
    }

    /** Reads every committed prediction of the topic. */
    public static PredictionStats predictions(String bootstrap, String topic) {
        List<Long> times = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        readAll(
                bootstrap,
                topic,
                value -> {
                    Prediction p = Prediction.getDecoder().decode(value);
                    times.add(p.getProcessingTime());
                    ids.add(p.getEventId());
                });
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long t : times) {
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        long inFirst = 0;
        for (long t : times) {
            if (t == min) {
                inFirst++;
            }
        }
        return new PredictionStats(times.size(), ids.size(), min, max, inFirst);
    }

    /** The last final metrics report of the topic, or null. */
    public static MetricsReport finalReport(String bootstrap, String topic) {
        AtomicReference<MetricsReport> last = new AtomicReference<>();
        readAll(
                bootstrap,
                topic,
                value -> {
                    MetricsReport r = MetricsReport.getDecoder().decode(value);
                    if (r.getFinalReport()) {
                        last.set(r);
                    }
                });
        return last.get();
    }

    interface ValueHandler {
        void accept(byte[] value) throws IOException;
    }

    /** What {@link #readAllTimed} hands each record: its Kafka timestamp and value. */
    interface TimedValueHandler {
        void accept(long timestampMs, byte[] value) throws IOException;
    }

    private static void readAll(String bootstrap, String topic, ValueHandler handler) {
        readAllTimed(bootstrap, topic, (timestampMs, value) -> handler.accept(value));
    }

    /**
     * Reads every committed record of the topic (read_committed), from the beginning to its end.
     */
    static void readAllTimed(String bootstrap, String topic, TimedValueHandler handler) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "reading " + topic + " took more than " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    try {
                        handler.accept(r.timestamp(), r.value());
                    } catch (IOException e) {
                        throw new UncheckedIOException(
                                "undecodable record at "
                                        + r.topic()
                                        + "-"
                                        + r.partition()
                                        + "@"
                                        + r.offset(),
                                e);
                    }
                }
            }
        }
    }

    private static boolean caughtUp(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static ConsumerRecord<byte[], byte[]> pollOne(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                return r;
            }
        }
        throw new IllegalStateException("no record from " + topic + " within " + READ_TIMEOUT);
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo p : infos) {
            out.add(new TopicPartition(topic, p.partition()));
        }
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                        ConsumerConfig.CLIENT_ID_CONFIG, "streamctr-bench-reader"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
