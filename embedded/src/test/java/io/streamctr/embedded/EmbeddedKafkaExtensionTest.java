package io.streamctr.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension in a static field (this class's {@link #KAFKA}), and its lifecycle driven by hand
 * as JUnit drives it for a static field (all four callbacks) and for an instance field (per test).
 */
class EmbeddedKafkaExtensionTest {

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void createsTopicsWithTheirPartitionsOnTheClassBroker() throws Exception {
        KAFKA.createTopics(List.of("ext.a", "ext.b"), 2);

        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KAFKA.bootstrapServers()))) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(List.of("ext.a", "ext.b")).allTopicNames().get();
            assertThat(topics.values())
                    .extracting(d -> d.partitions().size())
                    .containsExactly(2, 2);
        }
    }

    @Test
    void inAStaticFieldOneBrokerServesEveryTestUntilAfterAll() {
        EmbeddedKafkaExtension extension = new EmbeddedKafkaExtension();
        extension.beforeAll(null);
        EmbeddedKafka broker = extension.broker();

        extension.beforeEach(null);
        extension.afterEach(null);
        extension.beforeEach(null);
        extension.createTopic("ext.still-open", 1);
        extension.afterEach(null);
        assertThat(extension.broker()).isSameAs(broker);

        extension.afterAll(null);
        assertThatThrownBy(broker::bootstrapServers).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(extension::bootstrapServers).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inAnInstanceFieldEachTestGetsAFreshBroker() {
        EmbeddedKafkaExtension extension = new EmbeddedKafkaExtension();

        extension.beforeEach(null);
        EmbeddedKafka first = extension.broker();
        extension.afterEach(null);
        extension.beforeEach(null);
        EmbeddedKafka second = extension.broker();
        extension.afterEach(null);

        assertThat(second).isNotSameAs(first);
        assertThatThrownBy(first::bootstrapServers).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(second::bootstrapServers).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void saysHowToRegisterItWhenUsedOutsideATest() {
        assertThatThrownBy(() -> new EmbeddedKafkaExtension().createTopic("t", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
    }
}
