package io.streamctr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --properties-file} and {@code --format} of replay and tail. */
class KafkaClientSettingsTest {

    @Test
    void putsTheCommandLineSettingsOverTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nlinger.ms=5\n");

        Map<String, String> settings =
                KafkaClientSettings.load("--properties-file", file, Map.of("linger.ms", "20"));

        assertThat(settings)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("security.protocol", "SASL_SSL", "linger.ms", "20"));
    }

    @Test
    void aMissingPropertiesFileIsAUsageError(@TempDir Path dir) {
        CliRun run =
                CliRun.of(
                        "tail",
                        "--predictions",
                        "--properties-file",
                        dir.resolve("nope.properties").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("nope.properties");
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        CliRun run = CliRun.of("replay", "--format", "jsn", "--dry-run");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("unknown format 'jsn'")
                .contains("json");
    }

    @Test
    void theDemoRefusesTheJsonFormatBeforeStartingAnything() {
        CliRun run = CliRun.of("demo", "--set", "kafka.format=json");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("kafka.format=json is not for the demo");
    }
}
