package io.streamctr.model.enrich;

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
 * The per-user enrichment rule, in plain Java: an event is emitted with the user's behaviour
 * sequences as they were <b>before</b> it, then appended to the sequence its label names, so an
 * event's own label never reaches its own features. The job's keyed operator ({@code flink-jobs:
 * SequenceEnricher}) calls {@link #apply} per event with the user's state; {@link #enrichAll} runs
 * the same rule over a whole in-memory stream (evaluation, benchmarks).
 *
 * <p>An event older than the user's latest event is out of order and not used (a later item would
 * come before an earlier one in the sequences); equal times are in order. An event whose action
 * type is context-only (e.g. MIND's {@code history} clicks) only extends the sequences.
 */
public final class SequenceEnrichment {

    private final String sideField;
    private final int maxLength;
    private final Set<String> contextOnlyActions;

    /**
     * @param sideField the field whose value set is an item's side feature (may be null)
     * @param maxLength items kept per sequence, > 0
     * @param contextOnlyActions action types whose events only extend the sequences
     */
    public SequenceEnrichment(
            String sideField, int maxLength, Collection<String> contextOnlyActions) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("sequence max length must be > 0, got " + maxLength);
        }
        this.sideField = sideField;
        this.maxLength = maxLength;
        this.contextOnlyActions = Set.copyOf(contextOnlyActions);
    }

    /**
     * What happens to {@code event} given the user's history before it ({@code null}: a new user).
     */
    public EnrichedEvent apply(UserHistory before, ClickEvent event) {
        CompactEnrichedEvent e =
                applyCompact(before == null ? null : CompactHistory.of(before), event);
        UserHistory after =
                e.kind() == EnrichedEvent.Kind.OUT_OF_ORDER ? before : e.after().toAvro();
        return new EnrichedEvent(e.kind(), e.example(), after);
    }

    /**
     * As {@link #apply}, on the enricher's state form: the example carries views of {@code
     * before}'s arrays, and the history after is a new one ({@code before} itself for {@link
     * EnrichedEvent.Kind#OUT_OF_ORDER}).
     */
    public CompactEnrichedEvent applyCompact(CompactHistory before, ClickEvent event) {
        CompactHistory history = before == null ? CompactHistory.EMPTY : before;
        if (before != null && event.getEventTime() < before.lastEventTime()) {
            return new CompactEnrichedEvent(EnrichedEvent.Kind.OUT_OF_ORDER, null, before);
        }
        CompactHistory after = history.appended(event, sideField, maxLength);
        if (event.getActionType() != null && contextOnlyActions.contains(event.getActionType())) {
            return new CompactEnrichedEvent(EnrichedEvent.Kind.CONTEXT_ONLY, null, after);
        }
        return new CompactEnrichedEvent(
                EnrichedEvent.Kind.EXAMPLE,
                Example.newBuilder().setEvent(event).setHistory(history.toAvro()).build(),
                after);
    }

    /**
     * The examples the job's enricher emits for these events in this order from empty state (no
     * state TTL: nothing expires), context-only and out-of-order events making none.
     */
    public List<Example> enrichAll(List<ClickEvent> events) {
        Map<String, CompactHistory> histories = new HashMap<>();
        List<Example> examples = new ArrayList<>(events.size());
        for (ClickEvent event : events) {
            CompactEnrichedEvent enriched = applyCompact(histories.get(event.getUserId()), event);
            if (enriched.kind() == EnrichedEvent.Kind.EXAMPLE) {
                examples.add(enriched.example());
            }
            histories.put(event.getUserId(), enriched.after());
        }
        return examples;
    }
}
