package io.streamctr.cli.demo;

import io.streamctr.schemas.MetricsReport;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the metrics topic while a job runs (read_committed: reports appear as checkpoints commit
 * them) and shows one live progress line with each model's latest figures.
 */
final class MetricsFollower implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PrintWriter out;
    private final boolean terminal;
    private final long totalEvents;
    private final Map<String, MetricsReport> latest = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    MetricsFollower(
            String bootstrap, String topic, PrintWriter out, boolean terminal, long totalEvents) {
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                        "streamctr-demo-" + UUID.randomUUID(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(topic));
        this.out = out;
        this.terminal = terminal;
        this.totalEvents = totalEvents;
        this.thread = new Thread(this::run, "metrics-follower");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                boolean changed = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        MetricsReport report =
                                MetricsReport.getDecoder().decode(ByteBuffer.wrap(r.value()));
                        synchronized (latest) {
                            latest.put(report.getModelName(), report);
                        }
                        changed = true;
                    } catch (Exception e) {
                        out.println(
                                "\nmetrics topic holds an undecodable record at offset "
                                        + r.offset()
                                        + ": "
                                        + e.getMessage());
                    }
                }
                if (changed) {
                    show();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void show() {
        StringBuilder line = new StringBuilder();
        synchronized (latest) {
            for (MetricsReport r : latest.values()) {
                if (line.length() > 0) {
                    line.append(" | ");
                }
                line.append(
                        String.format(
                                "%s: %,d/%,d events, AUC %s, NE %s, window AUC %s, %s ev/s",
                                r.getModelName(),
                                r.getPredictions(),
                                totalEvents,
                                ResultsTable.fmt(r.getLifetimeAuc()),
                                ResultsTable.fmt(r.getLifetimeNe()),
                                ResultsTable.fmt(r.getWindowAuc()),
                                r.getEventsPerSecond() == null
                                        ? "-"
                                        : String.format("%,.0f", r.getEventsPerSecond())));
            }
        }
        if (terminal) {
            out.print("\r\033[K" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
        if (terminal) {
            out.println();
            out.flush();
        }
    }
}
