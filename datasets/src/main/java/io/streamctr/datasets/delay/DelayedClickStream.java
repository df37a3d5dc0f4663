package io.streamctr.datasets.delay;

import io.streamctr.datasets.BadLines;
import io.streamctr.datasets.EventStream;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A labelled stream split the way a production stream arrives (issue 16, item 5): each labelled
 * event becomes an {@link EventKind#IMPRESSION} (same id, features and time, no label) and each
 * positive also a {@link EventKind#CLICK} naming it, {@link ClickDelays#draw} later, merged into
 * one stream in event-time order (a click at its impression's time comes right after it).
 *
 * <p>A click has its own id ({@code impressionId + "/click"}), the impression's user and item, the
 * click time as event time and no features. Events without a label and events of a pass-through
 * action type (e.g. MIND's {@code history}, which only seed the sequences) stay as they are ({@link
 * EventKind#LABELLED}). The source must be in time order; pending clicks are held in a priority
 * queue until the stream reaches their time, so memory grows with rate × delay.
 */
public final class DelayedClickStream implements EventStream {

    /** What the split made so far. */
    public record Counts(long impressions, long clicks, long lateClicks, long passedThrough) {}

    private record PendingClick(long time, long order, ClickEvent click) {}

    private static final String CLICK_SUFFIX = "/click";

    private final EventStream source;
    private final ClickDelays delays;
    private final Set<String> passThroughActions;
    private final PriorityQueue<PendingClick> clicks =
            new PriorityQueue<>(
                    Comparator.comparingLong(PendingClick::time)
                            .thenComparingLong(PendingClick::order));
    private ClickEvent head;
    private long order;
    private long impressions;
    private long clickCount;
    private long lateClicks;
    private long passedThrough;

    private DelayedClickStream(
            EventStream source, ClickDelays delays, Collection<String> passThroughActions) {
        this.source = source;
        this.delays = delays;
        this.passThroughActions = Set.copyOf(passThroughActions);
    }

    /**
     * Splits {@code source} (in time order) into impressions and delayed clicks; events whose
     * action type is in {@code passThroughActions} stay labelled.
     */
    public static DelayedClickStream split(
            EventStream source, ClickDelays delays, Collection<String> passThroughActions) {
        if (source == null || delays == null || passThroughActions == null) {
            throw new IllegalArgumentException(
                    "source, delays and pass-through actions are needed");
        }
        return new DelayedClickStream(source, delays, passThroughActions);
    }

    /** The id a click on {@code impressionId} gets. */
    public static String clickId(String impressionId) {
        return impressionId + CLICK_SUFFIX;
    }

    /** The impressions, clicks, late clicks and unchanged events given out so far. */
    public Counts counts() {
        return new Counts(impressions, clickCount, lateClicks, passedThrough);
    }

    @Override
    public boolean hasNext() {
        return head != null || source.hasNext() || !clicks.isEmpty();
    }

    @Override
    public ClickEvent next() {
        if (head == null && source.hasNext()) {
            head = source.next();
        }
        if (!clicks.isEmpty() && (head == null || clicks.peek().time() < head.getEventTime())) {
            return clicks.poll().click();
        }
        if (head == null) {
            throw new NoSuchElementException();
        }
        ClickEvent event = head;
        head = null;
        return split(event);
    }

    private ClickEvent split(ClickEvent event) {
        Integer label = event.getLabel();
        String action = event.getActionType();
        if (label == null || (action != null && passThroughActions.contains(action))) {
            passedThrough++;
            return event;
        }
        ClickEvent impression =
                ClickEvent.newBuilder(event).setLabel(null).setKind(EventKind.IMPRESSION).build();
        impressions++;
        if (label == 1) {
            long delay = delays.draw(event.getEventId());
            long time = event.getEventTime() + delay;
            ClickEvent click =
                    ClickEvent.newBuilder()
                            .setEventId(clickId(event.getEventId()))
                            .setUserId(event.getUserId())
                            .setItemId(event.getItemId())
                            .setEventTime(time)
                            .setLabel(null)
                            .setCategorical(new HashMap<>())
                            .setNumeric(new HashMap<>())
                            .setMultiValued(new HashMap<String, List<String>>())
                            .setKind(EventKind.CLICK)
                            .setImpressionId(event.getEventId())
                            .build();
            clicks.add(new PendingClick(time, order++, click));
            clickCount++;
            if (delays.isLate(delay)) {
                lateClicks++;
            }
        }
        return impression;
    }

    @Override
    public BadLines badLines() {
        return source.badLines();
    }

    /** The source's total plus the clicks made so far: an estimate until the end. */
    @Override
    public long expectedTotal() {
        long total = source.expectedTotal();
        return total < 0 ? -1 : total + clickCount;
    }

    @Override
    public boolean totalIsExact() {
        return false;
    }

    @Override
    public void close() {
        source.close();
    }
}
