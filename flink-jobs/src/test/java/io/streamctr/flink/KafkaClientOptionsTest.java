package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.flink.format.RecordFormat;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** {@code kafka.format} and the {@code kafka.properties.*} client settings. */
class KafkaClientOptionsTest {

    @Test
    void passesEveryPrefixedSettingWithoutThePrefix() {
        Configuration conf =
                Configuration.fromMap(
                        Map.of(
                                "kafka.properties.security.protocol", "SASL_PLAINTEXT",
                                "kafka.properties.sasl.mechanism", "PLAIN",
                                "kafka.bootstrap-servers", "h:1",
                                "ctr.models", "lr"));

        Properties properties = JobOptions.kafkaProperties(conf);

        assertThat(properties)
                .containsOnly(
                        Map.entry("security.protocol", "SASL_PLAINTEXT"),
                        Map.entry("sasl.mechanism", "PLAIN"));
    }

    @Test
    void refusesSettingsTheJobTakesFromItsOwnOptions() {
        Configuration conf =
                Configuration.fromMap(Map.of("kafka.properties.bootstrap.servers", "h:1"));

        assertThatThrownBy(() -> JobOptions.kafkaProperties(conf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kafka.properties.bootstrap.servers is not allowed: bootstrap.servers is"
                                + " set by kafka.bootstrap-servers");
        assertThatThrownBy(
                        () ->
                                JobOptions.kafkaProperties(
                                        Configuration.fromMap(
                                                Map.of("kafka.properties.group.id", "g"))))
                .hasMessageContaining("set by kafka.group-id");
    }

    @Test
    void readsTheFormatAsUsersWriteIt() {
        assertThat(JobOptions.format(new Configuration())).isEqualTo(RecordFormat.AVRO);
        assertThat(JobOptions.format(Configuration.fromMap(Map.of("kafka.format", "JSON"))))
                .isEqualTo(RecordFormat.JSON);
        assertThatThrownBy(
                        () ->
                                JobOptions.format(
                                        Configuration.fromMap(Map.of("kafka.format", "csv"))))
                .hasMessageStartingWith("kafka.format must be one of avro, json; got 'csv'");
        assertThat(RecordFormat.parse(" Json ")).isEqualTo(RecordFormat.JSON);
    }
}
