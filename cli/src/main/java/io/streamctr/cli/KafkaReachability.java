package io.streamctr.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Checks that the Kafka cluster answers before a command reads or writes a topic: a client alone
 * would retry an unreachable broker forever (tail) or for its own minute (replay), silently.
 */
public final class KafkaReachability {

    private KafkaReachability() {}

    /**
     * Returns when the cluster at {@code bootstrapServers} answered within {@code timeout}.
     *
     * @param clientProperties the command's client settings; those an admin client knows (security,
     *     e.g.) are applied
     * @throws IllegalStateException naming the servers and the timeout when it did not
     * @throws UsageException when {@code bootstrapServers} is not a list of {@code host:port} or a
     *     client property is invalid
     */
    public static void require(
            String bootstrapServers, Map<String, String> clientProperties, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        clientProperties.forEach(
                (k, v) -> {
                    if (AdminClientConfig.configNames().contains(k)) {
                        config.put(k, v);
                    }
                });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamctr-check");
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new UsageException(
                    "cannot make a Kafka client for --bootstrap-servers "
                            + bootstrapServers
                            + " and the given client properties: "
                            + rootMessage(e),
                    e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                    .clusterId()
                    .get(millis + 1000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new IllegalStateException(
                        "Kafka at "
                                + bootstrapServers
                                + " refused the login: "
                                + refused.getMessage()
                                + " (check security.protocol, sasl.mechanism and"
                                + " sasl.jaas.config in --properties-file)",
                        e);
            }
            throw unreachable(bootstrapServers, millis, e);
        } catch (TimeoutException e) {
            throw unreachable(bootstrapServers, millis, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + bootstrapServers);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static IllegalStateException unreachable(
            String bootstrapServers, int millis, Exception e) {
        return new IllegalStateException(
                String.format(
                        Locale.ROOT,
                        "cannot reach Kafka at %s within %.1f s: is it running, and are"
                                + " --bootstrap-servers right?",
                        bootstrapServers,
                        millis / 1000.0),
                e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
