package io.streamctr.cli;

import io.streamctr.flink.format.RecordFormat;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client settings and the record format of the commands that talk to Kafka ({@code
 * replay}, {@code tail}): {@code --properties-file} holds what the job takes as {@code
 * kafka.properties.*} (security.protocol, sasl.mechanism, sasl.jaas.config, ...), {@code --format}
 * is the job's {@code kafka.format}.
 */
public final class KafkaClientSettings {

    private KafkaClientSettings() {}

    /**
     * The settings of the Java properties file at {@code file} (none when it is null) with {@code
     * overrides} (the command's repeatable {@code --*-property}) over them.
     *
     * @throws UsageException when the file cannot be read or parsed
     */
    public static Map<String, String> load(
            String option, Path file, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (file != null) {
            Inputs.readableFile(option, file, "a Kafka client properties file");
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException(
                        option + " " + file + " is not a properties file: " + e.getMessage(), e);
            }
            new TreeMap<>(properties).forEach((k, v) -> settings.put((String) k, (String) v));
        }
        settings.putAll(overrides);
        return settings;
    }

    /**
     * The format named by {@code --format}.
     *
     * @throws UsageException for another name
     */
    public static RecordFormat format(String name) {
        Choices.require(
                "format", name, List.of("avro", "json"), "formats (the job's kafka.format)");
        return RecordFormat.parse(name);
    }
}
