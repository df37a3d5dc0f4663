package io.streamctr.flink.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The label join of issue 16 in the enricher, on RocksDB: impressions scored at once, clicks joined
 * within the attribution window (event time, closed by watermarks), late, unknown and duplicate
 * clicks, and a snapshot taken while windows are open.
 */
class LabelJoinHarnessTest {

    private static final long W = 60_000; // the attribution window
    private static final long T = 1_000_000; // the first impression's time

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> harness(
            TrainOn trainOn) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new SequenceEnricher(
                                        "genres",
                                        5,
                                        Duration.ofDays(1),
                                        "ctr.events",
                                        Set.of(),
                                        RecordFormat.AVRO,
                                        new DelayedLabelConfig(
                                                Duration.ofMillis(W),
                                                trainOn,
                                                LateClicks.DEAD_LETTER))),
                        ClickEvent::getUserId,
                        Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static ClickEvent impression(String id, String item, long time) {
        return ClickEvent.newBuilder(TestExamples.events(1, 0).get(0))
                .setEventId(id)
                .setUserId("u")
                .setItemId(item)
                .setEventTime(time)
                .setLabel(null)
                .setKind(EventKind.IMPRESSION)
                .build();
    }

    private static ClickEvent click(String impressionId, long time) {
        return ClickEvent.newBuilder(TestExamples.events(1, 0).get(0))
                .setEventId("click-" + impressionId + "-" + time)
                .setUserId("u")
                .setItemId("clicked")
                .setEventTime(time)
                .setLabel(null)
                .setKind(EventKind.CLICK)
                .setImpressionId(impressionId)
                .build();
    }

    /** What the enricher emitted since the last call: to be scored (label null) or trained. */
    private static List<Example> drain(
            KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> h) {
        List<Example> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((Example) r.getValue());
            }
        }
        h.getOutput().clear();
        return out;
    }

    private static List<String> deadLetters(
            KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> h) {
        var side = h.getSideOutput(SequenceEnricher.LABEL_JOIN);
        if (side == null) {
            return List.of();
        }
        return side.stream().map(r -> ((DeadLetter) r.getValue()).getReason()).toList();
    }

    private static String labels(List<Example> out) {
        StringBuilder s = new StringBuilder();
        for (Example x : out) {
            s.append(x.getEvent().getEventId())
                    .append('=')
                    .append(x.getEvent().getLabel() == null ? "?" : x.getEvent().getLabel())
                    .append(' ');
        }
        return s.toString().trim();
    }

    @Test
    void aClickWithinTheWindowIsTrainedAtOnceInClickModeWithTheHistoryAsScored() throws Exception {
        try (var h = harness(TrainOn.CLICK)) {
            h.open();
            h.processElement(new StreamRecord<>(impression("i1", "a", T)));
            List<Example> scored = drain(h);
            assertThat(labels(scored)).isEqualTo("i1=?");

            h.processElement(new StreamRecord<>(click("i1", T + 30_000)));
            List<Example> trained = drain(h);
            assertThat(labels(trained)).isEqualTo("i1=1");
            assertThat(trained.get(0).getHistory()).isEqualTo(scored.get(0).getHistory());

            // the click extended the clicked sequence at the click's time
            h.processElement(new StreamRecord<>(impression("i2", "b", T + 40_000)));
            Example next = drain(h).get(0);
            assertThat(next.getHistory().getClicked().getItems())
                    .containsExactly(StableHash.hash("a"));
            assertThat(next.getHistory().getClicked().getTimes()).containsExactly(T + 30_000);

            h.processWatermark(T + W); // i1's window closes: trained already, nothing more
            assertThat(labels(drain(h))).isEmpty();
            h.processWatermark(T + 40_000 + W); // i2: no click, a negative
            assertThat(labels(drain(h))).isEqualTo("i2=0");
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void windowCloseModeTrainsBothLabelsWhenTheWindowCloses() throws Exception {
        try (var h = harness(TrainOn.WINDOW_CLOSE)) {
            h.open();
            h.processElement(new StreamRecord<>(impression("i1", "a", T)));
            h.processElement(new StreamRecord<>(impression("i2", "b", T + 1)));
            h.processElement(new StreamRecord<>(click("i1", T + 5_000)));
            assertThat(labels(drain(h))).isEqualTo("i1=? i2=?");

            h.processWatermark(T + W - 1);
            assertThat(drain(h)).isEmpty();
            h.processWatermark(T + W + 1);
            assertThat(labels(drain(h))).isEqualTo("i1=1 i2=0");
        }
    }

    @Test
    void aClickAtTheWindowsEndCountsAndOneAfterItIsALateDeadLetter() throws Exception {
        try (var h = harness(TrainOn.CLICK)) {
            h.open();
            h.processElement(new StreamRecord<>(impression("i1", "a", T)));
            h.processElement(new StreamRecord<>(impression("i2", "b", T)));
            drain(h);
            h.processElement(new StreamRecord<>(click("i1", T + W)));
            assertThat(labels(drain(h))).isEqualTo("i1=1");
            h.processElement(new StreamRecord<>(click("i2", T + W + 1)));
            assertThat(drain(h)).isEmpty();
            assertThat(deadLetters(h))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r)
                                            .startsWith("late click on impression i2")
                                            .contains("after the attribution window's end"));

            h.processWatermark(T + W);
            assertThat(labels(drain(h))).isEqualTo("i2=0"); // the late click changes nothing
        }
    }

    @Test
    void aClickArrivingAfterItsWindowClosedIsLateAndLaterStillUnknown() throws Exception {
        try (var h = harness(TrainOn.CLICK)) {
            h.open();
            h.processElement(new StreamRecord<>(impression("i1", "a", T)));
            h.processWatermark(T + W);
            assertThat(labels(drain(h))).isEqualTo("i1=? i1=0");

            // in the window by its time, but beyond the out-of-orderness: the negative stands
            h.processElement(new StreamRecord<>(click("i1", T + W - 10)));
            assertThat(drain(h)).isEmpty();
            assertThat(deadLetters(h).get(0)).contains("arrived after the attribution window");

            h.processWatermark(T + 2 * W); // the tombstone goes
            h.processElement(new StreamRecord<>(click("i1", T + 2 * W)));
            assertThat(deadLetters(h)).hasSize(2);
            assertThat(deadLetters(h).get(1)).startsWith("click on impression i1 that user u");
        }
    }

    @Test
    void aClickWithoutImpressionIsADeadLetterAndADuplicateIsTrainedOnce() throws Exception {
        try (var h = harness(TrainOn.CLICK)) {
            h.open();
            h.processElement(new StreamRecord<>(click("nope", T)));
            assertThat(drain(h)).isEmpty();
            assertThat(deadLetters(h))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r)
                                            .startsWith(
                                                    "click on impression nope that user u does"
                                                            + " not have: never seen"));

            h.processElement(new StreamRecord<>(impression("i1", "a", T)));
            h.processElement(new StreamRecord<>(click("i1", T + 10)));
            h.processElement(new StreamRecord<>(click("i1", T + 20)));
            h.processWatermark(T + W);
            List<Example> out = drain(h);
            assertThat(labels(out)).isEqualTo("i1=? i1=1");
            assertThat(deadLetters(h)).hasSize(1);

            // and the clicked sequence has the item once
            h.processElement(new StreamRecord<>(impression("i2", "b", T + W + 1)));
            assertThat(drain(h).get(0).getHistory().getClicked().getItems())
                    .containsExactly(StableHash.hash("a"));
        }
    }

    @Test
    void aDuplicateImpressionIsADeadLetterAndNotScoredTwice() throws Exception {
        try (var h = harness(TrainOn.CLICK)) {
            h.open();
            h.processElement(new StreamRecord<>(impression("i1", "a", T)));
            h.processElement(new StreamRecord<>(impression("i1", "a", T + 1)));
            assertThat(labels(drain(h))).isEqualTo("i1=?");
            assertThat(deadLetters(h).get(0)).startsWith("duplicate impression: id i1");
        }
    }

    @Test
    void anOutOfOrderClickWithinTheBoundIsJoined() throws Exception {
        try (var h = harness(TrainOn.WINDOW_CLOSE)) {
            h.open();
            h.processElement(new StreamRecord<>(impression("i1", "a", T)));
            // a later impression first; the watermark (5 s bound) is still before i1's end
            h.processElement(new StreamRecord<>(impression("i2", "b", T + W + 3_000)));
            h.processWatermark(T + W + 3_000 - 5_000 - 1);
            h.processElement(new StreamRecord<>(click("i1", T + W - 100)));
            assertThat(labels(drain(h))).isEqualTo("i1=? i2=?");

            h.processWatermark(T + W + 1);
            assertThat(labels(drain(h))).isEqualTo("i1=1");
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void aSnapshotWithOpenWindowsRestoresThemAndTheirClicks() throws Exception {
        OperatorSubtaskState snapshot;
        List<Example> scored;
        try (var h = harness(TrainOn.CLICK)) {
            h.open();
            h.processElement(new StreamRecord<>(impression("i1", "a", T)));
            h.processElement(new StreamRecord<>(impression("i2", "b", T + 1_000)));
            h.processElement(new StreamRecord<>(impression("i3", "c", T + 2_000)));
            h.processElement(new StreamRecord<>(click("i3", T + 3_000)));
            scored = drain(h);
            assertThat(labels(scored)).isEqualTo("i1=? i2=? i3=? i3=1");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(TrainOn.CLICK)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new StreamRecord<>(click("i1", T + 10_000)));
            h.processElement(new StreamRecord<>(click("i3", T + 11_000))); // a duplicate
            h.processWatermark(T + 2_000 + W);
            List<Example> out = drain(h);
            assertThat(labels(out)).isEqualTo("i1=1 i2=0");
            assertThat(out.get(0).getHistory()).isEqualTo(scored.get(0).getHistory());
            assertThat(deadLetters(h)).isEmpty();
        }
    }
}
