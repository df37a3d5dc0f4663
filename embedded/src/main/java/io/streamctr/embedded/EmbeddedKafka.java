package io.streamctr.embedded;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in this JVM for the local demo and the end-to-end tests: one combined KRaft
 * node (broker + controller) started through Kafka's own test kit ({@link KafkaClusterTestKit}),
 * listening on a free localhost port, with its log directories in a temporary folder that is
 * deleted on {@link #close()}.
 *
 * <p>Configured for a single node: the offsets topic and the transaction state log have replication
 * factor 1 and min ISR 1, transactions may last up to 15 minutes (what Flink's exactly-once Kafka
 * sink asks for), and consumer groups rebalance without the initial delay. Topics are auto-created
 * on first use with one partition; {@link #createTopic} makes more.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    /** The broker settings that make one node enough; exposed for the README and tests. */
    public static final Map<String, String> BROKER_CONFIG =
            Map.of(
                    "offsets.topic.replication.factor", "1",
                    "offsets.topic.num.partitions", "1",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "transaction.state.log.num.partitions", "1",
                    "min.insync.replicas", "1",
                    "transaction.max.timeout.ms", "900000",
                    "group.initial.rebalance.delay.ms", "0");

    private static final String CLIENT_LISTENER = "EXTERNAL";
    private static final String JAAS_PROPERTY = "java.security.auth.login.config";

    /** The broker's own login (inter-broker and this class's admin client) on a SASL listener. */
    private static final String BROKER_USER = "streamctr-broker";

    private static final String BROKER_PASSWORD = java.util.UUID.randomUUID().toString();

    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Admin admin) {
        this.cluster = cluster;
        this.admin = admin;
    }

    /**
     * Formats and starts the node and waits until the broker is ready.
     *
     * @throws IllegalStateException if it cannot start; whatever was started is stopped first
     */
    public static EmbeddedKafka start() {
        return start(null);
    }

    /**
     * Like {@link #start()}, with a client listener that requires SASL/PLAIN authentication over
     * plain TCP ({@code SASL_PLAINTEXT}) and knows these users (name → password); no authorizer, so
     * every authenticated user may do everything. The controller listener stays {@code PLAINTEXT}.
     * Clients connect with {@link #saslPlainClientProperties}.
     *
     * @throws IllegalArgumentException for no users or a name or password with a quote
     */
    public static EmbeddedKafka startWithSaslPlain(Map<String, String> users) {
        if (users == null || users.isEmpty()) {
            throw new IllegalArgumentException("SASL/PLAIN needs at least one user, got " + users);
        }
        users.forEach(
                (name, password) -> {
                    if (name.contains("\"") || password.contains("\"")) {
                        throw new IllegalArgumentException(
                                "user names and passwords must not contain quotes, got " + name);
                    }
                });
        return start(users);
    }

    /**
     * The client settings of a SASL/PLAIN login as {@code user} with {@code password} (the {@code
     * kafka.properties.*} of the job, a properties file of the CLI).
     */
    public static Map<String, String> saslPlainClientProperties(String user, String password) {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", jaas(user, password, Map.of()));
    }

    private static EmbeddedKafka start(Map<String, String> saslUsers) {
        long startNanos = System.nanoTime();
        KafkaClusterTestKit cluster = null;
        Admin admin = null;
        try {
            boolean sasl = saslUsers != null;
            TestKitNodes nodes =
                    new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBrokerListenerName(new ListenerName(CLIENT_LISTENER))
                            .setBrokerSecurityProtocol(
                                    sasl
                                            ? SecurityProtocol.SASL_PLAINTEXT
                                            : SecurityProtocol.PLAINTEXT)
                            .build();
            KafkaClusterTestKit.Builder builder =
                    new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            BROKER_CONFIG.forEach(builder::setConfigProp);
            Map<String, Object> adminConfig = new HashMap<>();
            if (sasl) {
                Map<String, String> users = new HashMap<>(saslUsers);
                users.put(BROKER_USER, BROKER_PASSWORD);
                builder.setConfigProp("sasl.enabled.mechanisms", "PLAIN")
                        .setConfigProp("sasl.mechanism.inter.broker.protocol", "PLAIN")
                        // the test kit would add an authorizer that allows only its own admin
                        .setConfigProp("authorizer.class.name", "")
                        .setConfigProp(
                                "listener.name."
                                        + CLIENT_LISTENER.toLowerCase(Locale.ROOT)
                                        + ".plain.sasl.jaas.config",
                                jaas(BROKER_USER, BROKER_PASSWORD, users));
                adminConfig.putAll(saslPlainClientProperties(BROKER_USER, BROKER_PASSWORD));
            }
            cluster = buildKeepingJaasProperty(builder);
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamctr-embedded-kafka-admin");
            admin = Admin.create(adminConfig);
            LOG.info(
                    "Embedded Kafka ready at {}{} in {} ms",
                    cluster.bootstrapServers(),
                    sasl ? " (SASL/PLAIN)" : "",
                    (System.nanoTime() - startNanos) / 1_000_000);
            return new EmbeddedKafka(cluster, admin);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(admin, cluster, e);
            throw new IllegalStateException(
                    "cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /**
     * Builds the cluster. For a SASL listener the test kit also writes a JAAS file of its own users
     * and points the JVM-wide {@code java.security.auth.login.config} at it; the broker uses the
     * listener's own JAAS setting instead, so the property is put back as it was, leaving the other
     * clients of this JVM as they were.
     */
    private static KafkaClusterTestKit buildKeepingJaasProperty(KafkaClusterTestKit.Builder builder)
            throws Exception {
        String before = System.getProperty(JAAS_PROPERTY);
        try {
            return builder.build();
        } finally {
            if (before == null) {
                System.clearProperty(JAAS_PROPERTY);
            } else {
                System.setProperty(JAAS_PROPERTY, before);
            }
        }
    }

    /**
     * A PlainLoginModule entry logging in as {@code user}; {@code users} are the ones it accepts.
     */
    private static String jaas(String user, String password, Map<String, String> users) {
        StringBuilder b =
                new StringBuilder(
                                "org.apache.kafka.common.security.plain.PlainLoginModule required")
                        .append(" username=\"")
                        .append(user)
                        .append('"')
                        .append(" password=\"")
                        .append(password)
                        .append('"');
        new TreeMap<>(users)
                .forEach(
                        (name, pw) ->
                                b.append(" user_")
                                        .append(name)
                                        .append("=\"")
                                        .append(pw)
                                        .append('"'));
        return b.append(';').toString();
    }

    /**
     * Formats the node's storage. Kafka's storage tool prints its progress ("Formatting metadata
     * directory ...") straight to System.out; that would mix into the output of the CLI, so the
     * stream is swapped out for the moment of formatting (and kept when formatting fails).
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(
                new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            cluster.format();
        } catch (Exception e) {
            stdout.print(captured.toString(java.nio.charset.StandardCharsets.UTF_8));
            throw e;
        } finally {
            System.setOut(stdout);
        }
        LOG.debug(
                "kafka storage format: {}",
                captured.toString(java.nio.charset.StandardCharsets.UTF_8).trim());
    }

    /** {@code host:port} of the broker's client listener. */
    public String bootstrapServers() {
        checkOpen();
        return cluster.bootstrapServers();
    }

    /**
     * Creates {@code name} with {@code partitions} partitions (replication factor 1) and waits
     * until every partition has a leader. A topic that already exists with that many partitions is
     * left as it is.
     *
     * @throws IllegalStateException if it exists with another partition count, or is not ready in
     *     30 s
     */
    public void createTopic(String name, int partitions) {
        checkOpen();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank, got '" + name + "'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topic " + name + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
        awaitLeaders(name, partitions);
    }

    private void awaitLeaders(String name, int partitions) {
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description =
                        admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                if (description.partitions().size() != partitions) {
                    throw new IllegalStateException(
                            "topic "
                                    + name
                                    + " exists with "
                                    + description.partitions().size()
                                    + " partitions, expected "
                                    + partitions);
                }
                if (description.partitions().stream()
                        .map(TopicPartitionInfo::leader)
                        .allMatch(l -> l != null && !l.isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException(
                            "cannot describe topic " + name + ": " + e.getCause().getMessage(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + name, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topic "
                                + name
                                + " has no leader for every partition after "
                                + TOPIC_TIMEOUT);
            }
            sleep(50);
        }
    }

    /** Stops the broker, its threads and clients, and deletes its data. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Exception failure = closeQuietly(admin, cluster, null);
        if (failure != null) {
            throw new IllegalStateException(
                    "embedded Kafka did not stop cleanly: " + failure.getMessage(), failure);
        }
        LOG.info("Embedded Kafka stopped");
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("embedded Kafka is closed");
        }
    }

    /**
     * Closes both (either may be null); returns the first failure, added to {@code primary} if
     * given.
     */
    private static Exception closeQuietly(
            Admin admin, KafkaClusterTestKit cluster, Exception primary) {
        Exception first = null;
        if (admin != null) {
            try {
                admin.close(Duration.ofSeconds(10));
            } catch (Exception e) {
                first = e;
            }
        }
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (primary != null && first != null) {
            primary.addSuppressed(first);
        }
        return first;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
