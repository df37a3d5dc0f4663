package io.streamctr.datasets.delay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.Events;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DelayedClickStreamTest {

    private static final long MINUTE = 60_000;

    /** {@code n} labelled events one second apart, about 30 % positive. */
    private static List<ClickEvent> labelled(int n) {
        Random random = new Random(5);
        List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ClickEvent e =
                    Events.create(
                            "e" + i,
                            "u" + random.nextInt(50),
                            "i" + random.nextInt(200),
                            1_000_000L + i * 1_000L,
                            random.nextDouble() < 0.3 ? 1 : 0,
                            null);
            e.getCategorical().put("genre", "g" + (i % 7));
            events.add(e);
        }
        return events;
    }

    private static List<ClickEvent> split(List<ClickEvent> events, ClickDelays delays) {
        List<ClickEvent> out = new ArrayList<>();
        try (DelayedClickStream s =
                DelayedClickStream.split(EventStream.of(events), delays, List.of("history"))) {
            s.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void everyLabelledEventIsAnImpressionAndEveryPositiveAClickAfterIt() {
        List<ClickEvent> events = labelled(10_000);
        long positives = events.stream().filter(e -> e.getLabel() == 1).count();
        List<ClickEvent> out = split(events, ClickDelays.exponential(MINUTE, 7));

        Map<String, Integer> position = new HashMap<>();
        Map<String, ClickEvent> impressions = new HashMap<>();
        long clicks = 0;
        double delaySum = 0;
        for (int i = 0; i < out.size(); i++) {
            ClickEvent e = out.get(i);
            if (i > 0) {
                assertThat(e.getEventTime()).isGreaterThanOrEqualTo(out.get(i - 1).getEventTime());
            }
            if (e.getKind() == EventKind.IMPRESSION) {
                assertThat(e.getLabel()).isNull();
                assertThat(e.getCategorical()).containsKey("genre");
                position.put(e.getEventId(), i);
                impressions.put(e.getEventId(), e);
            } else {
                assertThat(e.getKind()).isEqualTo(EventKind.CLICK);
                ClickEvent imp = impressions.get(e.getImpressionId());
                assertThat(imp).as("impression of %s", e.getEventId()).isNotNull();
                assertThat(position.get(e.getImpressionId())).isLessThan(i);
                assertThat(e.getEventId()).isEqualTo(e.getImpressionId() + "/click");
                assertThat(e.getUserId()).isEqualTo(imp.getUserId());
                assertThat(e.getItemId()).isEqualTo(imp.getItemId());
                assertThat(e.getLabel()).isNull();
                assertThat(e.getEventTime()).isGreaterThanOrEqualTo(imp.getEventTime());
                delaySum += e.getEventTime() - imp.getEventTime();
                clicks++;
            }
        }
        assertThat(impressions).hasSize(10_000);
        assertThat(clicks).isEqualTo(positives);
        for (ClickEvent e : events) {
            boolean clicked =
                    out.stream().anyMatch(c -> e.getEventId().equals(c.getImpressionId()));
            assertThat(clicked).as(e.getEventId()).isEqualTo(e.getLabel() == 1);
        }
        // ~3,000 exponential delays: the mean's standard error is ~1.8 %
        assertThat(delaySum / clicks).isCloseTo(MINUTE, within(0.06 * MINUTE));
    }

    @Test
    void theLateShareIsKeptAndOnTimeClicksStayInTheWindow() {
        List<ClickEvent> events = labelled(20_000);
        ClickDelays delays = new ClickDelays(5 * MINUTE, 10 * MINUTE, 0.2, 3);
        Map<String, Long> impressionTime = new HashMap<>();
        long late = 0;
        long clicks = 0;
        DelayedClickStream s = DelayedClickStream.split(EventStream.of(events), delays, List.of());
        while (s.hasNext()) {
            ClickEvent e = s.next();
            if (e.getKind() == EventKind.IMPRESSION) {
                impressionTime.put(e.getEventId(), e.getEventTime());
                continue;
            }
            long delay = e.getEventTime() - impressionTime.get(e.getImpressionId());
            clicks++;
            if (delay > 10 * MINUTE) {
                late++;
            }
        }
        assertThat((double) late / clicks).isCloseTo(0.2, within(0.025));
        assertThat(s.counts().clicks()).isEqualTo(clicks);
        assertThat(s.counts().lateClicks()).isEqualTo(late);
        assertThat(s.counts().impressions()).isEqualTo(20_000);
    }

    @Test
    void withoutALateShareTheWindowCutsTheExponentialsOwnTail() {
        ClickDelays delays = new ClickDelays(10 * MINUTE, 10 * MINUTE, -1, 11);
        long late = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            if (delays.isLate(delays.draw("x" + i))) {
                late++;
            }
        }
        assertThat((double) late / n).isCloseTo(Math.exp(-1), within(0.015));
    }

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedOtherDelays() {
        List<ClickEvent> events = labelled(2_000);
        List<ClickEvent> a = split(events, ClickDelays.exponential(MINUTE, 1));
        List<ClickEvent> b = split(events, ClickDelays.exponential(MINUTE, 1));
        List<ClickEvent> c = split(events, ClickDelays.exponential(MINUTE, 2));
        assertThat(a).isEqualTo(b);
        assertThat(c).hasSameSizeAs(a).isNotEqualTo(a);
        // the draw depends on the seed and the id only, not on what came before
        ClickDelays d = ClickDelays.exponential(MINUTE, 1);
        assertThat(d.draw("e42")).isEqualTo(ClickDelays.exponential(MINUTE, 1).draw("e42"));
    }

    @Test
    void aZeroDelayPutsTheClickRightAfterItsImpression() {
        List<ClickEvent> events = labelled(200);
        List<ClickEvent> out = split(events, ClickDelays.exponential(0, 1));
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).getKind() == EventKind.CLICK) {
                assertThat(out.get(i - 1).getEventId()).isEqualTo(out.get(i).getImpressionId());
            }
        }
    }

    @Test
    void unlabelledAndPassThroughEventsStayLabelled() {
        ClickEvent history = Events.create("h", "u", "i", 1, 1, "history");
        ClickEvent unlabelled = Events.create("n", "u", "j", 2, null, null);
        ClickEvent positive = Events.create("p", "u", "k", 3, 1, null);
        List<ClickEvent> out =
                split(List.of(history, unlabelled, positive), ClickDelays.exponential(0, 1));
        assertThat(out)
                .extracting(ClickEvent::getKind)
                .containsExactly(
                        EventKind.LABELLED,
                        EventKind.LABELLED,
                        EventKind.IMPRESSION,
                        EventKind.CLICK);
        assertThat(out.get(0)).isSameAs(history);
        assertThat(out.get(1)).isSameAs(unlabelled);
    }

    @Test
    void badSettingsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> new ClickDelays(-1, -1, -1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new ClickDelays(1, -1, 0.1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an attribution window");
        assertThatThrownBy(() -> new ClickDelays(1, 10, 1.5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
    }
}
