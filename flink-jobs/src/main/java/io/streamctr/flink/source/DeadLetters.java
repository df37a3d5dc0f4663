package io.streamctr.flink.source;

import io.streamctr.flink.format.AvroJson;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds dead-letter records; raw bytes are capped so that a huge bad record can still be written.
 */
public final class DeadLetters {

    /**
     * Raw key and value bytes kept in a dead letter; the rest is cut off and the reason says so.
     */
    public static final int MAX_RAW_BYTES = 64 * 1024;

    /**
     * Partition and offset of a dead letter found after decoding, where the source position is
     * gone.
     */
    public static final int UNKNOWN_POSITION = -1;

    private DeadLetters() {}

    /** A record of the events topic that could not be used. */
    public static DeadLetter of(
            String topic, int partition, long offset, byte[] key, byte[] value, String reason) {
        String why = reason;
        if (value != null && value.length > MAX_RAW_BYTES) {
            why += " (value truncated from " + value.length + " bytes to " + MAX_RAW_BYTES + ")";
        }
        if (key != null && key.length > MAX_RAW_BYTES) {
            why += " (key truncated from " + key.length + " bytes to " + MAX_RAW_BYTES + ")";
        }
        return DeadLetter.newBuilder()
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(capped(key))
                .setValue(capped(value))
                .setReason(why)
                .setDetectedAt(System.currentTimeMillis())
                .build();
    }

    /**
     * A decoded event rejected later in the pipeline (e.g. out of order for its user): the value is
     * the event re-encoded, the key its user id; partition and offset are {@link
     * #UNKNOWN_POSITION}.
     */
    public static DeadLetter of(String topic, ClickEvent event, String reason) {
        return of(topic, event, RecordFormat.AVRO, reason);
    }

    /** As {@link #of(String, ClickEvent, String)}, the event re-encoded in {@code format}. */
    public static DeadLetter of(
            String topic, ClickEvent event, RecordFormat format, String reason) {
        byte[] value;
        try {
            if (format == RecordFormat.JSON) {
                value = AvroJson.toBytes(event);
            } else {
                ByteBuffer buffer = event.toByteBuffer();
                value = new byte[buffer.remaining()];
                buffer.get(value);
            }
        } catch (Exception e) {
            value = null;
        }
        return of(
                topic,
                UNKNOWN_POSITION,
                UNKNOWN_POSITION,
                event.getUserId().getBytes(StandardCharsets.UTF_8),
                value,
                reason + " (event " + event.getEventId() + ")");
    }

    private static ByteBuffer capped(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return ByteBuffer.wrap(
                bytes.length > MAX_RAW_BYTES ? Arrays.copyOf(bytes, MAX_RAW_BYTES) : bytes);
    }
}
