package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.flink.enrich.SequenceEnricher;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class BenchEventsTest {

    @Test
    void passZeroIsTheEventItself() {
        ClickEvent e = TestExamples.events(1, 3).get(0);
        assertThat(
                        BenchEvents.inPass(
                                e,
                                0,
                                BenchEvents.PassClock.of(
                                        List.of(e), 3, System.currentTimeMillis())))
                .isSameAs(e);
    }

    @Test
    void laterPassesGetUniqueIdsFollowInTimeAndStayInThePast() {
        List<ClickEvent> events = TestExamples.events(50, 7);
        assertThat(BenchEvents.span(events)).isEqualTo(49_000 + 1);
        long now = System.currentTimeMillis();
        BenchEvents.PassClock clock = BenchEvents.PassClock.of(events, 3, now);
        Set<String> ids = new HashSet<>();
        long previousTime = Long.MIN_VALUE;
        for (int pass = 0; pass < 3; pass++) {
            for (ClickEvent base : events) {
                ClickEvent e = BenchEvents.inPass(base, pass, clock);
                assertThat(ids.add(e.getEventId())).as("duplicate id %s", e.getEventId()).isTrue();
                assertThat(e.getEventTime()).isGreaterThanOrEqualTo(previousTime).isLessThan(now);
                previousTime = e.getEventTime();
                assertThat(e.getUserId()).isEqualTo(base.getUserId());
                assertThat(e.getLabel()).isEqualTo(base.getLabel());
            }
        }
        // pass 2, the last, ends just before `now`; pass 1 lies one window earlier
        assertThat(BenchEvents.inPass(events.get(49), 2, clock).getEventTime()).isEqualTo(now - 1);
        assertThat(BenchEvents.inPass(events.get(0), 1, clock).getEventTime())
                .isEqualTo(now - 2 * BenchEvents.PassClock.WINDOW_MS);
        assertThat(BenchEvents.inPass(events.get(0), 2, clock).getEventId())
                .isEqualTo(events.get(0).getEventId() + "#p2");
        assertThat(events.get(0).getEventId())
                .doesNotContain("#"); // the base event is not modified
    }

    @Test
    void aClockWhoseLaterPassesWouldOverlapTheDataIsRefused() {
        List<ClickEvent> events = TestExamples.events(50, 7);
        long last = events.stream().mapToLong(ClickEvent::getEventTime).max().orElseThrow();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> BenchEvents.PassClock.of(events, 2, last + 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first later pass");
    }

    @Test
    void precomputedExamplesAreWhatTheSequenceEnricherEmits() throws Exception {
        List<ClickEvent> events = new ArrayList<>(TestExamples.events(300, 11));
        for (int i = 0;
                i < events.size();
                i += 4) { // some context-only events: sequences only, no example
            events.set(i, ClickEvent.newBuilder(events.get(i)).setActionType("history").build());
        }
        List<Example> expected = new ArrayList<>();
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new SequenceEnricher(
                                        "genres",
                                        5,
                                        Duration.ofDays(1),
                                        "ctr.events",
                                        List.of("history"))),
                        ClickEvent::getUserId,
                        Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            for (ClickEvent e : events) {
                h.processElement(new StreamRecord<>(e));
            }
            for (Object o : h.getOutput()) {
                expected.add((Example) ((StreamRecord<?>) o).getValue());
            }
        }

        assertThat(expected).hasSize(300 - 75);
        assertThat(BenchEvents.enrich(events, "genres", 5, List.of("history"))).isEqualTo(expected);
    }
}
