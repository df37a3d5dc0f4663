package io.streamctr.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The in-process broker with a SASL/PLAIN client listener: the right login works, others fail. */
class EmbeddedKafkaSaslTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA =
            EmbeddedKafkaExtension.withSaslPlain(Map.of("alice", "alice-secret"));

    private static KafkaProducer<String, String> producer(Map<String, String> login) {
        return producer(login, 20_000);
    }

    private static KafkaProducer<String, String> producer(
            Map<String, String> login, long maxBlockMs) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxBlockMs));
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @Test
    void acceptsAKnownUser() throws Exception {
        KAFKA.createTopic("sasl.greetings", 1);

        try (KafkaProducer<String, String> producer =
                producer(EmbeddedKafka.saslPlainClientProperties("alice", "alice-secret"))) {
            assertThat(
                            producer.send(new ProducerRecord<>("sasl.greetings", "k", "v"))
                                    .get()
                                    .offset())
                    .isZero();
        }
    }

    @Test
    void refusesAWrongPasswordQuickly() {
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer =
                producer(EmbeddedKafka.saslPlainClientProperties("alice", "wrong"))) {
            assertThatThrownBy(() -> producer.partitionsFor("sasl.greetings"))
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Authentication failed");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void refusesAClientWithoutSasl() {
        // a plaintext client gets no answer it understands: it times out, it is not let in
        try (KafkaProducer<String, String> producer = producer(Map.of(), 2_000)) {
            assertThatThrownBy(() -> producer.partitionsFor("sasl.greetings"))
                    .isInstanceOf(KafkaException.class);
        }
    }

    @Test
    void refusesNoUsers() {
        assertThatThrownBy(() -> EmbeddedKafka.startWithSaslPlain(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one user");
    }
}
