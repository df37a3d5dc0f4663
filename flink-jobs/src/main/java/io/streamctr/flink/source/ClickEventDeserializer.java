package io.streamctr.flink.source;

import io.streamctr.flink.format.AvroJson;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.ClickEventDecoders;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.DecodedRecord;
import java.nio.ByteBuffer;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes the events topic: {@link ClickEvent}s in the topic's {@link RecordFormat} (Avro
 * single-object encoding or JSON) become events; anything else (empty value, wrong header, another
 * schema's fingerprint, truncated bytes, JSON that does not parse or does not fit the schema, an
 * invalid event) becomes a {@link DeadLetter} with the raw bytes (capped), where it came from and
 * why. Records without a key (the user id) or over {@link #MAX_RECORD_BYTES} are rejected before
 * decoding. Never throws, so a bad record cannot stop the job.
 */
public final class ClickEventDeserializer
        implements KafkaRecordDeserializationSchema<DecodedRecord> {

    private static final long serialVersionUID = 1L;

    /** Larger values are not decoded (a ClickEvent is a few hundred bytes): 1 MiB. */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private final RecordFormat format;
    private transient BinaryMessageDecoder<ClickEvent> decoder;

    /** A decoder of Avro single-object-encoded events. */
    public ClickEventDeserializer() {
        this(RecordFormat.AVRO);
    }

    /** A decoder of events in {@code format}. */
    public ClickEventDeserializer(RecordFormat format) {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        this.format = format;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        out.collect(
                decode(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        record.value()));
    }

    /** The decoded event or the dead letter of one record. */
    public DecodedRecord decode(
            String topic, int partition, long offset, byte[] key, byte[] value) {
        if (decoder == null) {
            decoder = ClickEventDecoders.create();
        }
        String reason;
        if (value == null || value.length == 0) {
            reason = "empty value";
        } else if (key == null) {
            reason =
                    "missing key: events must be keyed by user id so that each user's events stay"
                            + " in order";
        } else if (value.length > MAX_RECORD_BYTES) {
            reason =
                    "record of "
                            + value.length
                            + " bytes is larger than the limit of "
                            + MAX_RECORD_BYTES;
        } else {
            try {
                ClickEvent event =
                        format == RecordFormat.JSON
                                ? AvroJson.fromBytes(value, ClickEvent.class)
                                : decoder.decode(ByteBuffer.wrap(value));
                reason = ClickEventValidator.problem(event);
                if (reason == null) {
                    return DecodedRecord.newBuilder().setEvent(event).build();
                }
            } catch (BadHeaderException e) {
                reason = "not Avro single-object encoding: " + e.getMessage();
            } catch (MissingSchemaException e) {
                reason = "schema fingerprint is not ClickEvent's: " + e.getMessage();
            } catch (IllegalArgumentException e) {
                reason =
                        (format == RecordFormat.JSON
                                        ? "invalid ClickEvent JSON: "
                                        : "undecodable ClickEvent: IllegalArgumentException: ")
                                + e.getMessage();
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                reason =
                        "undecodable ClickEvent: "
                                + e.getClass().getSimpleName()
                                + ": "
                                + e.getMessage();
            }
        }
        return DecodedRecord.newBuilder()
                .setDeadLetter(DeadLetters.of(topic, partition, offset, key, value, reason))
                .build();
    }

    @Override
    public TypeInformation<DecodedRecord> getProducedType() {
        return new AvroTypeInfo<>(DecodedRecord.class);
    }
}
