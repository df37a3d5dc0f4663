package io.streamctr.cli.evaluate;

import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.delay.ClickDelays;
import io.streamctr.datasets.delay.DelayedClickStream;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled events of an evaluation split as {@code replay --delayed-clicks} splits them (same
 * delays for the same seed), with each impression's own label kept aside to score against.
 *
 * @param stream impressions, clicks and the events left labelled, in event-time order
 * @param trueLabels the data's label of each impression id
 * @param counts what the split made
 */
public record DelayedStream(
        List<ClickEvent> stream,
        Map<String, Integer> trueLabels,
        DelayedClickStream.Counts counts) {

    /** Splits {@code events} (in time order); context-only events stay labelled. */
    public static DelayedStream of(
            List<ClickEvent> events, ClickDelays delays, Collection<String> contextOnlyActions) {
        List<ClickEvent> stream = new ArrayList<>();
        DelayedClickStream split =
                DelayedClickStream.split(EventStream.of(events), delays, contextOnlyActions);
        split.forEachRemaining(stream::add);
        Map<String, Integer> trueLabels = new HashMap<>();
        Map<String, ClickEvent> byId = new HashMap<>();
        for (ClickEvent e : events) {
            byId.put(e.getEventId(), e);
        }
        for (ClickEvent e : stream) {
            if (e.getKind() == EventKind.IMPRESSION) {
                trueLabels.put(e.getEventId(), byId.get(e.getEventId()).getLabel());
            }
        }
        return new DelayedStream(stream, trueLabels, split.counts());
    }
}
