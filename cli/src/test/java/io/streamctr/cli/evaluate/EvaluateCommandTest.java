package io.streamctr.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import io.streamctr.datasets.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    @Test
    void comparesModelsOnTheSameStreamWithASpreadOverSeeds() {
        CliRun run =
                CliRun.of(
                        "evaluate",
                        "--limit",
                        "1500",
                        "--models",
                        "lr,dnn-tiny",
                        "--seeds",
                        "2",
                        "--device",
                        "cpu");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("multi-valued [genres]").contains("side genres");
        assertThat(run.out())
                .contains("movielens, 1,500 events")
                .contains("| lr | 2 | 0.")
                .contains("| dnn-tiny | 2 | 0.")
                .containsPattern("\\d\\.\\d{4} \\(\\d\\.\\d{4}–\\d\\.\\d{4}\\)");
    }

    @Test
    void shortensTheSearchOfOptFusionModelsAndWritesTheirArchitecture(@TempDir Path dir)
            throws Exception {
        CliRun run =
                CliRun.of(
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

        assertThat(run.exitCode()).as(run.err()).isZero();
        // the tiny model searches for 512 events by itself, more than the stream has; here it froze
        // after 256
        assertThat(run.err())
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
    void reportsBadLinesAsReplayDoes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("train.txt");
        Files.copy(Fixtures.dir("criteo").resolve("train.txt"), file);
        Files.writeString(file, "not\ta\tcriteo\tline\n", StandardOpenOption.APPEND);

        CliRun run =
                CliRun.of(
                        "evaluate",
                        "--dataset",
                        "criteo",
                        "--path",
                        file.toString(),
                        "--models",
                        "ftrl");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err())
                .contains(
                        "evaluate: 3 criteo events from "
                                + file
                                + ", 1 bad line: train.txt:4: expected 40 tab-separated fields");
        assertThat(run.out()).contains("criteo, 3 events scored").contains("| ftrl | 1 |");
    }

    @Test
    void rejectsANegativeSearchLength() {
        CliRun run = CliRun.of("evaluate", "--models", "optfusion-soft", "--search-events", "-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--search-events must be >= 0");
    }

    @Test
    void rejectsAnUnknownModel() {
        CliRun run = CliRun.of("evaluate", "--models", "nope");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown model 'nope'");
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
                        "learning rates 0.0005 (dense) / 0.0125 (embeddings, adagrad), base-rate"
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
        assertThat(ftrl).contains("/ 0.0125 (embeddings, ftrl), base-rate half-life none");
        CliRun run = CliRun.of("evaluate", "--models", "lr", "--embedding-optimizer", "sgd");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown embedding optimizer 'sgd'");
    }

    @Test
    void rejectsANonPositiveLearningRate() {
        CliRun run = CliRun.of("evaluate", "--models", "lr", "--embedding-learning-rate", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("learning rates must be > 0");
    }

    private static String evaluate(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out();
    }

    /** The table row of the run, without its events/s. */
    private static String row(String table) {
        String line = table.lines().filter(l -> l.startsWith("| lr |")).findFirst().orElseThrow();
        return line.substring(0, line.lastIndexOf('|', line.length() - 2));
    }
}
