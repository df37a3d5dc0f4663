package io.streamctr.model.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TargetStatisticsTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of("site"), List.of("genres"), 4, List.of(), "genres", 6);

    /** Users, items with 2 genres each, a site; the label depends on the item. */
    static List<Example> stream(int n, long seed) {
        Random r = new Random(seed);
        Example[] out = new Example[n];
        for (int i = 0; i < n; i++) {
            int item = r.nextInt(25);
            ClickEvent e =
                    ClickEvent.newBuilder()
                            .setEventId("e" + i)
                            .setUserId("u" + r.nextInt(8))
                            .setItemId("i" + item)
                            .setEventTime(1_000L * i)
                            .setLabel(
                                    r.nextDouble() < 0.05
                                            ? null
                                            : (item % 3 == 0 ^ r.nextDouble() < 0.2 ? 1 : 0))
                            .setCategorical(Map.of("site", "s" + r.nextInt(3)))
                            .setMultiValued(
                                    Map.of("genres", List.of("g" + item % 4, "g" + (4 + item % 3))))
                            .build();
            out[i] = Example.newBuilder().setEvent(e).setHistory(Examples.emptyHistory()).build();
        }
        return List.of(out);
    }

    private static float[] read(TargetStatistics stats, Example e) {
        float[] out = new float[stats.names().size()];
        stats.read(e, out, 0);
        return out;
    }

    @Test
    void namesACountAndARatePerGroup() {
        TargetStatistics stats = new TargetStatistics(SPEC, 16, Double.POSITIVE_INFINITY);
        assertThat(stats.names())
                .containsExactly(
                        "ts.count:user",
                        "ts.rate:user",
                        "ts.count:item",
                        "ts.rate:item",
                        "ts.count:cat:site",
                        "ts.rate:cat:site",
                        "ts.count:multi:genres",
                        "ts.rate:multi:genres",
                        "ts.count:user*side",
                        "ts.rate:user*side");
    }

    /**
     * Without decay each event's statistics are the plain counts over the labelled events before
     * it, as a reference computes them.
     */
    @Test
    void matchesABruteForceReferenceOfTheEventsBefore() {
        List<Example> stream = stream(400, 3);
        TargetStatistics stats = new TargetStatistics(SPEC, 20, Double.POSITIVE_INFINITY);
        for (int i = 0; i < stream.size(); i++) {
            ClickEvent e = stream.get(i).getEvent();
            double n = 0;
            double c = 0;
            double userN = 0;
            double userC = 0;
            double itemN = 0;
            double itemC = 0;
            for (int j = 0; j < i; j++) {
                ClickEvent before = stream.get(j).getEvent();
                if (before.getLabel() == null) {
                    continue;
                }
                n++;
                c += before.getLabel();
                if (before.getUserId().equals(e.getUserId())) {
                    userN++;
                    userC += before.getLabel();
                }
                if (before.getItemId().equals(e.getItemId())) {
                    itemN++;
                    itemC += before.getLabel();
                }
            }
            double p = (c + 1) / (n + 2);
            float[] actual = read(stats, stream.get(i));
            assertThat(stats.prior()).as("prior at %d", i).isCloseTo(p, within(1e-9));
            assertThat(actual[0])
                    .as("user count at %d", i)
                    .isCloseTo((float) Math.log1p(userN), within(1e-5f));
            assertThat(actual[1])
                    .as("user rate at %d", i)
                    .isCloseTo((float) lift(userC, userN, p), within(1e-4f));
            assertThat(actual[2])
                    .as("item count at %d", i)
                    .isCloseTo((float) Math.log1p(itemN), within(1e-5f));
            assertThat(actual[3])
                    .as("item rate at %d", i)
                    .isCloseTo((float) lift(itemC, itemN, p), within(1e-4f));
            stats.update(stream.get(i));
        }
        assertThat(stats.time()).isGreaterThan(300).isLessThan(400);
    }

    private static double lift(double clicks, double count, double p) {
        double rate =
                (clicks + TargetStatistics.SMOOTHING * p) / (count + TargetStatistics.SMOOTHING);
        return Math.log(rate / (1 - rate)) - Math.log(p / (1 - p));
    }

    @Test
    void anEventsOwnLabelAndLaterOnesNeverReachItsStatistics() {
        List<Example> stream = stream(300, 5);
        TargetStatistics stats = new TargetStatistics(SPEC, 16, 50);
        TargetStatistics flipped = new TargetStatistics(SPEC, 16, 50);
        int k = 150;
        for (int i = 0; i < stream.size(); i++) {
            Example e = stream.get(i);
            Example f =
                    i == k
                            ? withLabel(
                                    e,
                                    e.getEvent().getLabel() == null
                                            ? 1
                                            : 1 - e.getEvent().getLabel())
                            : e;
            float[] a = read(stats, e);
            float[] b = read(flipped, f);
            if (i <= k) {
                assertThat(b).as("event %d", i).containsExactly(a);
            }
            stats.update(e);
            flipped.update(f);
        }
        // and it does reach a later event of the same user
        Example later =
                stream.stream()
                        .skip(k + 1)
                        .filter(
                                e ->
                                        e.getEvent()
                                                .getUserId()
                                                .equals(stream.get(k).getEvent().getUserId()))
                        .findFirst()
                        .orElseThrow();
        assertThat(read(flipped, later)).isNotEqualTo(read(stats, later));
    }

    @Test
    void countsDecayWithTheLabelledEventsAfterThem() {
        TargetStatistics stats = new TargetStatistics(SPEC, 16, 10);
        Example a = event("a", "x", 1);
        stats.update(a);
        for (int i = 0; i < 10; i++) {
            stats.update(event("b" + i, "y" + i, 0));
        }
        Example probe = event("a", "z", null);
        assertThat(read(stats, probe)[0]).isCloseTo((float) Math.log1p(0.5), within(1e-5f));
        // unlabelled events do not advance the time
        stats.update(probe);
        assertThat(read(stats, probe)[0]).isCloseTo((float) Math.log1p(0.5), within(1e-5f));
        stats.update(event("a", "x", 0));
        assertThat(read(stats, probe)[0])
                .isCloseTo((float) Math.log1p(1 + 0.5 * Math.pow(2, -0.1)), within(1e-5f));
    }

    @Test
    void snapshotRestoreContinuesIdentically() {
        List<Example> stream = stream(400, 9);
        TargetStatistics original = new TargetStatistics(SPEC, 12, 100);
        for (Example e : stream.subList(0, 200)) {
            original.update(e);
        }
        TargetStatistics restored = new TargetStatistics(SPEC, 12, 100);
        restored.update(stream.get(399)); // state the restore must replace
        restored.restore(original.snapshot());
        assertThat(restored.snapshot()).isEqualTo(original.snapshot());
        for (Example e : stream.subList(200, 400)) {
            assertThat(read(restored, e)).containsExactly(read(original, e));
            original.update(e);
            restored.update(e);
        }
    }

    @Test
    void badSnapshotsAreRejectedAndKeepTheState() {
        TargetStatistics stats = new TargetStatistics(SPEC, 12, 100);
        stream(100, 1).forEach(stats::update);
        byte[] good = stats.snapshot();
        assertThatThrownBy(() -> new TargetStatistics(SPEC, 13, 100).restore(good))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2^12");
        assertThatThrownBy(() -> new TargetStatistics(SPEC, 12, 50).restore(good))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("half-life");
        TargetStatistics other = new TargetStatistics(SPEC, 12, 100);
        other.update(stream(1, 2).get(0));
        byte[] before = other.snapshot();
        assertThatThrownBy(() -> other.restore(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> other.restore(new byte[] {9}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
        assertThat(other.snapshot()).isEqualTo(before);
        assertThatThrownBy(() -> new TargetStatistics(SPEC, 2, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TargetStatistics(SPEC, 12, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void freshFeaturesAppendTheirFieldsAndTheSequenceLengths() {
        FreshFeatures fresh = new FreshFeatures(new TargetStatistics(SPEC, 12, 100), true);
        FeatureSpec extended = fresh.extend(SPEC);
        assertThat(extended.numericFields())
                .hasSize(fresh.count())
                .endsWith("seq.log1p_length:clicked", "seq.log1p_length:non_clicked");
        List<Example> batch = List.of(Examples.random(1, 4).get(0));
        float[] values = fresh.values(batch);
        int clicked = batch.get(0).getHistory().getClicked().getItems().size();
        assertThat(values[fresh.count() - 2]).isCloseTo((float) Math.log1p(clicked), within(1e-6f));
        FeatureBatch encoded = new FeatureEncoder(extended).encode(batch, values);
        assertThat(encoded.numeric).containsExactly(values);
        assertThatThrownBy(() -> fresh.extend(extended))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already");
    }

    @Test
    void withoutValueGroupsKeepsUserItemAndUserSideWithTheSameValues() {
        TargetStatistics all = new TargetStatistics(SPEC, 16, 100);
        TargetStatistics some = new TargetStatistics(SPEC, 16, 100, false);
        assertThat(some.valueGroups()).isFalse();
        assertThat(some.names())
                .containsExactly(
                        "ts.count:user",
                        "ts.rate:user",
                        "ts.count:item",
                        "ts.rate:item",
                        "ts.count:user*side",
                        "ts.rate:user*side");
        for (Example e : stream(200, 5)) {
            float[] a = read(all, e);
            float[] b = read(some, e);
            assertThat(Arrays.copyOfRange(b, 0, 4)).containsExactly(Arrays.copyOfRange(a, 0, 4));
            assertThat(Arrays.copyOfRange(b, 4, 6)).containsExactly(Arrays.copyOfRange(a, 8, 10));
            all.update(e);
            some.update(e);
        }
    }

    /** What the model sees: counts times COUNT_SCALE, rates clipped to ±RATE_CLIP. */
    @Test
    void freshFeaturesScaleTheCountsAndClipTheRates() {
        List<Example> clicks = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            clicks.add(event("u" + i, "i0", i < 3 ? 0 : 1)); // a base rate near 1, then item i0
        }
        for (int i = 0; i < 40; i++) {
            clicks.add(event("v", "rare", 0)); // user v never clicks: a lift far below −3
        }
        TargetStatistics raw = new TargetStatistics(SPEC, 16, Double.POSITIVE_INFINITY);
        FreshFeatures fresh =
                new FreshFeatures(
                        new TargetStatistics(SPEC, 16, Double.POSITIVE_INFINITY, false), false);
        float[] values = fresh.values(clicks);
        int x = fresh.count();
        float minRate = 0;
        for (int i = 0; i < clicks.size(); i++) {
            float[] expected = read(raw, clicks.get(i));
            raw.update(clicks.get(i));
            assertThat(values[i * x])
                    .isCloseTo(expected[0] * FreshFeatures.COUNT_SCALE, within(1e-6f));
            float rate = values[i * x + 1];
            assertThat(rate).isBetween(-FreshFeatures.RATE_CLIP, FreshFeatures.RATE_CLIP);
            if (Math.abs(expected[1]) < FreshFeatures.RATE_CLIP) {
                assertThat(rate).isCloseTo(expected[1], within(1e-6f));
            }
            minRate = Math.min(minRate, rate);
        }
        assertThat(minRate).isEqualTo(-FreshFeatures.RATE_CLIP); // the clip was reached
    }

    private static Example event(String user, String item, Integer label) {
        ClickEvent e =
                ClickEvent.newBuilder()
                        .setEventId(user + item)
                        .setUserId(user)
                        .setItemId(item)
                        .setEventTime(0L)
                        .setLabel(label)
                        .build();
        return Example.newBuilder().setEvent(e).setHistory(Examples.emptyHistory()).build();
    }

    static Example withLabel(Example example, Integer label) {
        ClickEvent e = ClickEvent.newBuilder(example.getEvent()).setLabel(label).build();
        return Example.newBuilder(example).setEvent(e).build();
    }
}
