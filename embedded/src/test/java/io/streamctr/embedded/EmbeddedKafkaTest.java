package io.streamctr.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void producesAndConsumesThroughTheEmbeddedBrokerAndStopsCleanly() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("greetings", 3);
            kafka.createTopic("greetings", 3); // already there: left as it is

            RecordMetadata sent;
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    kafka.bootstrapServers(),
                                    ProducerConfig.ACKS_CONFIG,
                                    "all"),
                            new StringSerializer(),
                            new StringSerializer())) {
                sent = producer.send(new ProducerRecord<>("greetings", "user-1", "hello")).get();
            }
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                            kafka.bootstrapServers(),
                                    ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-test",
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                            new StringDeserializer(),
                            new StringDeserializer())) {
                consumer.subscribe(List.of("greetings"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                }
            }

            assertThat(received).hasSize(1);
            assertThat(received.get(0).key()).isEqualTo("user-1");
            assertThat(received.get(0).value()).isEqualTo("hello");
            assertThat(received.get(0).partition()).isEqualTo(sent.partition());
            assertThatThrownBy(() -> kafka.createTopic("greetings", 5))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("3 partitions");
        }

        assertThat(awaitNoNewNonDaemonThreads(before))
                .as("non-daemon threads left after close")
                .isEmpty();
    }

    @Test
    void refusesUseAfterClose() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        kafka.close();
        kafka.close();

        assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class);
    }

    private static Set<Thread> awaitNoNewNonDaemonThreads(Set<Thread> before)
            throws InterruptedException {
        Set<Thread> left = Set.of();
        for (int i = 0; i < 100; i++) {
            left = liveNonDaemonThreads();
            left.removeAll(before);
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return left;
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }
}
