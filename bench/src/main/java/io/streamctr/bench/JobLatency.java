package io.streamctr.bench;

import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.learn.LearnerOperator;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Prediction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Event → prediction latency of the whole job under a fixed load (issue 18, item 1): the job runs
 * unbounded on a MiniCluster while a {@link Pacer} feeds its topic at a set rate; every event's
 * Kafka timestamp is set by the producer when it sends (CreateTime) and is also its event time, so
 * each prediction carries it. Per prediction of an event sent in the measured window:
 *
 * <ul>
 *   <li><b>emitted</b>: the prediction record's Kafka timestamp (its topic stamps LogAppendTime:
 *       when the sink's write reached the broker, inside its transaction, before the commit) minus
 *       the event's;
 *   <li><b>scored</b>: {@code Prediction.processingTime} (taken when the batch is scored, before
 *       the update) minus the event's.
 * </ul>
 *
 * A consumer reading read_committed sees a prediction only when its checkpoint commits (every
 * {@link LatencySettings#checkpointInterval()}); that wait is not part of these figures.
 */
final class JobLatency {

    /** Events sent before the job's first prediction may wait this long before the run fails. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    /** Events per second sent until the job's first prediction. */
    private static final double STARTUP_RATE = 50;

    /**
     * The pacer's bucket: this many seconds of events may go back to back after the sending thread
     * was held up. With 10 ms the load fell ~11 % short of the target on the shared 2-core machine
     * (the thread waits longer than that for a core now and then).
     */
    private static final double BURST_SECONDS = 0.1;

    /** After the load stops: at most this long for the job to score what was sent. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** One measured run. */
    record Run(
            double load,
            double targetRate,
            double sentRate,
            long batchTimeoutMs,
            long batchIdleTimeoutMs,
            long sentInWindow,
            LatencyStats emitted,
            LatencyStats scored) {
        /** Events sent in the window with no committed prediction. */
        long missing() {
            return sentInWindow - emitted.count();
        }
    }

    private final EmbeddedKafka kafka;
    private final String bootstrap;
    private final List<ClickEvent> events;
    private final String model;
    private final Consumer<String> progress;

    JobLatency(
            EmbeddedKafka kafka,
            String bootstrap,
            List<ClickEvent> events,
            String model,
            Consumer<String> progress) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events to send");
        }
        this.kafka = kafka;
        this.bootstrap = bootstrap;
        this.events = events;
        this.model = model;
        this.progress = progress;
    }

    /**
     * Runs the job with {@code conf} (its own topics; made unbounded here) at {@code load × peak}
     * events/s with the given batch timeout and idle timeout (0: none); returns the latency of the
     * events sent in the window.
     */
    Run measure(
            Configuration conf,
            double load,
            double peakRate,
            long batchTimeoutMs,
            long batchIdleTimeoutMs,
            LatencySettings settings)
            throws Exception {
        double rate = load * peakRate;
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("no rate to pace at: peak " + peakRate);
        }
        conf.set(JobOptions.BOUNDED, false);
        conf.set(JobOptions.BATCH_TIMEOUT, Duration.ofMillis(batchTimeoutMs));
        conf.set(JobOptions.BATCH_IDLE_TIMEOUT, Duration.ofMillis(batchIdleTimeoutMs));
        String input = conf.get(JobOptions.EVENTS_TOPIC);
        String predictions = conf.get(JobOptions.PREDICTIONS_TOPIC);
        kafka.createTopic(input, 1);
        BenchKafka.createLogAppendTimeTopic(bootstrap, predictions);
        kafka.createTopic(predictions, 1);
        kafka.createTopic(conf.get(JobOptions.METRICS_TOPIC), 1);
        kafka.createTopic(conf.get(JobOptions.DEAD_LETTER_TOPIC), 1);

        Path checkpoints = Files.createTempDirectory("streamctr-bench-latency-checkpoints");
        SoakMetrics.clear();
        Window window;
        try {
            Configuration flink =
                    LocalFlink.configuration(checkpoints, settings.checkpointInterval());
            flink.addAll(conf);
            SoakMetrics.configure(flink);
            if (settings.networkBufferTimeoutMs() >= 0) {
                flink.set(
                        ExecutionOptions.BUFFER_TIMEOUT,
                        Duration.ofMillis(settings.networkBufferTimeoutMs()));
            }
            StreamExecutionEnvironment env = LocalFlink.environment(flink);
            StreamCtrPipeline.build(env, conf);
            JobClient job = env.executeAsync("streamctr bench latency");
            try {
                window = load(job, input, rate, settings);
                drain(job, window.sent, settings.checkpointInterval().toMillis());
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } finally {
            Bench.deleteRecursively(checkpoints);
        }
        Samples emitted = new Samples();
        Samples scored = new Samples();
        BenchKafka.readAllTimed(
                bootstrap,
                predictions,
                (timestampMs, value) -> {
                    Prediction p = Prediction.getDecoder().decode(value);
                    long sentAt = p.getEventTime();
                    if (sentAt >= window.startMs && sentAt < window.endMs) {
                        emitted.add(timestampMs - sentAt);
                        scored.add(p.getProcessingTime() - sentAt);
                    }
                });
        if (emitted.size() == 0) {
            throw new IllegalStateException(
                    "no committed prediction for the " + window.inWindow + " events of the window");
        }
        double seconds = (window.endMs - window.startMs) / 1000.0;
        return new Run(
                load,
                rate,
                window.inWindow / seconds,
                batchTimeoutMs,
                batchIdleTimeoutMs,
                window.inWindow,
                LatencyStats.of(emitted.toArray()),
                LatencyStats.of(scored.toArray()));
    }

    /** The measured window (producer wall-clock ms) and what was sent. */
    private record Window(long startMs, long endMs, long inWindow, long sent) {}

    private Window load(JobClient job, String topic, double rate, LatencySettings settings)
            throws Exception {
        String predictionsMetric = ".model." + model + "." + LearnerOperator.METRIC_PREDICTIONS;
        long warmupMs = (long) (settings.warmupSeconds() * 1000);
        long measureMs = (long) (settings.seconds() * 1000);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long startedMs = System.currentTimeMillis();
        long firstPredictionMs = -1;
        long startMs = -1;
        long endMs = -1;
        long sent = 0;
        long inWindow = 0;
        long lastCheckMs = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            // a trickle until the job has scored its first batch, so no backlog from its start-up
            // is left for the warm-up to drain
            Pacer pacer = new Pacer(STARTUP_RATE, 1, System.nanoTime());
            for (long pass = 0; ; pass++) {
                for (ClickEvent base : events) {
                    pacer.acquire();
                    long now = System.currentTimeMillis();
                    if (startMs >= 0 && now >= endMs) {
                        producer.flush();
                        if (failure.get() != null) {
                            throw new IllegalStateException(
                                    "sending the load failed: " + failure.get(), failure.get());
                        }
                        return new Window(startMs, endMs, inWindow, sent);
                    }
                    if (now - lastCheckMs >= 50) {
                        lastCheckMs = now;
                        check(job, failure);
                        if (firstPredictionMs < 0
                                && SoakMetrics.sumEndingWith(predictionsMetric).orElse(0) > 0) {
                            firstPredictionMs = now;
                            pacer =
                                    new Pacer(
                                            rate,
                                            Math.max(1, rate * BURST_SECONDS),
                                            System.nanoTime());
                            progress.accept("first prediction; warm-up " + warmupMs + " ms");
                        }
                        if (firstPredictionMs < 0 && now - startedMs > STARTUP_TIMEOUT.toMillis()) {
                            throw new IllegalStateException(
                                    "no prediction within " + STARTUP_TIMEOUT + " of the start");
                        }
                        if (startMs < 0
                                && firstPredictionMs >= 0
                                && now - firstPredictionMs >= warmupMs) {
                            startMs = now;
                            endMs = now + measureMs;
                        }
                    }
                    ClickEvent e =
                            ClickEvent.newBuilder(base)
                                    .setEventId(base.getEventId() + "#l" + pass)
                                    .setEventTime(now)
                                    .build();
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    null,
                                    now,
                                    e.getUserId().getBytes(StandardCharsets.UTF_8),
                                    BenchKafka.bytes(e)),
                            (metadata, exception) -> {
                                if (exception != null) {
                                    failure.compareAndSet(null, exception);
                                }
                            });
                    sent++;
                    if (startMs >= 0) {
                        inWindow++;
                    }
                }
            }
        }
    }

    /** Waits until the job scored everything sent, then for two more checkpoints to commit. */
    private void drain(JobClient job, long sent, long checkpointIntervalMs) throws Exception {
        String predictionsMetric = ".model." + model + "." + LearnerOperator.METRIC_PREDICTIONS;
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (SoakMetrics.sumEndingWith(predictionsMetric).orElse(0) < sent
                && System.nanoTime() < deadline) {
            check(job, new AtomicReference<>());
            Thread.sleep(100);
        }
        Thread.sleep(2 * checkpointIntervalMs + 1_000);
    }

    private static void check(JobClient job, AtomicReference<Exception> failure) throws Exception {
        if (failure.get() != null) {
            throw new IllegalStateException("sending the load failed: " + failure.get());
        }
        if (job.getJobStatus().get().isTerminalState()) {
            throw new IllegalStateException("the job stopped: " + job.getJobStatus().get());
        }
    }

    /** As the replay command sends, but with no linger: each event goes when the pacer lets it. */
    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.LINGER_MS_CONFIG, "0",
                        ProducerConfig.CLIENT_ID_CONFIG, "streamctr-bench-latency-load"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** A growable array of longs. */
    private static final class Samples {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
