package io.streamctr.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import io.streamctr.cli.Main;
import io.streamctr.datasets.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command, on a slice of the bundled data: broker, MiniCluster, learner, table.
 */
class DemoCommandITCase {

    @Test
    void runsThePipelineAndPrintsTheTable(@TempDir Path output) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        int code =
                cli.execute(
                        "demo",
                        "--limit",
                        "3000",
                        "--device",
                        "cpu",
                        "--output",
                        output.toString());

        assertThat(code).as(out.toString()).isZero();
        // by default the demo trains dnn and the ftrl baseline side by side
        assertThat(out.toString())
                .contains("window AUC")
                .contains("events/s")
                .containsPattern("dnn\\s+3,000\\s+3,000")
                .containsPattern("ftrl\\s+3,000\\s+3,000");
        assertThat(Files.readAllLines(output.resolve("predictions.jsonl"))).hasSize(6000);
        assertThat(Files.readAllLines(output.resolve("metrics.jsonl")))
                .anyMatch(l -> l.contains("\"finalReport\": true"));
    }

    @Test
    void rejectsAnUnknownModelBeforeStartingAnything(@TempDir Path output) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("demo", "--models", "nope", "--output", output.toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("unknown model 'nope'").contains("dnn");
    }

    @Test
    void runsOnAnotherAdaptersData(@TempDir Path output) throws Exception {
        CliRun run =
                CliRun.of(
                        "demo",
                        "--dataset",
                        "avazu",
                        "--path",
                        Fixtures.dir("avazu").resolve("train.csv").toString(),
                        "--limit",
                        "8",
                        "--device",
                        "cpu",
                        "--output",
                        output.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("8 avazu events")
                .containsPattern("dnn\\s+8\\s+8")
                .containsPattern("ftrl\\s+8\\s+8");
        assertThat(Files.readAllLines(output.resolve("predictions.jsonl"))).hasSize(16);
    }

    @Test
    void anotherDatasetNeedsAPath(@TempDir Path output) {
        CliRun run = CliRun.of("demo", "--dataset", "criteo", "--output", output.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("--path is required");
    }
}
