package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.nn.Block;
import io.streamctr.model.dnn.DnnConfig;
import io.streamctr.model.dnn.DnnModel;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.model.optfusion.OptFusionModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Snapshots written by earlier trainers restore: each case's snapshot under {@code
 * src/test/resources/snapshots/} was written by the trainer of its time (see {@link
 * #writeResources()}), with a side file of the step, stage and counters, the scores the restored
 * trainer gave on the case's batch, and the loss and scores after one more step on it. A restore
 * must give those back, and a snapshot of the restored trainer must be byte-identical to the
 * resource (parameters and Adam moments restored bit for bit, same format written).
 */
class SnapshotCompatibilityTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    /**
     * The kept snapshots were written with Adam on every parameter and no base rate (formats 1 and
     * 2).
     */
    private static final TrainerConfig CONFIG =
            TrainerConfig.adam().withLearningRates(1e-2f, 5e-2f);

    /**
     * Scores also depend on the CPU's kernels (a restored trainer on another machine); parameters
     * are compared bit for bit.
     */
    private static final float SCORE_TOLERANCE = 1e-6f;

    /**
     * The snapshot cases: a plain model (format 1), an architecture search before and after the
     * freeze (format 2).
     */
    enum Case {
        /** A plain model: snapshot format 1. */
        DNN_TINY("dnn-tiny", () -> new DnnModel(SPEC, DnnConfig.tiny()), 3),
        /**
         * OptFusion while searching: format 2 with an empty architecture and the α/β optimizer's
         * moments.
         */
        OPTFUSION_SOFT_TINY_SEARCH(
                "optfusion-soft-tiny",
                () -> new OptFusionModel(SPEC, OptFusionConfig.tiny(OptFusionConfig.Variant.SOFT)),
                3),
        /**
         * OptFusion frozen by its budget (2 batches) with re-initialized weights, then 2 more
         * steps: the frozen architecture and a weight step offset of 2 (which the step after the
         * restore depends on).
         */
        OPTFUSION_SOFT_TINY_REINIT(
                "optfusion-soft-tiny-reinit",
                () ->
                        new OptFusionModel(
                                SPEC,
                                OptFusionConfig.tiny(OptFusionConfig.Variant.SOFT)
                                        .withSearch(
                                                new SearchSchedule(2L * Case.BATCH, 0.05f, false))),
                4);

        static final int BATCH = 16;

        final String modelName;
        final Supplier<Block> block;
        final int steps;

        Case(String modelName, Supplier<Block> block, int steps) {
            this.modelName = modelName;
            this.block = block;
            this.steps = steps;
        }

        String resource() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        OnlineTrainer newTrainer() {
            return new OnlineTrainer(modelName, block.get(), SPEC, CONFIG, Device.cpu());
        }

        /** The fixed batch the case trains on and is scored on. */
        static FeatureBatch batch() {
            return new FeatureEncoder(SPEC).encode(Examples.random(BATCH, 7));
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void aKeptSnapshotRestoresExactly(Case c) {
        byte[] snapshot = bytes(c.resource() + ".snapshot");
        Properties expected = properties(c.resource() + ".properties");
        FeatureBatch batch = Case.batch();
        try (OnlineTrainer trainer = c.newTrainer()) {
            trainer.train(Case.batch()); // state the restore must overwrite
            trainer.restore(snapshot);

            assertThat(trainer.step()).isEqualTo(Long.parseLong(expected.getProperty("step")));
            assertThat(trainer.skippedSteps())
                    .isEqualTo(Long.parseLong(expected.getProperty("skippedSteps")));
            assertThat(trainer.stage())
                    .isEqualTo(TrainingStage.valueOf(expected.getProperty("stage")));
            assertThat(trainer.searchedEvents())
                    .isEqualTo(Long.parseLong(expected.getProperty("searchedEvents")));
            assertThat(trainer.snapshot())
                    .as("a snapshot of the restored trainer")
                    .isEqualTo(snapshot);
            assertThat(trainer.predict(batch))
                    .containsExactly(
                            floats(expected.getProperty("scores")), within(SCORE_TOLERANCE));

            TrainResult next = trainer.train(batch);
            assertThat(next.step()).isEqualTo(Long.parseLong(expected.getProperty("nextStep")));
            assertThat(next.loss())
                    .isCloseTo(
                            Float.intBitsToFloat(
                                    Integer.parseUnsignedInt(expected.getProperty("nextLoss"), 16)),
                            within(SCORE_TOLERANCE));
            assertThat(trainer.predict(batch))
                    .containsExactly(
                            floats(expected.getProperty("nextScores")), within(SCORE_TOLERANCE));
        }
    }

    @Test
    void theCasesCoverEveryStageAndAWeightStepOffset() {
        assertThat(properties(Case.DNN_TINY.resource() + ".properties").getProperty("stage"))
                .isEqualTo("FIXED");
        assertThat(
                        properties(Case.OPTFUSION_SOFT_TINY_SEARCH.resource() + ".properties")
                                .getProperty("stage"))
                .isEqualTo("SEARCH");
        assertThat(
                        properties(Case.OPTFUSION_SOFT_TINY_REINIT.resource() + ".properties")
                                .getProperty("stage"))
                .isEqualTo("RETRAIN");
        assertThat(bytes(Case.DNN_TINY.resource() + ".snapshot")[0]).isEqualTo((byte) 1);
        assertThat(bytes(Case.OPTFUSION_SOFT_TINY_SEARCH.resource() + ".snapshot")[0])
                .isEqualTo((byte) 2);
    }

    @Test
    void aSnapshotOfAnotherModelIsRejectedWithoutTouchingTheTrainer() {
        byte[] plain = bytes(Case.DNN_TINY.resource() + ".snapshot");
        byte[] search = bytes(Case.OPTFUSION_SOFT_TINY_SEARCH.resource() + ".snapshot");
        try (OnlineTrainer dnn = Case.DNN_TINY.newTrainer();
                OnlineTrainer optFusion = Case.OPTFUSION_SOFT_TINY_SEARCH.newTrainer()) {
            byte[] dnnBefore = dnn.snapshot();
            byte[] optFusionBefore = optFusion.snapshot();
            assertThatThrownBy(() -> optFusion.restore(plain))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model 'dnn-tiny', not 'optfusion-soft-tiny'");
            assertThatThrownBy(() -> optFusion.restore(withName(plain, "optfusion-soft-tiny")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("format 1 is of a model without architecture search");
            assertThatThrownBy(() -> dnn.restore(withName(search, "dnn-tiny")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("format 2 is of a model with architecture search");
            assertThat(dnn.snapshot()).isEqualTo(dnnBefore);
            assertThat(optFusion.snapshot()).isEqualTo(optFusionBefore);
        }
    }

    /**
     * The snapshot with another model name (the name is the modified-UTF-8 string after the version
     * byte).
     */
    private static byte[] withName(byte[] snapshot, String name) {
        int oldLength = ((snapshot[1] & 0xff) << 8) | (snapshot[2] & 0xff);
        byte[] encoded = name.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[snapshot.length - oldLength + encoded.length];
        out[0] = snapshot[0];
        out[1] = (byte) (encoded.length >> 8);
        out[2] = (byte) encoded.length;
        System.arraycopy(encoded, 0, out, 3, encoded.length);
        System.arraycopy(
                snapshot, 3 + oldLength, out, 3 + encoded.length, snapshot.length - 3 - oldLength);
        return out;
    }

    /**
     * Writes the resources: {@code mvn -pl model -am test -Dtest=SnapshotCompatibilityTest
     * -Dstreamctr.snapshots.write=$PWD/model/src/test/resources/snapshots}. Only for a new format:
     * the kept snapshots are the old trainers' bytes, which the codec must keep reading.
     */
    @Test
    @EnabledIfSystemProperty(named = "streamctr.snapshots.write", matches = ".+")
    void writeResources() throws IOException {
        Path dir = Path.of(System.getProperty("streamctr.snapshots.write"));
        Files.createDirectories(dir);
        for (Case c : Case.values()) {
            byte[] snapshot;
            try (OnlineTrainer trainer = c.newTrainer()) {
                for (int i = 0; i < c.steps; i++) {
                    trainer.train(Case.batch());
                }
                snapshot = trainer.snapshot();
            }
            Properties p = new Properties();
            try (OnlineTrainer restored = c.newTrainer()) {
                restored.restore(snapshot);
                FeatureBatch batch = Case.batch();
                p.setProperty("model", c.modelName);
                p.setProperty("step", Long.toString(restored.step()));
                p.setProperty("skippedSteps", Long.toString(restored.skippedSteps()));
                p.setProperty("stage", restored.stage().name());
                p.setProperty("searchedEvents", Long.toString(restored.searchedEvents()));
                p.setProperty("scores", hex(restored.predict(batch)));
                TrainResult next = restored.train(batch);
                p.setProperty("nextStep", Long.toString(next.step()));
                p.setProperty(
                        "nextLoss", Integer.toHexString(Float.floatToRawIntBits(next.loss())));
                p.setProperty("nextScores", hex(restored.predict(batch)));
            }
            Files.write(dir.resolve(c.resource() + ".snapshot"), snapshot);
            try (Writer out =
                    Files.newBufferedWriter(
                            dir.resolve(c.resource() + ".properties"), StandardCharsets.UTF_8)) {
                p.store(
                        out,
                        "restore of " + c.resource() + ".snapshot; floats as IEEE-754 bits in hex");
            }
        }
    }

    private static String hex(float[] values) {
        StringBuilder s = new StringBuilder();
        for (float v : values) {
            s.append(s.length() == 0 ? "" : ",")
                    .append(Integer.toHexString(Float.floatToRawIntBits(v)));
        }
        return s.toString();
    }

    private static float[] floats(String hex) {
        return toFloats(
                Arrays.stream(hex.split(","))
                        .mapToInt(h -> Integer.parseUnsignedInt(h, 16))
                        .toArray());
    }

    private static float[] toFloats(int[] bits) {
        float[] values = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            values[i] = Float.intBitsToFloat(bits[i]);
        }
        return values;
    }

    private static byte[] bytes(String resource) {
        try (InputStream in =
                SnapshotCompatibilityTest.class.getResourceAsStream("/snapshots/" + resource)) {
            assertThat(in).as("resource snapshots/" + resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties(String resource) {
        Properties p = new Properties();
        try (Reader in =
                new java.io.InputStreamReader(
                        new java.io.ByteArrayInputStream(bytes(resource)),
                        StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
