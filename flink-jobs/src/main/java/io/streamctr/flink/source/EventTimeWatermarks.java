package io.streamctr.flink.source;

import io.streamctr.schemas.DecodedRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of the events source from the events' own {@code eventTime} (issue 16: the label
 * join's attribution windows and the sequences' expiry run in event time): per Kafka partition, the
 * largest event time seen minus the bounded out-of-orderness, minus 1 ms; dead letters carry no
 * event time and move nothing. Record timestamps stay the Kafka records' own, so what the sinks
 * write keeps the timestamps it had (a replay of old data does not write records Kafka's retention
 * deletes at once). An idle partition stops holding the watermark back after {@code idleness}.
 */
public final class EventTimeWatermarks implements WatermarkGenerator<DecodedRecord> {

    private final long outOfOrdernessMs;
    private long maxEventTime = Long.MIN_VALUE;

    public EventTimeWatermarks(Duration outOfOrderness) {
        if (outOfOrderness == null || outOfOrderness.isNegative()) {
            throw new IllegalArgumentException(
                    "the bounded out-of-orderness must be >= 0, got " + outOfOrderness);
        }
        this.outOfOrdernessMs = outOfOrderness.toMillis();
    }

    /**
     * The source's strategy: these watermarks, Kafka record timestamps, and idleness unless {@code
     * idleness} is zero.
     */
    public static WatermarkStrategy<DecodedRecord> strategy(
            Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<DecodedRecord> strategy =
                WatermarkStrategy.forGenerator(ctx -> new EventTimeWatermarks(outOfOrderness));
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }

    @Override
    public void onEvent(DecodedRecord record, long timestamp, WatermarkOutput output) {
        if (record.getEvent() != null) {
            maxEventTime = Math.max(maxEventTime, record.getEvent().getEventTime());
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxEventTime != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(maxEventTime - outOfOrdernessMs - 1));
        }
    }
}
