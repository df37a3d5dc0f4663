package io.streamctr.flink.enrich;

import io.streamctr.flink.format.RecordFormat;
import io.streamctr.flink.source.DeadLetters;
import io.streamctr.model.enrich.EnrichedEvent;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
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
 * <p>State layout: one Avro {@link UserHistory} value per user holding all sequences (one RocksDB
 * read and one write per event), with a processing-time TTL. The state serializer is Flink's {@code
 * AvroSerializer}: its snapshot stores the writer schema, so a savepoint taken with an older {@code
 * UserHistory} schema restores into a newer, Avro-compatible one (a field added with a default,
 * say); RocksDB rewrites the values with the new schema on restore.
 */
public final class SequenceEnricher extends KeyedProcessFunction<String, ClickEvent, Example> {

    private static final long serialVersionUID = 1L;

    /** Name of the keyed state; part of the savepoint format. */
    public static final String STATE_NAME = "user-history";

    /** Side output of events that arrived after a later event of the same user. */
    public static final OutputTag<DeadLetter> OUT_OF_ORDER =
            new OutputTag<>("out-of-order", new AvroTypeInfo<>(DeadLetter.class));

    /** Counter of out-of-order events. */
    public static final String COUNTER_OUT_OF_ORDER = "outOfOrderEvents";

    /** Counter of context-only events (sequences extended, no example emitted). */
    public static final String COUNTER_CONTEXT_ONLY = "contextOnlyEvents";

    private final String sideField;
    private final int maxLength;
    private final Duration ttl;
    private final HashSet<String> contextOnlyActions;

    private transient SequenceEnrichment enrichment;
    private transient ValueState<UserHistory> history;
    private transient Counter outOfOrder;
    private transient Counter contextOnly;

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
        if (maxLength <= 0) {
            throw new IllegalArgumentException("sequence max length must be > 0, got " + maxLength);
        }
        this.sideField = sideField;
        this.maxLength = maxLength;
        this.ttl = ttl;
        this.topic = topic;
        this.format = format;
        this.contextOnlyActions = new HashSet<>(contextOnlyActions);
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<UserHistory> descriptor =
                new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(UserHistory.class));
        descriptor.enableTimeToLive(ttlConfig(ttl));
        history = getRuntimeContext().getState(descriptor);
        enrichment = new SequenceEnrichment(sideField, maxLength, contextOnlyActions);
        outOfOrder = getRuntimeContext().getMetricGroup().counter(COUNTER_OUT_OF_ORDER);
        contextOnly = getRuntimeContext().getMetricGroup().counter(COUNTER_CONTEXT_ONLY);
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
        UserHistory before = history.value();
        EnrichedEvent enriched = enrichment.apply(before, event);
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
                                        + before.getLastEventTime()));
                return;
            }
            case CONTEXT_ONLY -> contextOnly.inc();
            case EXAMPLE -> out.collect(enriched.example());
        }
        history.update(enriched.after());
    }
}
