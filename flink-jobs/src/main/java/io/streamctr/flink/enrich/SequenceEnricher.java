package io.streamctr.flink.enrich;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Keyed by user: emits each event with the user's behaviour sequences as they were <b>before</b>
 * it, then appends the event to the sequence its label names. So an event's own label never
 * reaches its own features.
 *
 * <p>State layout: one Avro {@link UserHistory} value per user holding all sequences (one RocksDB
 * read and one write per event), with a processing-time TTL.
 */
public final class SequenceEnricher extends KeyedProcessFunction<String, ClickEvent, Example> {

    private static final long serialVersionUID = 1L;

    /** Name of the keyed state; part of the savepoint format. */
    public static final String STATE_NAME = "user-history";

    private final String sideField;
    private final int maxLength;
    private final Duration ttl;

    private transient ValueState<UserHistory> history;

    public SequenceEnricher(String sideField, int maxLength, Duration ttl) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("sequence max length must be > 0, got " + maxLength);
        }
        this.sideField = sideField;
        this.maxLength = maxLength;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<UserHistory> descriptor = new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(UserHistory.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        history = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(ClickEvent event, Context ctx, Collector<Example> out) throws Exception {
        UserHistory before = history.value();
        if (before == null) {
            before = UserHistories.empty();
        }
        out.collect(Example.newBuilder().setEvent(event).setHistory(before).build());
        history.update(UserHistories.append(before, event, sideField, maxLength));
    }
}
