package io.streamctr.model.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.features.StableHash;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 21's freshness contract, brute force inside one batch of a few hundred events, for every
 * selectable learner: changing the label of an earlier event of the same user (or of the same item)
 * changes event i's score; changing event i's own label, or a later event's, changes no score up to
 * i. The paper-size InterFormers (15–40 s each on a 2-core CPU, all 30 learners about 3 minutes)
 * run only with {@code -Dstreamctr.test.paper-size=true}; {@code interformer-tiny} and its
 * ablations run the same code path by default.
 */
class FreshWithinBatchTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(
                    4, 64, List.of("site"), List.of("genres"), 4, List.of("price"), "genres", 6);
    private static final TrainerConfig TRAINER = TrainerConfig.defaults().withSeed(11);
    private static final FreshnessConfig FRESH = FreshnessConfig.defaults().withBits(12, 12);
    private static final int EVENTS = 240;

    /** Positions whose label is flipped: each must leave every score up to it unchanged. */
    private static final int[] FLIPS = {0, 37, 120, 199, 239};

    /** The slow paper-size models: their tiny configurations cover the same learner. */
    private static final Set<String> PAPER_SIZE =
            Set.of(
                    "interformer",
                    "interformer-sole",
                    "interformer-sep",
                    "interformer-n2s",
                    "interformer-s2n");

    /** Every learner; the paper-size ones only with {@code -Dstreamctr.test.paper-size=true}. */
    static Stream<String> learners() {
        boolean all = Boolean.getBoolean("streamctr.test.paper-size");
        return Learners.names().stream().filter(n -> all || !PAPER_SIZE.contains(n));
    }

    /** The spec of these tests' streams ({@link #stream}). */
    static FeatureSpec spec() {
        return SPEC;
    }

    @Test
    void everyPaperSizeModelHasATinyOrBaselineStandIn() {
        assertThat(Learners.names()).containsAll(PAPER_SIZE);
        assertThat(learners())
                .contains(
                        "ftrl",
                        "dnn",
                        "dcnv2",
                        "deepfm",
                        "optfusion-soft",
                        "din",
                        "interformer-tiny",
                        "interformer-tiny-sole",
                        "interformer-tiny-sep",
                        "interformer-tiny-n2s",
                        "interformer-tiny-s2n");
    }

    @ParameterizedTest
    @MethodSource("learners")
    void eachScoreSeesTheLabelsBeforeItInTheBatchAndNoOther(String model) {
        check(model, FRESH);
    }

    @Test
    void eachLeverAloneMakesTheDeepModelFresh() {
        check("dnn-tiny", FRESH.withTargetStatistics(false).withSequenceLengths(false));
        check("dnn-tiny", FRESH.withResidual(false));
        check("dnn-tiny", FRESH.withDeepWeight(false));
        check("dnn-tiny", FRESH.withJointTraining(false));
    }

    private static void check(String model, FreshnessConfig fresh) {
        List<Example> batch = stream(EVENTS, 5);
        float[] scores = scores(model, fresh, batch);
        for (int k : FLIPS) {
            float[] flipped = scores(model, fresh, flip(batch, k));
            for (int i = 0; i <= k; i++) {
                assertThat(flipped[i])
                        .as("%s: score %d after flipping the label of event %d", model, i, k)
                        .isEqualTo(scores[i]);
            }
        }
        // the latest event with an earlier event of the same user, and one with an earlier event of
        // the same item
        int i = EVENTS - 1;
        int sameUser = previous(batch, i, e -> e.getUserId());
        assertThat(scores(model, fresh, flip(batch, sameUser))[i])
                .as("%s: score %d after flipping event %d of the same user", model, i, sameUser)
                .isNotEqualTo(scores[i]);
        int j = EVENTS - 2;
        int sameItem = previous(batch, j, e -> e.getItemId());
        assertThat(scores(model, fresh, flip(batch, sameItem))[j])
                .as("%s: score %d after flipping event %d of the same item", model, j, sameItem)
                .isNotEqualTo(scores[j]);
    }

    private static int previous(
            List<Example> batch, int i, java.util.function.Function<ClickEvent, CharSequence> key) {
        CharSequence value = key.apply(batch.get(i).getEvent());
        for (int j = i - 1; j >= 0; j--) {
            if (key.apply(batch.get(j).getEvent()).toString().contentEquals(value)) {
                return j;
            }
        }
        throw new AssertionError("no earlier event shares " + value);
    }

    private static float[] scores(String model, FreshnessConfig fresh, List<Example> batch) {
        try (OnlineLearner learner = Learners.create(model, SPEC, TRAINER, "cpu", fresh)) {
            learner.process(stream(64, 99)); // one batch learned before: trained weights
            return learner.process(batch).scores();
        }
    }

    private static List<Example> flip(List<Example> batch, int k) {
        List<Example> out = new ArrayList<>(batch);
        ClickEvent e = batch.get(k).getEvent();
        ClickEvent flipped = ClickEvent.newBuilder(e).setLabel(1 - e.getLabel()).build();
        out.set(k, Example.newBuilder(batch.get(k)).setEvent(flipped).build());
        return out;
    }

    /**
     * A burst-like stream: few users and items, so events share them inside the batch; every event
     * labelled; the sequences as the enricher builds them from fixed history (not from the labels
     * in the batch, which the enricher would put in the next events' sequences only).
     */
    static List<Example> stream(int n, long seed) {
        Random r = new Random(seed);
        Map<String, UserHistory> histories = new HashMap<>();
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String user = "u" + r.nextInt(6);
            int item = r.nextInt(15);
            ClickEvent e =
                    ClickEvent.newBuilder()
                            .setEventId("e" + seed + "-" + i)
                            .setUserId(user)
                            .setItemId("i" + item)
                            .setEventTime(1_000L * i)
                            .setLabel(item % 3 == 0 ^ r.nextDouble() < 0.2 ? 1 : 0)
                            .setCategorical(Map.of("site", "s" + r.nextInt(3)))
                            .setNumeric(Map.of("price", (float) r.nextDouble()))
                            .setMultiValued(
                                    Map.of("genres", List.of("g" + item % 4, "g" + (4 + item % 3))))
                            .build();
            UserHistory h = histories.computeIfAbsent(user, u -> history(new Random(u.hashCode())));
            out.add(Example.newBuilder().setEvent(e).setHistory(h).build());
        }
        return out;
    }

    private static UserHistory history(Random r) {
        return UserHistory.newBuilder()
                .setClicked(sequence(r, 1 + r.nextInt(5)))
                .setNonClicked(sequence(r, r.nextInt(4)))
                .setLastEventTime(0L)
                .build();
    }

    private static BehaviourSequence sequence(Random r, int length) {
        List<Integer> items = new ArrayList<>();
        List<Integer> sides = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            items.add(StableHash.hash("i" + r.nextInt(15)));
            sides.add(r.nextInt());
            times.add((long) i);
        }
        return BehaviourSequence.newBuilder()
                .setItems(items)
                .setSides(sides)
                .setTimes(times)
                .build();
    }
}
