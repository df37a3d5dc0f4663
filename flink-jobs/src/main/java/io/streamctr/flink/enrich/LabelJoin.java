package io.streamctr.flink.enrich;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.PendingImpression;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;

/**
 * The online joiner of delayed labels (issue 16), in the enricher's per-user keyed state: each
 * scored impression waits in {@link #STATE_NAME} (RocksDB in the job) with its example exactly as
 * scored until an event-time timer at impression time + window closes it; a click within the window
 * marks it clicked. What is trained on, and when, is the enricher's ({@link TrainOn}).
 *
 * <p>A closed impression stays one more window without its example (a tombstone of two longs), so a
 * click after the window is told from a click on an impression never seen; a second timer removes
 * it. The state is bounded by 2 × window × impression rate, all in event time.
 *
 * <p>Clicks that join nothing are counted: {@link #COUNTER_LATE} (event time after the window, or
 * arriving after the window closed), {@link #COUNTER_UNKNOWN} (no such impression for this user),
 * {@link #COUNTER_DUPLICATE} (the impression has its click already: trained once).
 */
final class LabelJoin implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Name of the keyed map state (impression id → its times); savepoint format. */
    static final String STATE_NAME = "pending-impressions";

    /** Name of the keyed map state (impression id → example as scored, while open). */
    static final String EXAMPLES_STATE_NAME = "pending-examples";

    static final String COUNTER_LATE = "lateClicks";
    static final String COUNTER_UNKNOWN = "unknownClicks";
    static final String COUNTER_DUPLICATE = "duplicateClicks";
    static final String COUNTER_DUPLICATE_IMPRESSION = "duplicateImpressions";
    static final String COUNTER_POSITIVES = "joinedPositives";
    static final String COUNTER_NEGATIVES = "joinedNegatives";

    /** What a click did. */
    enum Outcome {
        JOINED,
        DUPLICATE,
        LATE,
        UNKNOWN
    }

    /**
     * A click's outcome: for {@link Outcome#JOINED} the impression's example as scored, for LATE
     * and UNKNOWN the dead letter's reason.
     */
    record Click(Outcome outcome, Example scored, String reason) {}

    /** An impression whose window closed: its example as scored, and whether it was clicked. */
    record Closed(Example scored, boolean clicked, long closeTime) {}

    private final long windowMs;
    private transient MapState<String, PendingImpression> pending;
    private transient MapState<String, Example> examples;
    private transient Counter late;
    private transient Counter unknown;
    private transient Counter duplicate;
    private transient Counter duplicateImpressions;
    private transient Counter positives;
    private transient Counter negatives;

    LabelJoin(DelayedLabelConfig config) {
        this.windowMs = config.windowMs();
    }

    void open(RuntimeContext context) {
        pending =
                context.getMapState(
                        new MapStateDescriptor<>(
                                STATE_NAME,
                                Types.STRING,
                                new AvroTypeInfo<>(PendingImpression.class)));
        examples =
                context.getMapState(
                        new MapStateDescriptor<>(
                                EXAMPLES_STATE_NAME,
                                Types.STRING,
                                new AvroTypeInfo<>(Example.class)));
        MetricGroup group = context.getMetricGroup();
        late = group.counter(COUNTER_LATE);
        unknown = group.counter(COUNTER_UNKNOWN);
        duplicate = group.counter(COUNTER_DUPLICATE);
        duplicateImpressions = group.counter(COUNTER_DUPLICATE_IMPRESSION);
        positives = group.counter(COUNTER_POSITIVES);
        negatives = group.counter(COUNTER_NEGATIVES);
    }

    /**
     * Why this impression cannot be joined (the user has its id pending or closed already: it would
     * be scored and trained on twice), or null.
     */
    String duplicate(ClickEvent impression) throws Exception {
        if (!pending.contains(impression.getEventId())) {
            return null;
        }
        duplicateImpressions.inc();
        return "duplicate impression: id "
                + impression.getEventId()
                + " was seen already for user "
                + impression.getUserId();
    }

    /** Keeps a scored impression until its window closes (an event-time timer). */
    void impression(Example scored, TimerService timers) throws Exception {
        ClickEvent event = scored.getEvent();
        pending.put(
                event.getEventId(),
                PendingImpression.newBuilder()
                        .setImpressionTime(event.getEventTime())
                        .setClickTime(null)
                        .setClosed(false)
                        .build());
        examples.put(event.getEventId(), scored);
        timers.registerEventTimeTimer(event.getEventTime() + windowMs);
    }

    /** Joins a click to the impression it names. */
    Click click(ClickEvent click) throws Exception {
        PendingImpression p = pending.get(click.getImpressionId());
        if (p == null) {
            unknown.inc();
            return new Click(
                    Outcome.UNKNOWN,
                    null,
                    "click on impression "
                            + click.getImpressionId()
                            + " that user "
                            + click.getUserId()
                            + " does not have: never seen, or its attribution window closed more"
                            + " than a window ago");
        }
        long deadline = p.getImpressionTime() + windowMs;
        if (click.getEventTime() > deadline || p.getClosed()) {
            late.inc();
            return new Click(
                    Outcome.LATE,
                    null,
                    "late click on impression "
                            + click.getImpressionId()
                            + ": click time "
                            + click.getEventTime()
                            + (p.getClosed()
                                    ? " arrived after the attribution window closed at "
                                    : " is after the attribution window's end ")
                            + deadline
                            + "; the impression is a negative");
        }
        if (p.getClickTime() != null) {
            duplicate.inc();
            return new Click(Outcome.DUPLICATE, null, null);
        }
        p.setClickTime(click.getEventTime());
        pending.put(click.getImpressionId(), p);
        positives.inc();
        return new Click(Outcome.JOINED, examples.get(click.getImpressionId()), null);
    }

    /**
     * Closes the impressions whose window ended at or before {@code time} (the event-time timer now
     * firing), oldest first, keeping a tombstone of each for one more window; removes the
     * tombstones older than that.
     */
    List<Closed> close(long time, TimerService timers) throws Exception {
        List<Map.Entry<String, PendingImpression>> due = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, PendingImpression> e : pending.entries()) {
            PendingImpression p = e.getValue();
            if (!p.getClosed() && p.getImpressionTime() + windowMs <= time) {
                due.add(Map.entry(e.getKey(), p));
            } else if (p.getClosed() && p.getImpressionTime() + 2 * windowMs <= time) {
                expired.add(e.getKey());
            }
        }
        for (String id : expired) {
            pending.remove(id);
        }
        due.sort(
                (a, b) ->
                        Long.compare(
                                a.getValue().getImpressionTime(),
                                b.getValue().getImpressionTime()));
        List<Closed> closed = new ArrayList<>(due.size());
        for (Map.Entry<String, PendingImpression> e : due) {
            PendingImpression p = e.getValue();
            boolean clicked = p.getClickTime() != null;
            if (!clicked) {
                negatives.inc();
            }
            closed.add(
                    new Closed(
                            examples.get(e.getKey()), clicked, p.getImpressionTime() + windowMs));
            examples.remove(e.getKey());
            pending.put(e.getKey(), PendingImpression.newBuilder(p).setClosed(true).build());
            timers.registerEventTimeTimer(p.getImpressionTime() + 2 * windowMs);
        }
        return closed;
    }

    /** Impressions of the current user whose window is open (for tests). */
    int openImpressions() throws Exception {
        int open = 0;
        for (PendingImpression p : pending.values()) {
            if (!p.getClosed()) {
                open++;
            }
        }
        return open;
    }
}
