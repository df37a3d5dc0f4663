package io.streamctr.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.cli.CliRun;
import io.streamctr.datasets.BundledData;
import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} and {@code tail} with {@code --format json} and a SASL/PLAIN login from {@code
 * --properties-file}, on the in-process broker that requires it.
 */
@Timeout(120)
class SaslJsonReplayTailITCase {

    private static final int EVENTS = 50;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA =
            EmbeddedKafkaExtension.withSaslPlain(Map.of("replayer", "replay-secret"));

    private static Path propertiesFile(Path dir, String password) throws Exception {
        Properties p = new Properties();
        p.putAll(EmbeddedKafka.saslPlainClientProperties("replayer", password));
        Path file = dir.resolve(password + ".properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "SASL/PLAIN login");
        }
        return file;
    }

    @Test
    void replaysAndTailsJsonEventsWithTheLoginOfThePropertiesFile(@TempDir Path dir)
            throws Exception {
        KAFKA.createTopic("json.events", 1);
        String login = propertiesFile(dir, "replay-secret").toString();

        CliRun replay =
                CliRun.of(
                        "replay",
                        "--path",
                        BundledData.movieLensDir().toString(),
                        "--limit",
                        String.valueOf(EVENTS),
                        "--topic",
                        "json.events",
                        "--format",
                        "json",
                        "--properties-file",
                        login,
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers());
        assertThat(replay.exitCode()).as(replay.err()).isZero();

        CliRun tail =
                CliRun.of(
                        "tail",
                        "--topic",
                        "json.events",
                        "--from-beginning",
                        "--max",
                        String.valueOf(EVENTS),
                        "--timeout-ms",
                        "20000",
                        "--format",
                        "json",
                        "--properties-file",
                        login,
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers());
        assertThat(tail.exitCode()).as(tail.err()).isZero();
        List<String> lines = tail.out().lines().toList();
        assertThat(lines).hasSize(EVENTS);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode event = json.readTree(line);
            assertThat(event.get("eventId").isTextual()).as(line).isTrue();
            assertThat(event.get("eventTime").isIntegralNumber()).as(line).isTrue();
            assertThat(event.has("error")).as(line).isFalse();
        }
    }

    @Test
    void saysTheLoginWasRefusedForAWrongPassword(@TempDir Path dir) throws Exception {
        CliRun replay =
                CliRun.of(
                        "replay",
                        "--path",
                        BundledData.movieLensDir().toString(),
                        "--limit",
                        "5",
                        "--topic",
                        "json.events",
                        "--properties-file",
                        propertiesFile(dir, "wrong").toString(),
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers());

        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(replay.errLines())
                .singleElement()
                .asString()
                .contains("refused the login")
                .contains("Authentication failed");
    }
}
