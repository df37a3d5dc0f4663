package io.streamctr.model.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packages written by an earlier release (kept under {@code src/test/resources/packages/}) load in
 * this one and score the fixed batch as they did when written: a change of the package format, of a
 * config record's JSON or of a snapshot layout that breaks old packages shows up here.
 *
 * <p>{@code dnn-tiny-v1}: format version 1, written by 0.1.0-SNAPSHOT (issue 15): dnn-tiny on
 * {@link PackageFixtures#SPEC} with every freshness lever, trained on three batches. To write the
 * packages of a new format version (never over an old one), run with {@code -Dpackage.record=true}
 * from the model module's directory and keep the old folders.
 */
class KeptPackageTest {

    private static final Path SOURCE = Path.of("src/test/resources/packages");

    /** The scores are compared within this; the same build reproduces them bit for bit. */
    private static final double TOLERANCE = 1e-6;

    @Test
    void dnnTinyOfFormatVersion1LoadsAndScoresAsWhenWritten() throws Exception {
        check("dnn-tiny-v1", "dnn-tiny", 3);
    }

    @Test
    void ftrlOfFormatVersion1LoadsAndScoresAsWhenWritten() throws Exception {
        check("ftrl-v1", "ftrl", 96);
    }

    private void check(String name, String model, long step) throws Exception {
        if (Boolean.getBoolean("package.record")) {
            record(name, model);
        }
        Path dir = resource(name);
        float[] expected = scores(Files.readString(resource(name + ".scores")));
        List<Example> fixed = PackageFixtures.examples(16, 7);
        try (ModelPackage loaded = ModelPackage.load(dir, "cpu")) {
            assertThat(loaded.manifest().formatVersion()).isEqualTo(1);
            assertThat(loaded.manifest().model()).isEqualTo(model);
            assertThat(loaded.manifest().featureSpec()).isEqualTo(PackageFixtures.SPEC);
            assertThat(loaded.scorer().version()).isEqualTo(step);
            float[] actual = loaded.scorer().score(fixed);
            assertThat(actual).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual[i])
                        .as("row %d", i)
                        .isCloseTo(expected[i], within(TOLERANCE));
            }
            // and it is what it was exported from: a learner trained the same way now (with the
            // levers and trainer of the package's release: a later default, e.g. the deep weight
            // or the dense learning rate, differs)
            FreshnessConfig then = loaded.manifest().freshness();
            TrainerConfig trainer = loaded.manifest().trainer();
            try (OnlineLearner now =
                    PackageFixtures.trained(
                            model,
                            then == null ? PackageFixtures.FRESH : then,
                            trainer == null ? PackageFixtures.TRAINER : trainer)) {
                assertThat(now.score(fixed)).containsExactly(actual);
            }
        }
    }

    private static void record(String name, String model) throws IOException {
        try (OnlineLearner learner = PackageFixtures.trained(model)) {
            ModelPackage.save(learner, SOURCE.resolve(name));
            float[] s = learner.score(PackageFixtures.examples(16, 7));
            StringBuilder out = new StringBuilder();
            for (float v : s) {
                out.append(Float.toString(v)).append('\n');
            }
            Files.writeString(SOURCE.resolve(name + ".scores"), out.toString());
        }
    }

    private Path resource(String name) throws URISyntaxException {
        var url = getClass().getResource("/packages/" + name);
        assertThat(url).as("test resource packages/%s", name).isNotNull();
        return Path.of(url.toURI());
    }

    private static float[] scores(String text) {
        String[] lines = text.strip().split("\n");
        float[] out = new float[lines.length];
        for (int i = 0; i < lines.length; i++) {
            out[i] = Float.parseFloat(lines[i]);
        }
        return out;
    }
}
