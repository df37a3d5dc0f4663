package io.streamctr.flink.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.flink.TestExamples;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SequenceEnricherHarnessTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> harness()
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new SequenceEnricher("genres", 3, Duration.ofDays(1))),
                        ClickEvent::getUserId,
                        Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static List<Example> feed(
            KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> h,
            List<ClickEvent> events)
            throws Exception {
        h.getOutput().clear();
        for (ClickEvent e : events) {
            h.processElement(new StreamRecord<>(e));
        }
        List<Example> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            out.add((Example) ((StreamRecord<?>) o).getValue());
        }
        return out;
    }

    private static ClickEvent event(String id, String user, String item, int label) {
        return ClickEvent.newBuilder(TestExamples.events(1, 0).get(0))
                .setEventId(id)
                .setUserId(user)
                .setItemId(item)
                .setLabel(label)
                .build();
    }

    @Test
    void emitsTheHistoryBeforeTheEventThenAppendsIt() throws Exception {
        try (var h = harness()) {
            h.open();
            List<Example> out =
                    feed(
                            h,
                            List.of(
                                    event("1", "alice", "a", 1),
                                    event("2", "alice", "b", 0),
                                    event("3", "bob", "c", 1),
                                    event("4", "alice", "d", 1)));
            assertThat(out.get(0).getHistory().getClicked().getItems()).isEmpty();
            assertThat(out.get(1).getHistory().getClicked().getItems())
                    .containsExactly(StableHash.hash("a"));
            assertThat(out.get(2).getHistory().getClicked().getItems())
                    .isEmpty(); // bob has his own state
            assertThat(out.get(3).getHistory().getClicked().getItems())
                    .containsExactly(StableHash.hash("a"));
            assertThat(out.get(3).getHistory().getNonClicked().getItems())
                    .containsExactly(StableHash.hash("b"));
        }
    }

    @Test
    void contextOnlyEventsExtendTheSequencesButMakeNoExample() throws Exception {
        var enricher =
                new SequenceEnricher(
                        "genres", 3, Duration.ofDays(1), "ctr.events", List.of("history"));
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(enricher),
                        ClickEvent::getUserId,
                        Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            ClickEvent seen =
                    ClickEvent.newBuilder(event("h1", "u", "a", 1))
                            .setActionType("history")
                            .build();
            List<Example> out =
                    feed(
                            h,
                            List.of(
                                    seen,
                                    ClickEvent.newBuilder(event("i1", "u", "b", 0))
                                            .setActionType("impression")
                                            .build()));
            assertThat(out).extracting(x -> x.getEvent().getEventId()).containsExactly("i1");
            assertThat(out.get(0).getHistory().getClicked().getItems())
                    .containsExactly(StableHash.hash("a"));
        }
    }

    @Test
    void sendsAnOutOfOrderEventToTheDeadLettersAndKeepsTheState() throws Exception {
        try (var h = harness()) {
            h.open();
            ClickEvent late =
                    ClickEvent.newBuilder(event("2", "u", "b", 1)).setEventTime(500L).build();
            List<Example> out =
                    feed(
                            h,
                            List.of(
                                    ClickEvent.newBuilder(event("1", "u", "a", 1))
                                            .setEventTime(1_000L)
                                            .build(),
                                    late,
                                    ClickEvent.newBuilder(event("3", "u", "c", 1))
                                            .setEventTime(1_000L)
                                            .build()));
            assertThat(out).extracting(x -> x.getEvent().getEventId()).containsExactly("1", "3");
            assertThat(out.get(1).getHistory().getClicked().getItems())
                    .containsExactly(StableHash.hash("a"));
            var dead = h.getSideOutput(SequenceEnricher.OUT_OF_ORDER);
            assertThat(dead).hasSize(1);
            assertThat(dead.peek().getValue().getReason())
                    .startsWith("out of order for user")
                    .contains("event 2");
        }
    }

    @Test
    void keepsTheMostRecentItemsOnly() throws Exception {
        try (var h = harness()) {
            h.open();
            List<Example> out =
                    feed(
                            h,
                            List.of(
                                    event("1", "u", "a", 1),
                                    event("2", "u", "b", 1),
                                    event("3", "u", "c", 1),
                                    event("4", "u", "d", 1),
                                    event("5", "u", "e", 1)));
            assertThat(out.get(4).getHistory().getClicked().getItems())
                    .containsExactly(
                            StableHash.hash("b"), StableHash.hash("c"), StableHash.hash("d"));
        }
    }

    /**
     * Brute force over a replayed MovieLens slice: each example's sequences must be exactly the
     * user's earlier events (split by label, last L), so the event's own label never reaches its
     * own features.
     */
    @Test
    void neverLeaksAnEventsLabelIntoItsOwnFeatures() throws Exception {
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), 5_000);
        List<Example> out;
        try (var h = harness()) {
            h.open();
            out = feed(h, events);
        }
        assertThat(out).hasSize(events.size());
        Map<String, List<ClickEvent>> earlier = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            ClickEvent e = events.get(i);
            Example x = out.get(i);
            assertThat(x.getEvent().getEventId()).isEqualTo(e.getEventId());
            List<ClickEvent> before =
                    earlier.computeIfAbsent(e.getUserId(), u -> new ArrayList<>());
            assertThat(x.getHistory().getClicked().getItems()).isEqualTo(lastItems(before, 1, 3));
            assertThat(x.getHistory().getNonClicked().getItems())
                    .isEqualTo(lastItems(before, 0, 3));
            assertThat(x.getHistory().getClicked().getTimes()).allMatch(t -> t <= e.getEventTime());
            before.add(e);
        }
    }

    private static List<Integer> lastItems(List<ClickEvent> events, int label, int max) {
        List<Integer> items =
                events.stream()
                        .filter(e -> e.getLabel() == label)
                        .map(e -> StableHash.hash(e.getItemId()))
                        .toList();
        return items.subList(Math.max(0, items.size() - max), items.size());
    }

    @Test
    void sequencesSurviveSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            feed(h, List.of(event("1", "u", "a", 1), event("2", "u", "b", 0)));
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            Example next = feed(restored, List.of(event("3", "u", "c", 1))).get(0);
            assertThat(next.getHistory().getClicked().getItems())
                    .containsExactly(StableHash.hash("a"));
            assertThat(next.getHistory().getNonClicked().getItems())
                    .containsExactly(StableHash.hash("b"));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> expiring(
            SequenceExpiry expiry) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new SequenceEnricher(
                                        "genres",
                                        3,
                                        Duration.ofDays(30),
                                        "ctr.events",
                                        List.of(),
                                        RecordFormat.AVRO,
                                        DelayedLabelConfig.DEFAULT,
                                        expiry)),
                        ClickEvent::getUserId,
                        Types.STRING);
        // the heap backend: it counts its entries (RocksDB's harness cannot)

        return h;
    }

    private static ClickEvent at(String id, String user, String item, long time) {
        return ClickEvent.newBuilder(event(id, user, item, 1)).setEventTime(time).build();
    }

    /**
     * Issue 16: with event-time expiry a replay of old data (years of event time in seconds of wall
     * clock) forgets a user after the TTL without an event; on processing time it keeps all.
     */
    @Test
    void sequencesExpireByEventTimeInAReplayOfOldData() throws Exception {
        long day = 24L * 3600 * 1000;
        long t0 = 964_982_703_000L; // July 2000
        for (SequenceExpiry expiry : SequenceExpiry.values()) {
            try (var h = expiring(expiry)) {
                h.open();
                h.processElement(new StreamRecord<>(at("1", "alice", "a", t0)));
                h.processElement(new StreamRecord<>(at("2", "bob", "b", t0 + 10 * day)));
                h.processWatermark(t0 + 29 * day);
                assertThat(h.numKeyedStateEntries()).as(expiry + ": both users").isEqualTo(2);
                h.processElement(new StreamRecord<>(at("3", "bob", "c", t0 + 31 * day)));
                h.processWatermark(t0 + 31 * day); // alice: 31 days without an event

                boolean eventTime = expiry == SequenceExpiry.EVENT_TIME;
                assertThat(h.numKeyedStateEntries())
                        .as(expiry + ": users kept")
                        .isEqualTo(eventTime ? 1 : 2);
                h.getOutput().clear();
                h.processElement(new StreamRecord<>(at("4", "alice", "d", t0 + 32 * day)));
                h.processElement(new StreamRecord<>(at("5", "bob", "e", t0 + 32 * day)));
                List<Example> out = new ArrayList<>();
                h.getOutput().forEach(o -> out.add((Example) ((StreamRecord<?>) o).getValue()));
                assertThat(out.get(0).getHistory().getClicked().getItems())
                        .as(expiry + ": alice's sequences")
                        .isEqualTo(eventTime ? List.of() : List.of(StableHash.hash("a")));
                // bob's events kept moving his expiry: his sequences are whole
                assertThat(out.get(1).getHistory().getClicked().getItems())
                        .containsExactly(StableHash.hash("b"), StableHash.hash("c"));
            }
        }
    }
}
