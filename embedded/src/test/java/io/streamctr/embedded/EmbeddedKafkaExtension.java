package io.streamctr.embedded;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An {@link EmbeddedKafka} broker for a JUnit 5 test class, started and closed by JUnit:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * }</pre>
 *
 * <p>In a static field, one broker serves the whole class: started before its first test, closed
 * after its last. In an instance field, each test method gets a fresh broker, closed after it
 * (JUnit calls only the per-test callbacks of an extension in an instance field). Tests that share
 * a broker keep out of each other's way with their own topics or topic prefixes.
 */
public final class EmbeddedKafkaExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Map<String, String> saslUsers;
    private EmbeddedKafka kafka;
    private boolean perMethod;

    /** A plain broker. */
    public EmbeddedKafkaExtension() {
        this(null);
    }

    private EmbeddedKafkaExtension(Map<String, String> saslUsers) {
        this.saslUsers = saslUsers;
    }

    /**
     * A broker whose client listener requires SASL/PLAIN with these users (name → password); see
     * {@link EmbeddedKafka#startWithSaslPlain}.
     */
    public static EmbeddedKafkaExtension withSaslPlain(Map<String, String> users) {
        return new EmbeddedKafkaExtension(Map.copyOf(users));
    }

    private EmbeddedKafka startBroker() {
        return saslUsers == null
                ? EmbeddedKafka.start()
                : EmbeddedKafka.startWithSaslPlain(saslUsers);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = startBroker();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (kafka == null) {
            kafka = startBroker();
            perMethod = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perMethod) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** {@code host:port} of the broker's client listener. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /**
     * Creates the topic (replication factor 1) and waits for its leaders; see {@link
     * EmbeddedKafka#createTopic}.
     */
    public void createTopic(String name, int partitions) {
        broker().createTopic(name, partitions);
    }

    /** Creates each topic with {@code partitions} partitions. */
    public void createTopics(List<String> names, int partitions) {
        names.forEach(name -> createTopic(name, partitions));
    }

    /** The running broker. */
    public EmbeddedKafka broker() {
        if (kafka == null) {
            throw new IllegalStateException(
                    "the embedded Kafka is not running: register EmbeddedKafkaExtension with"
                            + " @RegisterExtension and use it inside a test");
        }
        return kafka;
    }

    private void stop() {
        EmbeddedKafka running = kafka;
        kafka = null;
        if (running != null) {
            running.close();
        }
    }
}
