package io.streamctr.flink.sink;

import io.streamctr.flink.JobOptions;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Builds the job's Kafka sinks: values in the configured {@link JobOptions#FORMAT}, string keys,
 * the configured guarantee, and the {@code kafka.properties.*} client settings.
 */
public final class KafkaSinks {

    /** Transactions must end within the broker's maximum (15 min by default). */
    private static final String TRANSACTION_TIMEOUT_MS = "600000";

    private KafkaSinks() {}

    /** Extracts the record key; serializable so the sink can ship it. */
    @FunctionalInterface
    public interface KeyFunction<T> extends java.io.Serializable {
        String key(T record);
    }

    /** A sink of the records to the topic, keyed by the function. */
    public static <T extends SpecificRecordBase> KafkaSink<T> create(
            Configuration conf, String topic, Class<T> type, KeyFunction<T> key, String sinkName) {
        DeliveryGuarantee guarantee = JobOptions.deliveryGuarantee(conf);
        SerializationSchema<T> keySchema =
                record -> key.key(record).getBytes(StandardCharsets.UTF_8);
        var builder =
                KafkaSink.<T>builder()
                        .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.<T>builder()
                                        .setTopic(topic)
                                        .setKeySerializationSchema(keySchema)
                                        .setValueSerializationSchema(
                                                JobOptions.format(conf).serializer(type))
                                        .build())
                        .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(
                            conf.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-" + sinkName)
                    .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        }
        // after the job's own settings, so that kafka.properties.transaction.timeout.ms wins
        JobOptions.kafkaProperties(conf)
                .forEach((k, v) -> builder.setProperty((String) k, (String) v));
        return builder.build();
    }
}
