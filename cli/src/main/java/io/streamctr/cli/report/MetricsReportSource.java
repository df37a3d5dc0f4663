package io.streamctr.cli.report;

import io.streamctr.cli.tail.AvroRecordDecoder;
import io.streamctr.schemas.MetricsReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the {@code report} command gets its {@link MetricsReport}s: a JSON-lines dump or the
 * metrics topic.
 */
public final class MetricsReportSource {

    /**
     * The reports read, in order, and how many records were not reports (undecodable or another
     * type).
     */
    public record Reports(List<MetricsReport> reports, long skipped) {}

    private MetricsReportSource() {}

    /**
     * Reads a JSON-lines dump as {@code tail --metrics} writes it; blank lines and error lines are
     * skipped and counted.
     *
     * @throws IllegalArgumentException naming the file and line that is not a report
     */
    public static Reports fromJsonLines(Path file) throws IOException {
        List<MetricsReport> reports = new ArrayList<>();
        long skipped = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                MetricsReport report;
                try {
                    report = JsonReports.parse(line);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            file + " line " + number + ": " + e.getMessage(), e);
                }
                if (report == null) {
                    skipped++;
                } else {
                    reports.add(report);
                }
            }
        }
        return new Reports(reports, skipped);
    }

    /**
     * Reads every committed record of the topic once, from the beginning to the end offsets taken
     * at the start (read_committed; no offsets committed).
     *
     * @param timeout how long to wait for the topic's metadata, and for progress while reading
     * @throws IllegalArgumentException when the topic does not exist
     */
    public static Reports fromTopic(
            String bootstrapServers,
            String topic,
            Map<String, String> consumerProperties,
            Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "streamctr-report-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamctr-report");
        config.putAll(consumerProperties);
        AvroRecordDecoder decoder = new AvroRecordDecoder();
        List<MetricsReport> reports = new ArrayList<>();
        long skipped = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException(
                        "Expected the topic "
                                + topic
                                + " at "
                                + bootstrapServers
                                + ", it does not exist");
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastPosition = -1;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                long position = partitions.stream().mapToLong(consumer::position).sum();
                if (position != lastPosition) {
                    lastPosition = position;
                    deadline = System.nanoTime() + timeout.toNanos();
                } else if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Reading "
                                    + topic
                                    + " made no progress for "
                                    + timeout
                                    + " at offsets "
                                    + position
                                    + " of "
                                    + end.values().stream().mapToLong(Long::longValue).sum());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    AvroRecordDecoder.Result result = decoder.decode(r.value());
                    if (result.ok() && result.record() instanceof MetricsReport report) {
                        reports.add(report);
                    } else {
                        skipped++;
                    }
                }
            }
        }
        return new Reports(reports, skipped);
    }
}
