package io.streamctr.cli.replay;

import io.streamctr.datasets.EventStream;
import io.streamctr.flink.format.AvroJson;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.schemas.ClickEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays click events into a Kafka topic in the order given, at a chosen rate or speed-up on the
 * events' own timestamps, from a list or from a {@link EventStream} read as it goes: the work
 * behind {@code streamctr replay}, usable from plain Java (the demo, tests).
 *
 * <p>Each event is one record: key = user id (UTF-8), so all of a user's events land in one
 * partition and stay in order; value = the event in Avro single-object encoding, or JSON with
 * {@link Builder#format}. The producer is idempotent with {@code acks=all}, so retries neither
 * duplicate nor reorder. A delivery failure is counted and the first one's message kept for the
 * {@link ReplaySummary}; the replay goes on.
 */
public final class Replayer {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final double eventsPerSecond;
    private final double speedup;
    private final long skip;
    private final long limit;
    private final Map<String, String> producerProperties;
    private final RecordFormat format;
    private final ReplayProgress progress;
    private final Pacer.Clock clock;

    private Replayer(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.topic = b.topic;
        this.eventsPerSecond = b.eventsPerSecond;
        this.speedup = b.speedup;
        this.skip = b.skip;
        this.limit = b.limit;
        this.producerProperties = Map.copyOf(b.producerProperties);
        this.format = b.format;
        this.progress = b.progress;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code events} in order, then flushes and closes the producer.
     *
     * @throws IllegalStateException if the topic's metadata cannot be fetched (broker unreachable,
     *     topic missing and not auto-created) before any event is sent
     */
    public ReplaySummary replay(List<ClickEvent> events) {
        return replay(EventStream.of(events));
    }

    /**
     * Sends the events of {@code events} as they are read (skipping the first {@code skip}, at most
     * {@code limit}), then flushes and closes the producer; the stream is left open for the caller
     * to close. A stream that stops on too many bad lines ends the replay early: the summary says
     * so in {@link ReplaySummary#stoppedBy()}.
     *
     * @throws IllegalStateException if the topic's metadata cannot be fetched (broker unreachable,
     *     topic missing and not auto-created) before any event is sent
     */
    public ReplaySummary replay(EventStream events) {
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        Callback callback =
                (metadata, exception) -> {
                    if (exception == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, exception.toString());
                    }
                };
        Pacer pacer =
                speedup > 0
                        ? new EventTimePacer(speedup, clock)
                        : eventsPerSecond > 0
                                ? new RateLimiter(eventsPerSecond, clock)
                                : Pacer.unpaced();
        long start = System.nanoTime();
        boolean interrupted = false;
        long skipped = 0;
        String stoppedBy = null;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            awaitTopicMetadata(producer);
            long attempted = 0;
            try {
                while (skipped < skip && events.hasNext()) {
                    events.next();
                    skipped++;
                }
                while (attempted < limit && events.hasNext()) {
                    ClickEvent event = events.next();
                    try {
                        pacer.await(event);
                    } catch (InterruptedException e) {
                        interrupted = true;
                        stoppedBy = "interrupted";
                        break;
                    }
                    try {
                        producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        event.getUserId().getBytes(StandardCharsets.UTF_8),
                                        encode(event)),
                                callback);
                    } catch (KafkaException | IOException e) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    progress.update(++attempted, expectedTotal(events, skipped), failed.get());
                }
            } catch (IllegalArgumentException e) {
                stoppedBy = e.getMessage();
            }
            producer.flush();
            producer.close(CLOSE_TIMEOUT);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        long wallMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        ReplaySummary summary =
                new ReplaySummary(
                        acked.get(),
                        failed.get(),
                        skipped,
                        events.badLines().count(),
                        events.badLines().samples(),
                        wallMillis,
                        acked.get() * 1000.0 / wallMillis,
                        firstError.get(),
                        stoppedBy);
        progress.finish(summary);
        return summary;
    }

    /** The events this replay will send, exact or estimated; -1 while unknown. */
    private long expectedTotal(EventStream events, long skipped) {
        long total = events.expectedTotal();
        if (total < 0) {
            return limit == Long.MAX_VALUE ? -1 : limit;
        }
        return Math.min(Math.max(0, total - skipped), limit);
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // a replay is a bulk load: large batches keep one partition's few in-flight requests full
        config.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "streamctr-replay");
        config.putAll(producerProperties);
        return config;
    }

    private void awaitTopicMetadata(KafkaProducer<byte[], byte[]> producer) {
        try {
            producer.partitionsFor(topic);
        } catch (KafkaException e) {
            throw new IllegalStateException(
                    "cannot get metadata of topic "
                            + topic
                            + " from "
                            + bootstrapServers
                            + " (is Kafka running and the topic there?): "
                            + e.getMessage(),
                    e);
        }
    }

    private byte[] encode(ClickEvent event) throws IOException {
        if (format == RecordFormat.JSON) {
            return AvroJson.toBytes(event);
        }
        ByteBuffer buffer = event.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Settings of a {@link Replayer}; {@link #build()} checks them. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic;
        private double eventsPerSecond;
        private double speedup;
        private long skip;
        private long limit = Long.MAX_VALUE;
        private final Map<String, String> producerProperties = new HashMap<>();
        private RecordFormat format = RecordFormat.AVRO;
        private ReplayProgress progress = ReplayProgress.none();
        private Pacer.Clock clock = Pacer.Clock.system();

        private Builder() {}

        /** Required: {@code host:port[,host:port...]}. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** Required: the topic to write to. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Events per second; 0 (the default) sends as fast as the producer takes them. */
        public Builder eventsPerSecond(double eventsPerSecond) {
            this.eventsPerSecond = eventsPerSecond;
            return this;
        }

        /**
         * Replays on the data's timestamps, this many times faster than they happened; 0 (default)
         * = off.
         */
        public Builder speedup(double speedup) {
            this.speedup = speedup;
            return this;
        }

        /** Events to pass over (counted as skipped) before the first one sent; 0 by default. */
        public Builder skip(long skip) {
            this.skip = skip;
            return this;
        }

        /** At most this many events are sent; all by default. */
        public Builder limit(long limit) {
            this.limit = limit;
            return this;
        }

        /** The clock pacing uses; a simulated one in tests. */
        Builder clock(Pacer.Clock clock) {
            this.clock = clock;
            return this;
        }

        /** A producer setting, applied over the replayer's defaults (serializers excepted). */
        public Builder producerProperty(String key, String value) {
            producerProperties.put(key, value);
            return this;
        }

        /** Several producer settings at once; see {@link #producerProperty}. */
        public Builder producerProperties(Map<String, String> properties) {
            producerProperties.putAll(properties);
            return this;
        }

        /** The value format: Avro single-object encoding (the default) or JSON. */
        public Builder format(RecordFormat format) {
            this.format = format;
            return this;
        }

        /** Where progress goes; none by default. */
        public Builder progress(ReplayProgress progress) {
            this.progress = progress;
            return this;
        }

        public Replayer build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException(
                        "bootstrap servers are required, got '" + bootstrapServers + "'");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("a topic is required, got '" + topic + "'");
            }
            if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
                throw new IllegalArgumentException(
                        "events per second must be >= 0 and finite, got " + eventsPerSecond);
            }
            if (!(speedup >= 0) || Double.isInfinite(speedup)) {
                throw new IllegalArgumentException(
                        "speed-up must be >= 0 and finite, got " + speedup);
            }
            if (speedup > 0 && eventsPerSecond > 0) {
                throw new IllegalArgumentException(
                        "choose a rate ("
                                + eventsPerSecond
                                + " events/s) or a speed-up ("
                                + speedup
                                + "x), not both");
            }
            if (skip < 0 || limit < 0) {
                throw new IllegalArgumentException(
                        "skip and limit must be >= 0, got " + skip + " and " + limit);
            }
            if (format == null) {
                throw new IllegalArgumentException("format must not be null");
            }
            if (progress == null) {
                throw new IllegalArgumentException(
                        "progress must not be null; use ReplayProgress.none()");
            }
            return new Replayer(this);
        }
    }
}
