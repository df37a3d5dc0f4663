package io.streamctr.model.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The fresh learner's snapshot: its own format (trainer + FTRL part + statistics) round-trips, and
 * a plain trainer snapshot written by the code before it (the kept {@code dnn-tiny.snapshot})
 * restores into a learner whose deep inputs match, the FTRL part starting empty.
 */
class DeepLearnerSnapshotTest {

    /** The spec and trainer of SnapshotCompatibilityTest, which wrote the kept snapshot. */
    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    // Adam without a base rate: the trainer snapshot formats 1 and 2, which the kept
    // dnn-tiny.snapshot has
    private static final TrainerConfig CONFIG =
            TrainerConfig.adam().withLearningRates(1e-2f, 5e-2f);
    private static final FreshnessConfig FRESH = FreshnessConfig.defaults().withBits(12, 12);

    @Test
    void aPlainTrainerSnapshotRestoresWithAnEmptyFtrlPart() {
        byte[] plain = resource("dnn-tiny.snapshot");
        Properties expected = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/snapshots/dnn-tiny.properties")) {
            expected.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        float[] scores = floats(expected.getProperty("scores"));
        FreshnessConfig residualOnly = FRESH.withTargetStatistics(false).withSequenceLengths(false);
        try (OnlineLearner learner =
                Learners.create("dnn-tiny", SPEC, CONFIG, "cpu", residualOnly)) {
            learner.process(
                    Examples.random(16, 3)); // state the restore must replace, FTRL part included
            learner.restore(plain);
            assertThat(learner.step()).isEqualTo(3);
            // an empty FTRL part adds nothing (unlabelled, it learns nothing inside the batch): the
            // restored trainer's scores
            List<Example> unlabelled =
                    Examples.random(16, 7).stream()
                            .map(DeepLearnerSnapshotTest::unlabelled)
                            .toList();
            assertThat(learner.process(unlabelled).scores()).containsExactly(scores, within(1e-5f));
            // and labelled, the first event's score is still the trainer's alone
            assertThat(learner.process(Examples.random(16, 7)).scores()[0])
                    .isCloseTo(scores[0], within(1e-5f));
        }
        try (OnlineLearner learner = Learners.create("dnn-tiny", SPEC, CONFIG, "cpu", FRESH)) {
            byte[] before = learner.snapshot();
            assertThatThrownBy(() -> learner.restore(plain))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("only into a learner without target statistics");
            assertThat(learner.snapshot()).isEqualTo(before);
        }
    }

    @Test
    void itsOwnSnapshotContinuesIdentically() {
        List<Example> stream = Examples.random(160, 5);
        try (OnlineLearner original = Learners.create("dnn-tiny", SPEC, CONFIG, "cpu", FRESH);
                OnlineLearner restored =
                        Learners.create("dnn-tiny", SPEC, CONFIG.withSeed(99), "cpu", FRESH)) {
            original.process(stream.subList(0, 64));
            byte[] snapshot = original.snapshot();
            assertThat(snapshot[0]).isEqualTo(DeepLearner.SNAPSHOT_FORMAT);
            restored.process(stream.subList(64, 96));
            restored.restore(snapshot);
            assertThat(restored.snapshot()).isEqualTo(snapshot);
            for (int from = 64; from < 160; from += 32) {
                List<Example> batch = stream.subList(from, from + 32);
                assertThat(restored.process(batch).scores())
                        .containsExactly(original.process(batch).scores());
            }
        }
    }

    @Test
    void theTrainersSnapshotIsItsFirstBlockByteForByte() {
        try (OnlineLearner learner = Learners.create("dnn-tiny", SPEC, CONFIG, "cpu", FRESH)) {
            learner.process(Examples.random(64, 5));
            byte[] snapshot = learner.snapshot();
            byte[] trainer = ((DeepLearner) learner).trainer().snapshot();
            ByteBuffer in = ByteBuffer.wrap(snapshot);
            // format, the three levers' flags, then the trainer's block (int length, bytes)
            assertThat(in.get()).isEqualTo(DeepLearner.SNAPSHOT_FORMAT);
            assertThat(new byte[] {in.get(), in.get(), in.get()}).containsExactly(1, 1, 1);
            assertThat(in.getInt()).isEqualTo(trainer.length);
            assertThat(Arrays.copyOfRange(snapshot, in.position(), in.position() + trainer.length))
                    .isEqualTo(trainer);
        }
    }

    @Test
    void aSnapshotOfOtherLeversOrTruncatedIsRejectedAndTheStateKept() {
        try (OnlineLearner learner = Learners.create("dnn-tiny", SPEC, CONFIG, "cpu", FRESH);
                OnlineLearner other =
                        Learners.create(
                                "dnn-tiny", SPEC, CONFIG, "cpu", FRESH.withResidual(false))) {
            learner.process(Examples.random(32, 1));
            other.process(Examples.random(32, 2));
            byte[] good = learner.snapshot();
            byte[] before = other.snapshot();
            assertThatThrownBy(() -> other.restore(good))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("residual=true");
            assertThatThrownBy(() -> learner.restore(Arrays.copyOf(good, good.length - 5)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> learner.restore(new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(other.snapshot()).isEqualTo(before);
            assertThat(learner.snapshot()).isEqualTo(good);
        }
    }

    @Test
    void withEveryLeverOffTheSnapshotIsTheTrainersOwn() {
        try (OnlineLearner learner =
                Learners.create("dnn-tiny", SPEC, CONFIG, "cpu", FreshnessConfig.off())) {
            learner.process(Examples.random(16, 1));
            assertThat(learner.snapshot()[0]).isEqualTo((byte) 1);
        }
    }

    private static Example unlabelled(Example example) {
        return Example.newBuilder(example)
                .setEvent(
                        io.streamctr.schemas.ClickEvent.newBuilder(example.getEvent())
                                .setLabel(null)
                                .build())
                .build();
    }

    private static float[] floats(String hex) {
        return toFloats(
                Arrays.stream(hex.split(","))
                        .mapToInt(h -> Integer.parseUnsignedInt(h, 16))
                        .toArray());
    }

    private static float[] toFloats(int[] bits) {
        float[] out = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = Float.intBitsToFloat(bits[i]);
        }
        return out;
    }

    private static byte[] resource(String name) {
        try (InputStream in =
                DeepLearnerSnapshotTest.class.getResourceAsStream("/snapshots/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
