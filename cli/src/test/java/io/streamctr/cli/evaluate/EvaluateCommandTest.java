package io.streamctr.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {

    @Test
    void comparesModelsOnTheSameStreamWithASpreadOverSeeds() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code =
                cli.execute(
                        "evaluate",
                        "--limit",
                        "1500",
                        "--models",
                        "lr,dnn-tiny",
                        "--seeds",
                        "2",
                        "--device",
                        "cpu");

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("multi-valued [genres]").contains("side genres");
        assertThat(out.toString())
                .contains("movielens, 1,500 events")
                .contains("| lr | 2 | 0.")
                .contains("| dnn-tiny | 2 | 0.")
                .containsPattern("\\d\\.\\d{4} \\(\\d\\.\\d{4}–\\d\\.\\d{4}\\)");
    }

    @Test
    void shortensTheSearchOfOptFusionModelsAndWritesTheirArchitecture(@TempDir Path dir)
            throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code =
                cli.execute(
                        "evaluate",
                        "--limit",
                        "400",
                        "--models",
                        "optfusion-hard-tiny",
                        "--search-events",
                        "256",
                        "--architecture-dir",
                        dir.toString(),
                        "--device",
                        "cpu");

        assertThat(code).as(err.toString()).isZero();
        // the tiny model searches for 512 events by itself, more than the stream has; here it froze
        // after 256
        assertThat(err.toString())
                .contains("stage RETRAIN")
                .containsPattern("O=(ADD|PROD|CONCAT|ATT)\\(");
        String json = Files.readString(dir.resolve("optfusion-hard-tiny-seed1-architecture.json"));
        assertThat(json).startsWith("{\"variant\":\"hard\"").contains("\"name\":\"O\"");
        assertThat(Files.readString(dir.resolve("optfusion-hard-tiny-seed1-architecture.dot")))
                .startsWith("digraph optfusion {");
        assertThat(Files.readString(dir.resolve("optfusion-hard-tiny-seed1-architecture.svg")))
                .startsWith("<svg")
                .contains("data-block=\"O\"");
    }

    @Test
    void rejectsANegativeSearchLength() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("evaluate", "--models", "optfusion-soft", "--search-events", "-1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--search-events must be >= 0");
    }

    @Test
    void rejectsAnUnknownModel() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("evaluate", "--models", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown model 'nope'");
    }

    @Test
    void trainsWithTheGivenLearningRates() {
        String defaults =
                evaluate("evaluate", "--limit", "1500", "--models", "lr", "--device", "cpu");
        String faster =
                evaluate(
                        "evaluate",
                        "--limit",
                        "1500",
                        "--models",
                        "lr",
                        "--device",
                        "cpu",
                        "--learning-rate",
                        "0.003",
                        "--embedding-learning-rate",
                        "0.1");
        assertThat(defaults)
                .contains(
                        "learning rates 0.001 (dense) / 0.05 (embeddings, adagrad), base-rate"
                                + " half-life 10000");
        assertThat(faster).contains("learning rates 0.003 (dense) / 0.1 (embeddings, adagrad)");
        assertThat(row(faster))
                .as("the same stream and seed with other learning rates")
                .isNotEqualTo(row(defaults));
    }

    @Test
    void trainsWithTheGivenEmbeddingRule() {
        String ftrl =
                evaluate(
                        "evaluate",
                        "--limit",
                        "1500",
                        "--models",
                        "lr",
                        "--device",
                        "cpu",
                        "--embedding-optimizer",
                        "ftrl",
                        "--base-rate-half-life",
                        "0");
        assertThat(ftrl).contains("/ 0.05 (embeddings, ftrl), base-rate half-life none");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("evaluate", "--models", "lr", "--embedding-optimizer", "sgd"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown embedding optimizer 'sgd'");
    }

    @Test
    void rejectsANonPositiveLearningRate() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("evaluate", "--models", "lr", "--embedding-learning-rate", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("learning rates must be > 0");
    }

    private static String evaluate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as(err.toString()).isZero();
        return out.toString();
    }

    /** The table row of the run, without its events/s. */
    private static String row(String table) {
        String line = table.lines().filter(l -> l.startsWith("| lr |")).findFirst().orElseThrow();
        return line.substring(0, line.lastIndexOf('|', line.length() - 2));
    }
}
