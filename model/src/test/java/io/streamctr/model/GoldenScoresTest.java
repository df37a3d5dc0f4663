package io.streamctr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.streamctr.model.blocks.HashedEmbedding;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered model scores a fixed batch as it did when the scores were recorded ({@code
 * golden/model-scores.tsv}), once freshly initialized with the default seed and once after one
 * training step on that batch, and with its parameters' shapes in {@code getParameters()} order
 * (the order of the snapshot): a refactoring that reorders parameters, changes the initialization
 * order or the math shows up here. The scores were recorded with Adam on every parameter and no
 * base rate ({@link TrainerConfig#adam()}), pinned here since the defaults moved to AdaGrad
 * embedding tables with a base rate: this test guards the models' math, not the rule.
 *
 * <p>The batch has every input kind: a categorical field, a numeric field, a multi-valued field and
 * both behaviour sequences. To record the scores again (only after a deliberate change of the
 * models' math), run with {@code -Dgolden.record=true} from the model module's directory.
 */
class GoldenScoresTest {

    private static final String RESOURCE = "/golden/model-scores.tsv";
    private static final Path SOURCE = Path.of("src/test/resources/golden/model-scores.tsv");
    private static final double TOLERANCE = 1e-6;
    private static final FeatureSpec SPEC =
            new FeatureSpec(
                    8, 1 << 10, List.of("city"), List.of("genres"), 4, List.of("age"), "genres", 8);
    private static final int ROWS = 8;

    static Stream<String> models() {
        return ModelRegistry.names().stream();
    }

    /** 8 rows with a city, an age, genres and both histories (some empty). */
    static FeatureBatch batch() {
        Random r = new Random(7);
        List<Example> examples = new ArrayList<>();
        for (Example e : Examples.random(ROWS, 3)) {
            ClickEvent event =
                    ClickEvent.newBuilder(e.getEvent())
                            .setCategorical(Map.of("city", "c" + r.nextInt(5)))
                            .setNumeric(Map.of("age", r.nextFloat() * 2 - 1))
                            .build();
            examples.add(Example.newBuilder(e).setEvent(event).build());
        }
        return new FeatureEncoder(SPEC).encode(examples);
    }

    /** Scores of the fresh model, then after one training step on the batch. */
    static float[][] scores(String model) {
        FeatureBatch batch = batch();
        try (OnlineTrainer trainer =
                new OnlineTrainer(
                        model,
                        ModelRegistry.create(model, SPEC),
                        SPEC,
                        TrainerConfig.adam(),
                        Device.cpu())) {
            float[] fresh = trainer.predict(batch);
            trainer.train(batch);
            float[] trained = trainer.predict(batch);
            return new float[][] {fresh, trained};
        }
    }

    /**
     * The parameters in {@code getParameters()} order (the snapshot's order), each as its shape,
     * with {@code *} after an embedding table (a name ending with {@link
     * HashedEmbedding#PARAMETER_NAME}).
     */
    static List<String> parameters(String model) {
        Block block = ModelRegistry.create(model, SPEC);
        try (OnlineTrainer ignored =
                new OnlineTrainer(model, block, SPEC, TrainerConfig.adam(), Device.cpu())) {
            List<String> out = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                out.add(
                        p.getValue().getArray().getShape()
                                + (p.getKey().endsWith(HashedEmbedding.PARAMETER_NAME) ? "*" : ""));
            }
            return out;
        }
    }

    /** model → phase ("fresh", "trained", "parameters") → columns, as recorded. */
    static Map<String, Map<String, List<String>>> recorded() throws IOException {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        try (InputStream in = GoldenScoresTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in)
                    .as("resource %s (record it with -Dgolden.record=true)", RESOURCE)
                    .isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> cols = List.of(line.split("\t"));
                out.computeIfAbsent(cols.get(0), k -> new LinkedHashMap<>())
                        .put(cols.get(1), cols.subList(2, cols.size()));
            }
        }
        return out;
    }

    @Test
    void everyRegisteredModelHasRecordedScores() throws IOException {
        if (Boolean.getBoolean("golden.record")) {
            record();
        }
        assertThat(recorded().keySet()).containsExactlyElementsOf(ModelRegistry.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void scoresAsRecorded(String model) throws IOException {
        Map<String, List<String>> expected = recorded().get(model);
        assertThat(expected).as("%s has recorded scores", model).isNotNull();
        float[][] actual = scores(model);
        for (int phase = 0; phase < 2; phase++) {
            String name = phase == 0 ? "fresh" : "trained";
            List<String> want = expected.get(name);
            assertThat(actual[phase]).as("%s %s", model, name).hasSize(want.size());
            for (int i = 0; i < want.size(); i++) {
                assertThat((double) actual[phase][i])
                        .as("%s %s row %d", model, name, i)
                        .isCloseTo(Double.parseDouble(want.get(i)), within(TOLERANCE));
            }
        }
        // the step must move the scores, or "after one step" would not test the backward pass
        assertThat(actual[1]).as("%s scores after one step", model).isNotEqualTo(actual[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void parametersInTheRecordedOrder(String model) throws IOException {
        assertThat(parameters(model))
                .as("%s parameter shapes in order (* = embedding table)", model)
                .containsExactlyElementsOf(recorded().get(model).get("parameters"));
    }

    private static void record() throws IOException {
        StringBuilder out =
                new StringBuilder(
                        "# model\tfresh|trained\tscores of the 8 rows of GoldenScoresTest.batch();"
                                + " model\tparameters\tshapes in order\n");
        for (String model : ModelRegistry.names()) {
            float[][] s = scores(model);
            for (int phase = 0; phase < 2; phase++) {
                out.append(model).append('\t').append(phase == 0 ? "fresh" : "trained");
                for (float v : s[phase]) {
                    out.append('\t').append(Float.toString(v));
                }
                out.append('\n');
            }
            out.append(model)
                    .append("\tparameters\t")
                    .append(String.join("\t", parameters(model)))
                    .append('\n');
        }
        Files.createDirectories(SOURCE.getParent());
        Files.writeString(SOURCE, out.toString(), StandardCharsets.UTF_8);
        throw new IllegalStateException(
                "recorded " + SOURCE.toAbsolutePath() + "; run again without -Dgolden.record");
    }
}
