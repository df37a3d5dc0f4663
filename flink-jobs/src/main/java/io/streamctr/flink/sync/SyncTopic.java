package io.streamctr.flink.sync;

import io.streamctr.flink.JobOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the sync topic when the job is built, if it does not exist: the Kafka source fails on a
 * topic that is missing when the job starts, and one created later by the sink's first send (where
 * the broker auto-creates topics) was not read back in a test run. One partition, the broker's
 * default replication.
 */
final class SyncTopic {

    private static final long TIMEOUT_SECONDS = 30;

    private SyncTopic() {}

    /**
     * Creates {@code kafka.topic.sync} unless it exists; IllegalArgumentException naming the topic
     * when it can neither be found nor created.
     */
    static void ensure(Configuration conf) {
        String topic = conf.get(JobOptions.SYNC_TOPIC);
        Map<String, Object> config = new HashMap<>();
        JobOptions.kafkaProperties(conf)
                .forEach(
                        (k, v) -> {
                            if (AdminClientConfig.configNames().contains((String) k)) {
                                config.put((String) k, v);
                            }
                        });
        config.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, conf.get(JobOptions.BOOTSTRAP_SERVERS));
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamctr-sync-topic");
        try (Admin admin = Admin.create(config)) {
            if (admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw failed(topic, e.getCause());
            }
        } catch (Exception e) {
            throw failed(topic, e);
        }
    }

    private static IllegalArgumentException failed(String topic, Throwable cause) {
        return new IllegalArgumentException(
                JobOptions.SYNC_TOPIC.key()
                        + " '"
                        + topic
                        + "' does not exist and could not be created ("
                        + cause
                        + "); create it with one partition",
                cause);
    }
}
