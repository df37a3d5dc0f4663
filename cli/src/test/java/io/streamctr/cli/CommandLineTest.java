package io.streamctr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void topLevelHelpListsSubcommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("replay", "tail", "--version");
    }

    @Test
    void replayHelpMentionsItsOptions() {
        assertThat(run("replay", "--help")).isZero();
        assertThat(out.toString()).contains("--dataset", "--path", "--topic", "--bootstrap-servers", "--limit",
                "--rate", "--dry-run", "--producer-property");
    }

    @Test
    void tailHelpMentionsItsOptions() {
        assertThat(run("tail", "--help")).isZero();
        assertThat(out.toString()).contains("--topic", "--predictions", "--metrics", "--dead-letter",
                "--bootstrap-servers", "--from-beginning", "--max", "--timeout-ms");
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
        int code = run("replay", "--path", TestData.movieLensDir().toString(), "--limit", "3",
                "--bootstrap-servers", "localhost:1", "--producer-property", "max.block.ms=500");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot get metadata of topic ctr.events from localhost:1");
    }

    @Test
    void dryRunPrintsFirstFiveEventsAsJsonAndSendsNothing() throws Exception {
        int code = run("replay", "--dry-run", "--path", TestData.movieLensDir().toString(),
                "--bootstrap-servers", "unreachable.invalid:1");

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
}
