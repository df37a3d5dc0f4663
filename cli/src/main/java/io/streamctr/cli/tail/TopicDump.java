package io.streamctr.cli.tail;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic (committed records) once, writing each record as a JSON line to a file. */
public final class TopicDump {

    private TopicDump() {}

    /** Writes every committed record of the topic to {@code file}; returns how many. */
    public static long toJsonLines(
            String bootstrap, String topic, Path file, Consumer<Object> onRecord)
            throws IOException {
        AvroRecordDecoder decoder = new AvroRecordDecoder();
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(
                                Map.of(
                                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                                new ByteArrayDeserializer(),
                                new ByteArrayDeserializer());
                BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    AvroRecordDecoder.Result result = decoder.decode(r.value());
                    if (result.ok()) {
                        out.write(result.record().toString());
                        onRecord.accept(result.record());
                    } else {
                        out.write(
                                JsonLines.error(
                                        result.error(), r.topic(), r.partition(), r.offset()));
                    }
                    out.newLine();
                    n++;
                }
            }
        }
        return n;
    }
}
