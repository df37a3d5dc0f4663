package io.streamctr.model.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 18: a deep learner that scores a batch with its training forward (one pass) gives the
 * scores, steps and state of one that scores with a separate inference forward (two passes), bit
 * for bit, for every selectable deep model, with the freshness levers on (residual FTRL, joint
 * training, deep weight) and off, over batches fully, partly and not labelled.
 */
class OnePassTest {

    private static final FeatureSpec SPEC = FreshWithinBatchTest.spec();
    private static final TrainerConfig TRAINER = TrainerConfig.defaults().withSeed(5);
    private static final FreshnessConfig FRESH = FreshnessConfig.defaults().withBits(12, 12);

    static Stream<String> deepLearners() {
        return FreshWithinBatchTest.learners().filter(n -> !n.equals("ftrl"));
    }

    @ParameterizedTest
    @MethodSource("deepLearners")
    void onePassScoresAndTrainsAsTwoPassesWithFreshness(String model) {
        compare(model, FRESH);
    }

    @ParameterizedTest
    @MethodSource("deepLearners")
    void onePassScoresAndTrainsAsTwoPassesWithoutFreshness(String model) {
        compare(model, FreshnessConfig.off());
    }

    private static void compare(String model, FreshnessConfig fresh) {
        try (DeepLearner one = learner(model, fresh);
                DeepLearner two = learner(model, fresh)) {
            assertThat(one.trainer().onePassExact()).as("%s: one pass is exact", model).isTrue();
            two.trainer().onePass(false);
            List<List<Example>> batches =
                    List.of(
                            FreshWithinBatchTest.stream(64, 1),
                            unlabelled(FreshWithinBatchTest.stream(48, 2), 3),
                            unlabelled(FreshWithinBatchTest.stream(32, 3), 1),
                            FreshWithinBatchTest.stream(64, 4));
            for (int b = 0; b < batches.size(); b++) {
                LearnedBatch a = one.process(batches.get(b));
                LearnedBatch c = two.process(batches.get(b));
                assertThat(a.scores()).as("%s: scores of batch %d", model, b).isEqualTo(c.scores());
                assertThat(Float.floatToIntBits(a.loss()))
                        .as("%s: loss of batch %d", model, b)
                        .isEqualTo(Float.floatToIntBits(c.loss()));
                assertThat(one.step())
                        .as("%s: step after batch %d", model, b)
                        .isEqualTo(two.step());
            }
            assertThat(one.step()).as("%s: the unlabelled batch makes no step", model).isEqualTo(3);
            assertThat(one.snapshot()).as("%s: state", model).isEqualTo(two.snapshot());
            float[] probe = one.score(FreshWithinBatchTest.stream(16, 9));
            assertThat(probe).isEqualTo(two.score(FreshWithinBatchTest.stream(16, 9)));
        }
    }

    private static DeepLearner learner(String model, FreshnessConfig fresh) {
        return (DeepLearner) Learners.create(model, SPEC, TRAINER, "cpu", fresh);
    }

    /** The batch with every {@code every}-th event's label removed (all of them for 1). */
    private static List<Example> unlabelled(List<Example> batch, int every) {
        List<Example> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Example e = batch.get(i);
            out.add(
                    i % every != 0
                            ? e
                            : Example.newBuilder(e)
                                    .setEvent(
                                            ClickEvent.newBuilder(e.getEvent())
                                                    .setLabel(null)
                                                    .build())
                                    .build());
        }
        return out;
    }
}
