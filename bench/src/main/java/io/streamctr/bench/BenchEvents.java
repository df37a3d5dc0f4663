package io.streamctr.bench;

import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's inputs: several passes over one data set as one longer, still time-ordered
 * stream, and the examples the job's enricher would make of a stream, computed in memory.
 */
public final class BenchEvents {

    private BenchEvents() {}

    /**
     * Where the passes of a replay lie in time. Pass 0 keeps the data's own times; pass p >= 1 lies
     * in the p-th of {@code passes - 1} consecutive windows of {@code window} ms that end at {@code
     * end}, with the data's span scaled into the window (order kept, ties allowed). So the passes
     * follow one another, each user's events stay in time order, and no time lies in the future:
     * the job's validator rejects times more than 7 days ahead of the wall clock (shifting each
     * pass by the data's span put MovieLens passes decades ahead, and they all went to the dead
     * letters).
     */
    public record PassClock(long min, long span, int passes, long end, long window) {

        /** One hour per pass. */
        public static final long WINDOW_MS = 3_600_000L;

        public PassClock {
            if (passes < 1 || window < 2 || span < 1) {
                throw new IllegalArgumentException(
                        "passes >= 1, window >= 2 and span >= 1 needed: "
                                + passes
                                + ", "
                                + window
                                + ", "
                                + span);
            }
            if (passes > 1 && min + span - 1 >= end - (long) (passes - 1) * window) {
                throw new IllegalArgumentException(
                        "the data's times reach "
                                + (min + span - 1)
                                + ", not before the first later pass at "
                                + (end - (long) (passes - 1) * window));
            }
        }

        /**
         * The clock of {@code passes} passes over {@code events}, later passes ending at {@code
         * end} (e.g. now).
         */
        public static PassClock of(List<ClickEvent> events, int passes, long end) {
            long min = events.stream().mapToLong(ClickEvent::getEventTime).min().orElse(0);
            return new PassClock(min, BenchEvents.span(events), passes, end, WINDOW_MS);
        }

        /** The time of an event at {@code time} in pass {@code pass}. */
        public long time(long time, int pass) {
            if (pass == 0) {
                return time;
            }
            long start = end - (long) (passes - pass) * window;
            return start + (long) ((time - min) * ((double) (window - 1) / Math.max(1, span - 1)));
        }
    }

    /**
     * The event as it appears in pass {@code pass} (0-based) of a replay: pass 0 is the event
     * itself; later passes get the event id suffixed with {@code "#p" + pass} (unique across
     * passes) and the pass's time from {@code clock}.
     */
    public static ClickEvent inPass(ClickEvent event, int pass, PassClock clock) {
        if (pass < 0 || pass >= clock.passes()) {
            throw new IllegalArgumentException(
                    "pass must be in [0, " + clock.passes() + "), got " + pass);
        }
        if (pass == 0) {
            return event;
        }
        return ClickEvent.newBuilder(event)
                .setEventId(event.getEventId() + "#p" + pass)
                .setEventTime(clock.time(event.getEventTime(), pass))
                .build();
    }

    /** Milliseconds from the first to the last event time, plus one. */
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
     * The examples the job's enricher emits for these events in this order from empty state ({@link
     * SequenceEnrichment#enrichAll}), without context-only action types.
     */
    public static List<Example> enrich(List<ClickEvent> events, String sideField, int maxLength) {
        return enrich(events, sideField, maxLength, Set.of());
    }

    /**
     * As {@link #enrich(List, String, int)}; events whose action type is in {@code
     * contextOnlyActions} make no example.
     */
    public static List<Example> enrich(
            List<ClickEvent> events,
            String sideField,
            int maxLength,
            Collection<String> contextOnlyActions) {
        return new SequenceEnrichment(sideField, maxLength, contextOnlyActions).enrichAll(events);
    }
}
