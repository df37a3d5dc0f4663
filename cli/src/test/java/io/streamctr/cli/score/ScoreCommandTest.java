package io.streamctr.cli.score;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.cli.Main;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.DatasetAdapters;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evaluate --export-model} writes packages that {@code score} loads and scores a data set
 * with, as the Java scorer does on evaluate's examples.
 */
class ScoreCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void scoresTheDataSetWithAnExportedPackageAsTheJavaScorerDoes() throws Exception {
        Path packages = tmp.resolve("packages");
        Run evaluate =
                run(
                        "evaluate",
                        "--limit",
                        "600",
                        "--models",
                        "lr,ftrl",
                        "--device",
                        "cpu",
                        "--export-model",
                        packages.toString());
        assertThat(evaluate.code).as(evaluate.err).isZero();
        assertThat(evaluate.err).contains("model package written to " + packages.resolve("lr"));
        for (String model : List.of("lr", "ftrl")) {
            Path scores = tmp.resolve(model + ".jsonl");
            Run score =
                    run(
                            "score",
                            "--model",
                            packages.resolve(model).toString(),
                            "--limit",
                            "600",
                            "--batch-size",
                            "100",
                            "--device",
                            "cpu",
                            "--output",
                            scores.toString());
            assertThat(score.code).as(score.err).isZero();
            assertThat(score.err).contains("600 events scored").doesNotContain("warning");
            List<String> lines = Files.readAllLines(scores);
            assertThat(lines).hasSize(600);

            List<ClickEvent> events =
                    DatasetAdapters.read(
                            "movielens",
                            BundledData.movieLensDir(),
                            DatasetOptions.of(Map.of()),
                            600);
            try (ModelPackage pkg = ModelPackage.load(packages.resolve(model), "cpu")) {
                List<Example> examples =
                        new SequenceEnrichment(
                                        pkg.manifest().featureSpec().sideField(),
                                        pkg.manifest().featureSpec().sequenceLength(),
                                        List.of())
                                .enrichAll(events);
                // in the command's batches: PyTorch's kernels may round the last bit otherwise
                // for another batch size
                float[] expected = new float[examples.size()];
                for (int from = 0; from < examples.size(); from += 100) {
                    float[] s = pkg.scorer().score(examples.subList(from, from + 100));
                    System.arraycopy(s, 0, expected, from, s.length);
                }
                for (int i = 0; i < lines.size(); i++) {
                    JsonNode line = JSON.readTree(lines.get(i));
                    ClickEvent e = examples.get(i).getEvent();
                    assertThat(line.get("event_id").asText()).isEqualTo(e.getEventId());
                    assertThat(line.get("user_id").asText()).isEqualTo(e.getUserId());
                    assertThat(line.get("label").asInt()).isEqualTo(e.getLabel());
                    assertThat(line.get("score").floatValue())
                            .as("line %d", i)
                            .isEqualTo(expected[i]);
                }
            }
        }
    }

    @Test
    void writesToStdoutByDefault() throws Exception {
        Path packages = tmp.resolve("packages");
        assertThat(
                        run(
                                        "evaluate",
                                        "--limit",
                                        "200",
                                        "--models",
                                        "ftrl",
                                        "--export-model",
                                        packages.toString())
                                .code)
                .isZero();
        Run score = run("score", "--model", packages.resolve("ftrl").toString(), "--limit", "50");
        assertThat(score.code).as(score.err).isZero();
        String[] lines = score.out.split("\n");
        assertThat(lines).hasSize(50);
        assertThat(JSON.readTree(lines[0]).get("score").asDouble()).isStrictlyBetween(0.0, 1.0);
    }

    @Test
    void warnsWhenTheDataCarriesOtherFieldsThanThePackage() throws Exception {
        FeatureSpec withCity =
                new FeatureSpec(
                        16,
                        1 << 10,
                        List.of("city"),
                        List.of("genres"),
                        8,
                        List.of(),
                        "genres",
                        50);
        Path dir = tmp.resolve("ftrl-city");
        try (OnlineLearner learner =
                Learners.create("ftrl", withCity, TrainerConfig.defaults(), "cpu")) {
            ModelPackage.save(learner, dir);
        }
        Run score = run("score", "--model", dir.toString(), "--limit", "100");
        assertThat(score.code).as(score.err).isZero();
        assertThat(score.err)
                .contains(
                        "score: warning: the data's fields (first 100 events) are not the"
                                + " package's")
                .contains("categorical fields [city], expected []")
                .doesNotContain("multi-valued fields");
        assertThat(score.out.split("\n")).hasSize(100);
    }

    @Test
    void aMissingPackageIsAOneLineUsageError() {
        Run score = run("score", "--model", tmp.resolve("none").toString(), "--limit", "10");
        assertThat(score.code).isEqualTo(2);
        assertThat(score.err).contains("is not a model package: it has no manifest.json");
        assertThat(score.err).doesNotContain("\tat ");
    }

    @Test
    void anOutputThatCannotBeWrittenIsAOneLineUsageError() throws Exception {
        Path dir = tmp.resolve("ftrl");
        try (OnlineLearner learner =
                Learners.create("ftrl", FeatureSpec.movieLens(), TrainerConfig.defaults(), "cpu")) {
            ModelPackage.save(learner, dir);
        }
        Path output = tmp.resolve("no-such-dir").resolve("scores.jsonl");
        Run score = run("score", "--model", dir.toString(), "--output", output.toString());
        assertThat(score.code).isEqualTo(2);
        assertThat(score.err)
                .contains("--output " + output + ": cannot write it (NoSuchFileException");
        assertThat(score.err).doesNotContain("\tat ");
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
