package io.streamctr.flink;

import io.streamctr.schemas.ClickEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for the end-to-end tests: produce events, read a whole topic back. */
public final class KafkaTestIO {

    private KafkaTestIO() {}

    public static void produce(String bootstrap, String topic, List<ClickEvent> events)
            throws Exception {
        produce(bootstrap, Map.of(), topic, events);
    }

    /** Sends the events with these extra client settings (a SASL login, ...). */
    public static void produce(
            String bootstrap, Map<String, String> client, String topic, List<ClickEvent> events)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, client)) {
            for (ClickEvent e : events) {
                ByteBuffer value = e.toByteBuffer();
                byte[] bytes = new byte[value.remaining()];
                value.get(bytes);
                producer.send(
                        new ProducerRecord<>(
                                topic, e.getUserId().getBytes(StandardCharsets.UTF_8), bytes));
            }
            producer.flush();
        }
    }

    public static void produceRaw(String bootstrap, String topic, byte[] key, byte[] value)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /**
     * Sends the {key, value} pairs in order (either may be null; values up to 16 MiB); fails if any
     * send failed.
     */
    public static void produceRaw(String bootstrap, String topic, List<byte[][]> records)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (byte[][] r : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, r[0], r[1])));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
    }

    /** Every committed record of the topic, decoded, in partition order. */
    public static <T> List<T> readAll(
            String bootstrap, String topic, BinaryMessageDecoder<T> decoder) throws Exception {
        return readAll(bootstrap, Map.of(), topic, decoder);
    }

    /** Every committed record of the topic, decoded, read with these extra client settings. */
    public static <T> List<T> readAll(
            String bootstrap,
            Map<String, String> client,
            String topic,
            BinaryMessageDecoder<T> decoder)
            throws Exception {
        List<T> out = new ArrayList<>();
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(decoder.decode(r.value()));
                }
            }
        }
        return out;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return producer(bootstrap, Map.of());
    }

    private static KafkaProducer<byte[], byte[]> producer(
            String bootstrap, Map<String, String> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 * 1024 * 1024 + 1024));
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
