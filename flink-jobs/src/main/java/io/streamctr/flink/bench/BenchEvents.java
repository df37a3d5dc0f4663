package io.streamctr.flink.bench;

import io.streamctr.flink.enrich.UserHistories;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's inputs: several passes over one data set as one longer, still time-ordered
 * stream, and the examples the job's enricher would make of a stream, computed in memory.
 */
public final class BenchEvents {

    private BenchEvents() {}

    /**
     * The event as it appears in pass {@code pass} (0-based) of a replay: pass 0 is the event
     * itself; later passes get the event id suffixed with {@code "#p" + pass} (unique across
     * passes) and the event time moved on by {@code pass * span} ms, so that the passes follow one
     * another in time and each user's events stay in time order.
     */
    public static ClickEvent inPass(ClickEvent event, int pass, long span) {
        if (pass < 0) {
            throw new IllegalArgumentException("pass must be >= 0, got " + pass);
        }
        if (pass == 0) {
            return event;
        }
        return ClickEvent.newBuilder(event)
                .setEventId(event.getEventId() + "#p" + pass)
                .setEventTime(event.getEventTime() + pass * span)
                .build();
    }

    /** Milliseconds from the first to the last event time, plus one: the shift between passes. */
    public static long span(List<ClickEvent> events) {
        if (events.isEmpty()) {
            return 1;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ClickEvent e : events) {
            min = Math.min(min, e.getEventTime());
            max = Math.max(max, e.getEventTime());
        }
        return max - min + 1;
    }

    /**
     * The examples {@link io.streamctr.flink.enrich.SequenceEnricher} emits for these events in
     * this order from empty state: each event with its user's sequences before it, built with the
     * same {@link UserHistories#append} (no TTL: nothing expires during a benchmark), without
     * context-only action types.
     */
    public static List<Example> enrich(List<ClickEvent> events, String sideField, int maxLength) {
        return enrich(events, sideField, maxLength, Set.of());
    }

    /**
     * As {@link #enrich(List, String, int)}; events whose action type is in {@code contextOnlyActions}
     * only extend their user's sequences and make no example, as in the job's enricher.
     */
    public static List<Example> enrich(List<ClickEvent> events, String sideField, int maxLength, Collection<String> contextOnlyActions) {
        Set<String> contextOnly = Set.copyOf(contextOnlyActions);
        Map<String, UserHistory> histories = new HashMap<>();
        List<Example> examples = new ArrayList<>(events.size());
        for (ClickEvent event : events) {
            UserHistory before = histories.get(event.getUserId());
            if (before == null) {
                before = UserHistories.empty();
            }
            if (event.getActionType() == null || !contextOnly.contains(event.getActionType())) {
                examples.add(Example.newBuilder().setEvent(event).setHistory(before).build());
            }
            histories.put(event.getUserId(), UserHistories.append(before, event, sideField, maxLength));
        }
        return examples;
    }
}
