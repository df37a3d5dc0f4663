package io.streamctr.flink.enrich;

import io.streamctr.flink.format.RecordFormat;
import io.streamctr.flink.source.DeadLetters;
import io.streamctr.model.enrich.CompactEnrichedEvent;
import io.streamctr.model.enrich.CompactHistory;
import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by user: emits each event with the user's behaviour sequences as they were <b>before</b>
 * it, then appends the event to the sequence its label names. So an event's own label never reaches
 * its own features. The rule is {@link SequenceEnrichment}'s (plain Java, shared with {@code
 * evaluate}); this operator keeps the state, the dead letters and the counters.
 *
 * <p>An event older than the user's latest event (out of order for that user) is not used: it would
 * put a later item before an earlier one in the sequences and score the user with a future the
 * event did not have. It goes to the {@link #OUT_OF_ORDER} side output as a dead letter with the
 * reason, and the user's state is unchanged. Equal times are in order.
 *
 * <p>An event whose action type is one of the context-only types (e.g. MIND's {@code history}
 * clicks, which come before the data window) only extends the user's sequences: no example is
 * emitted for it, so it is neither scored nor trained on; the {@link #COUNTER_CONTEXT_ONLY} counter
 * counts them.
 *
 * <p>State layout: one {@link CompactHistory} value per user holding all sequences in primitive
 * arrays ({@link #COMPACT_STATE_NAME}, {@link CompactHistorySerializer}; one RocksDB read and one
 * write per event), with a processing-time TTL; with {@link SequenceExpiry#EVENT_TIME} also an
 * event-time timer per user at the latest event time + TTL that clears it.
 *
 * <p>The older state format, an Avro {@link UserHistory} per user under {@link #STATE_NAME} (until
 * issue 18), is migrated lazily: a user without a compact value is looked up there, and a history
 * found is rewritten in the compact state and cleared from the old one; users not seen again stay
 * in the old state until their TTL. The old state's serializer is Flink's {@code AvroSerializer}:
 * its snapshot stores the writer schema, so a savepoint taken with an older {@code UserHistory}
 * schema restores into the current, Avro-compatible one (a field added with a default, say). The
 * price of the lookup is a second read for a user new to the compact state (a read of an old state
 * that empties as users come back).
 *
 * <p>Delayed labels (issue 16, docs/delayed-labels.md): an {@link EventKind#IMPRESSION} is enriched
 * and emitted (to be scored) like any event, without a label and without changing the sequences,
 * and waits in the {@link LabelJoin} until its attribution window closes (an event-time timer: the
 * job's watermarks) or its {@link EventKind#CLICK} comes. The joined example, the one scored, comes
 * out again with its label ({@link JoinedLabels#isJoined}): the learners train on it without
 * scoring it again. The click extends the clicked sequence at its time; a window closing without
 * one extends the non-clicked sequence at its end.
 */
public final class SequenceEnricher extends KeyedProcessFunction<String, ClickEvent, Example> {

    private static final long serialVersionUID = 1L;

    /**
     * Name of the older keyed state (Avro {@link UserHistory}), read and emptied by the lazy
     * migration; part of the savepoint format.
     */
    public static final String STATE_NAME = "user-history";

    /** Name of the keyed state ({@link CompactHistory}); part of the savepoint format. */
    public static final String COMPACT_STATE_NAME = "user-history-compact";

    /** Side output of events that arrived after a later event of the same user. */
    public static final OutputTag<DeadLetter> OUT_OF_ORDER =
            new OutputTag<>("out-of-order", new AvroTypeInfo<>(DeadLetter.class));

    /**
     * Side output of the label join's dead letters: late clicks, clicks on an unknown impression,
     * impressions whose id the user has pending already.
     */
    public static final OutputTag<DeadLetter> LABEL_JOIN =
            new OutputTag<>("label-join", new AvroTypeInfo<>(DeadLetter.class));

    /** Counter of out-of-order events. */
    public static final String COUNTER_OUT_OF_ORDER = "outOfOrderEvents";

    /** Counter of users whose sequences expired by event time. */
    public static final String COUNTER_EXPIRED = "expiredSequences";

    /** Counter of context-only events (sequences extended, no example emitted). */
    public static final String COUNTER_CONTEXT_ONLY = "contextOnlyEvents";

    private final String sideField;
    private final int maxLength;
    private final Duration ttl;
    private final HashSet<String> contextOnlyActions;

    private final DelayedLabelConfig labels;
    private final LabelJoin join;
    private final long eventTimeTtlMs;

    private transient SequenceEnrichment enrichment;
    private transient ValueState<CompactHistory> history;
    private transient ValueState<UserHistory> olderHistory;
    private transient Counter outOfOrder;
    private transient Counter contextOnly;
    private transient Counter expired;

    private final String topic;
    private final RecordFormat format;

    /** An enricher of the default events topic's events, without context-only action types. */
    public SequenceEnricher(String sideField, int maxLength, Duration ttl) {
        this(sideField, maxLength, ttl, "ctr.events", Set.of());
    }

    /**
     * @param sideField the field whose value set is an item's side feature
     * @param maxLength items kept per sequence
     * @param ttl a user's state expires after this long without an event
     * @param topic the events topic, named in dead letters
     * @param contextOnlyActions action types whose events only extend the sequences
     */
    public SequenceEnricher(
            String sideField,
            int maxLength,
            Duration ttl,
            String topic,
            Collection<String> contextOnlyActions) {
        this(sideField, maxLength, ttl, topic, contextOnlyActions, RecordFormat.AVRO);
    }

    /**
     * As above, with the events topic's {@code format}: an out-of-order event's dead letter holds
     * the event in that format.
     */
    public SequenceEnricher(
            String sideField,
            int maxLength,
            Duration ttl,
            String topic,
            Collection<String> contextOnlyActions,
            RecordFormat format) {
        this(
                sideField,
                maxLength,
                ttl,
                topic,
                contextOnlyActions,
                format,
                DelayedLabelConfig.DEFAULT);
    }

    /**
     * As above, with how impressions and clicks are joined into labelled examples ({@link
     * DelayedLabelConfig}; LABELLED events do not use it).
     */
    public SequenceEnricher(
            String sideField,
            int maxLength,
            Duration ttl,
            String topic,
            Collection<String> contextOnlyActions,
            RecordFormat format,
            DelayedLabelConfig labels) {
        this(
                sideField,
                maxLength,
                ttl,
                topic,
                contextOnlyActions,
                format,
                labels,
                SequenceExpiry.PROCESSING_TIME);
    }

    /**
     * As above, with the clock of the sequences' TTL: with {@link SequenceExpiry#EVENT_TIME} a
     * user's sequences also expire by event time, {@code ttl} after the user's latest event.
     */
    public SequenceEnricher(
            String sideField,
            int maxLength,
            Duration ttl,
            String topic,
            Collection<String> contextOnlyActions,
            RecordFormat format,
            DelayedLabelConfig labels,
            SequenceExpiry expiry) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("sequence max length must be > 0, got " + maxLength);
        }
        this.sideField = sideField;
        this.maxLength = maxLength;
        this.ttl = ttl;
        this.topic = topic;
        this.format = format;
        this.contextOnlyActions = new HashSet<>(contextOnlyActions);
        this.labels = labels;
        this.join = new LabelJoin(labels);
        this.eventTimeTtlMs = expiry == SequenceExpiry.EVENT_TIME ? ttl.toMillis() : -1;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<CompactHistory> descriptor =
                new ValueStateDescriptor<>(COMPACT_STATE_NAME, CompactHistorySerializer.INSTANCE);
        descriptor.enableTimeToLive(ttlConfig(ttl));
        history = getRuntimeContext().getState(descriptor);
        ValueStateDescriptor<UserHistory> older =
                new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(UserHistory.class));
        older.enableTimeToLive(ttlConfig(ttl));
        olderHistory = getRuntimeContext().getState(older);
        enrichment = new SequenceEnrichment(sideField, maxLength, contextOnlyActions);
        outOfOrder = getRuntimeContext().getMetricGroup().counter(COUNTER_OUT_OF_ORDER);
        contextOnly = getRuntimeContext().getMetricGroup().counter(COUNTER_CONTEXT_ONLY);
        expired = getRuntimeContext().getMetricGroup().counter(COUNTER_EXPIRED);
        join.open(getRuntimeContext());
    }

    /**
     * The state's time-to-live: from the last write, expired values never returned. Part of the
     * savepoint format.
     */
    static StateTtlConfig ttlConfig(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }

    @Override
    public void processElement(ClickEvent event, Context ctx, Collector<Example> out)
            throws Exception {
        if (event.getKind() == EventKind.CLICK) {
            click(event, ctx, out);
            return;
        }
        if (event.getKind() == EventKind.IMPRESSION) {
            String problem = join.duplicate(event);
            if (problem != null) {
                ctx.output(LABEL_JOIN, DeadLetters.of(topic, event, format, problem));
                return;
            }
        }
        CompactHistory before = current();
        CompactEnrichedEvent enriched = enrichment.applyCompact(before, event);
        switch (enriched.kind()) {
            case OUT_OF_ORDER -> {
                outOfOrder.inc();
                ctx.output(
                        OUT_OF_ORDER,
                        DeadLetters.of(
                                topic,
                                event,
                                format,
                                "out of order for user: event time "
                                        + event.getEventTime()
                                        + " is before the user's latest event time "
                                        + before.lastEventTime()));
                return;
            }
            case CONTEXT_ONLY -> contextOnly.inc();
            case EXAMPLE -> {
                out.collect(enriched.example());
                if (event.getKind() == EventKind.IMPRESSION) {
                    join.impression(enriched.example(), ctx.timerService());
                }
            }
        }
        update(before, enriched.after(), ctx.timerService());
    }

    /**
     * The user's history: the compact state's value, or else the older state's, which is moved to
     * the compact state now (null for a user in neither).
     */
    private CompactHistory current() throws Exception {
        CompactHistory compact = history.value();
        if (compact != null) {
            return compact;
        }
        UserHistory older = olderHistory.value();
        if (older == null) {
            return null;
        }
        compact = CompactHistory.of(older);
        history.update(compact);
        olderHistory.clear();
        return compact;
    }

    /**
     * Writes the user's history; with event-time expiry, moves the user's expiry timer to the
     * latest event time + TTL.
     */
    private void update(CompactHistory before, CompactHistory after, TimerService timers)
            throws Exception {
        history.update(after);
        if (eventTimeTtlMs < 0) {
            return;
        }
        long due = after.lastEventTime() + eventTimeTtlMs;
        if (before != null && before.lastEventTime() + eventTimeTtlMs != due) {
            timers.deleteEventTimeTimer(before.lastEventTime() + eventTimeTtlMs);
        }
        timers.registerEventTimeTimer(due);
    }

    /**
     * A click: joined to its impression, it extends the clicked sequence at the click's time and,
     * in {@link TrainOn#CLICK} mode, is trained on at once; a late click or one on an unknown
     * impression is a dead letter, a duplicate only counted.
     */
    private void click(ClickEvent click, Context ctx, Collector<Example> out) throws Exception {
        LabelJoin.Click joined = join.click(click);
        switch (joined.outcome()) {
            case LATE, UNKNOWN ->
                    ctx.output(LABEL_JOIN, DeadLetters.of(topic, click, format, joined.reason()));
            case DUPLICATE -> {}
            case JOINED -> {
                ClickEvent impression = joined.scored().getEvent();
                CompactHistory before = current();
                update(
                        before,
                        JoinedLabels.outcome(
                                before, impression, 1, click.getEventTime(), sideField, maxLength),
                        ctx.timerService());
                if (labels.trainOn().positiveAtClick()) {
                    out.collect(JoinedLabels.labelled(joined.scored(), 1));
                }
            }
        }
    }

    /**
     * Closes the user's impressions whose attribution window ended: a negative extends the
     * non-clicked sequence at the window's end; each is trained on now unless its positive was
     * trained at the click already.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Example> out)
            throws Exception {
        for (LabelJoin.Closed closed : join.close(timestamp, ctx.timerService())) {
            if (!closed.clicked()) {
                history.update(
                        JoinedLabels.outcome(
                                current(),
                                closed.scored().getEvent(),
                                0,
                                closed.closeTime(),
                                sideField,
                                maxLength));
                out.collect(JoinedLabels.labelled(closed.scored(), 0));
            } else if (!labels.trainOn().positiveAtClick()) {
                out.collect(JoinedLabels.labelled(closed.scored(), 1));
            }
        }
        CompactHistory current = current();
        if (eventTimeTtlMs >= 0
                && current != null
                && current.lastEventTime() + eventTimeTtlMs <= timestamp) {
            history.clear(); // no event for a TTL of event time
            expired.inc();
        }
    }
}
