package io.streamctr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.Fixtures;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CliRun run = CliRun.of(args);
        out.write(run.out());
        err.write(run.err());
        return run.exitCode();
    }

    @Test
    void topLevelHelpListsSubcommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("replay", "tail", "--version");
    }

    @Test
    void replayHelpMentionsItsOptions() {
        assertThat(run("replay", "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--dataset",
                        "--path",
                        "--topic",
                        "--bootstrap-servers",
                        "--limit",
                        "--rate",
                        "--dry-run",
                        "--producer-property",
                        "--skip",
                        "--speedup",
                        "--assume-sorted",
                        "--max-bad-lines",
                        "--mapping",
                        "--option",
                        "--list-datasets");
    }

    @Test
    void tailHelpMentionsItsOptions() {
        assertThat(run("tail", "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--topic",
                        "--predictions",
                        "--metrics",
                        "--dead-letter",
                        "--bootstrap-servers",
                        "--from-beginning",
                        "--max",
                        "--timeout-ms");
    }

    @Test
    void unknownDatasetIsAUsageErrorNamingTheKnownOnes() {
        int code = run("replay", "--dataset", "nope", "--dry-run");

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("nope").contains("movielens");
    }

    @Test
    void tailNeedsExactlyOneTopic() {
        assertThat(run("tail")).isEqualTo(2);
        assertThat(run("tail", "--predictions", "--metrics")).isEqualTo(2);
    }

    @Test
    void missingSubcommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void replayToAnUnreachableBrokerFailsWithAClearMessage() {
        int code =
                run(
                        "replay",
                        "--path",
                        BundledData.movieLensDir().toString(),
                        "--limit",
                        "3",
                        "--bootstrap-servers",
                        "localhost:1",
                        "--connect-timeout-ms",
                        "500");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach Kafka at localhost:1 within 0.5 s");
    }

    @Test
    void dryRunPrintsFirstFiveEventsAsJsonAndSendsNothing() throws Exception {
        int code =
                run(
                        "replay",
                        "--dry-run",
                        "--path",
                        BundledData.movieLensDir().toString(),
                        "--bootstrap-servers",
                        "unreachable.invalid:1");

        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(5);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode event = json.readTree(line);
            assertThat(event.get("eventId").asText()).startsWith("ml-");
            assertThat(event.get("actionType").asText()).isEqualTo("rating");
        }
    }

    @Test
    void dryRunOnAFixtureHonoursSkipAndLimit() throws Exception {
        int code =
                run(
                        "replay",
                        "--dataset",
                        "criteo",
                        "--path",
                        Fixtures.dir("criteo").toString(),
                        "--dry-run",
                        "--skip",
                        "1",
                        "--limit",
                        "1");

        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(new ObjectMapper().readTree(lines.get(0)).get("eventId").asText())
                .isEqualTo("criteo:train:2");
        assertThat(err.toString()).contains("printed 1 events, skipped 1, no bad lines");
    }

    @Test
    void dryRunReportsBadLinesWithFileAndLine(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = tmp.resolve("train.txt");
        java.nio.file.Files.copy(Fixtures.dir("criteo").resolve("train.txt"), file);
        java.nio.file.Files.writeString(
                file, "not\ta\tcriteo\tline\n", java.nio.file.StandardOpenOption.APPEND);

        int code =
                run(
                        "replay",
                        "--dataset",
                        "criteo",
                        "--path",
                        file.toString(),
                        "--dry-run",
                        "--limit",
                        "10");

        assertThat(code).isZero();
        assertThat(out.toString().lines()).hasSize(3);
        assertThat(err.toString())
                .contains("1 bad line: train.txt:4: expected 40 tab-separated fields");
    }

    @Test
    void tooManyBadLinesStopTheReplayWithExitCodeOne(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = tmp.resolve("train.txt");
        java.nio.file.Files.writeString(file, "a\nb\n");

        int code =
                run(
                        "replay",
                        "--dataset",
                        "criteo",
                        "--path",
                        file.toString(),
                        "--dry-run",
                        "--max-bad-lines",
                        "1");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("more than 1 bad lines").doesNotContain("Exception");
    }

    @Test
    void rateAndSpeedupTogetherAreAUsageError() {
        assertThat(run("replay", "--rate", "10", "--speedup", "60", "--dry-run")).isEqualTo(2);
        assertThat(err.toString()).contains("choose --rate or --speedup");
    }

    @Test
    void listDatasetsNamesEveryAdapter() {
        assertThat(run("replay", "--list-datasets")).isZero();
        assertThat(out.toString())
                .contains(
                        "movielens",
                        "criteo",
                        "avazu",
                        "kdd12",
                        "amazon",
                        "taobao-behavior",
                        "taobao-ad",
                        "kuaivideo",
                        "mind",
                        "ipinyou",
                        "generic");
    }

    @Test
    void missingPathIsAUsageError() {
        assertThat(run("replay", "--dataset", "avazu", "--path", "/nonexistent/avazu", "--dry-run"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--path /nonexistent/avazu does not exist");
    }
}
