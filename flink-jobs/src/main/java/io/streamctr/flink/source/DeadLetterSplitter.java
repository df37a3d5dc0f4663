package io.streamctr.flink.source;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.DecodedRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends valid events on and dead letters to a side output, counting them ({@value #COUNTER}). */
public final class DeadLetterSplitter extends ProcessFunction<DecodedRecord, ClickEvent> {

    private static final long serialVersionUID = 1L;

    /** Name of the counter of dead letters in the operator's metric group. */
    public static final String COUNTER = "deadLetters";

    /** The side output of dead letters. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter(COUNTER);
    }

    @Override
    public void processElement(DecodedRecord record, Context ctx, Collector<ClickEvent> out) {
        if (record.getEvent() != null) {
            out.collect(record.getEvent());
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.getDeadLetter());
        }
    }
}
