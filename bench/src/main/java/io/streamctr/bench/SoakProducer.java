package io.streamctr.bench;

import io.streamctr.schemas.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The job soak's load: replays the events into a topic in a loop, pass after pass, as fast as the
 * job keeps up. At most {@code maxLag} events are produced ahead of what the job has consumed
 * ({@code consumed}), so the rate settles at the job's highest sustainable rate and the backlog
 * stays bounded however long the soak runs. Each pass gets unique event ids ({@code #s<pass>}) and
 * wall-clock event times (shifting the data set's own times pass after pass would run into the
 * future, which the job rejects), so every user's events stay in time order across passes.
 */
final class SoakProducer implements AutoCloseable {

    private final List<ClickEvent> events;
    private final String topic;
    private final long maxLag;
    private final LongSupplier consumed;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    SoakProducer(
            String bootstrap,
            String topic,
            List<ClickEvent> events,
            long maxLag,
            LongSupplier consumed) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events to replay");
        }
        if (maxLag <= 0) {
            throw new IllegalArgumentException("max lag must be > 0, got " + maxLag);
        }
        this.events = events;
        this.topic = topic;
        this.maxLag = maxLag;
        this.consumed = consumed;
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                                ProducerConfig.ACKS_CONFIG, "all",
                                ProducerConfig.LINGER_MS_CONFIG, "5",
                                ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024),
                                ProducerConfig.CLIENT_ID_CONFIG, "streamctr-soak-load"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
        this.thread = new Thread(this::loop, "streamctr-soak-producer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Events sent so far. */
    long produced() {
        return produced.get();
    }

    /** Passes over the data finished so far. */
    long passes() {
        return passes.get();
    }

    /** The first send failure, or null. */
    Exception failure() {
        return failure.get();
    }

    private void loop() {
        try {
            for (long pass = 0; running; pass++) {
                for (ClickEvent base : events) {
                    while (running && produced.get() - consumed.getAsLong() >= maxLag) {
                        Thread.sleep(5);
                    }
                    if (!running) {
                        return;
                    }
                    ClickEvent e =
                            ClickEvent.newBuilder(base)
                                    .setEventId(base.getEventId() + "#s" + pass)
                                    .setEventTime(System.currentTimeMillis())
                                    .build();
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    e.getUserId().getBytes(StandardCharsets.UTF_8),
                                    BenchKafka.bytes(e)),
                            (metadata, exception) -> {
                                if (exception != null) {
                                    failure.compareAndSet(null, exception);
                                }
                            });
                    produced.incrementAndGet();
                }
                passes.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Stops sending and closes the producer. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
