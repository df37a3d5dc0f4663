package io.streamctr.cli.tail;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Kafka record values in Avro single-object encoding (header {@code C3 01}, then the writer
 * schema's CRC-64-AVRO fingerprint, little-endian, then the body) into the project's records,
 * choosing the type by the fingerprint, not by the topic. Knows {@link ClickEvent}, {@link
 * Prediction}, {@link MetricsReport} and {@link DeadLetter}, and click events written before {@code
 * kind} and {@code impressionId} existed (read as {@code LABELLED}). Never throws on bad bytes: the
 * result then carries an error message instead.
 */
public final class AvroRecordDecoder {

    private static final int HEADER_LENGTH = 10;
    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;

    /** A decoded record, or why there is none; exactly one of the two is non-null. */
    public record Result(SpecificRecord record, String error) {

        public boolean ok() {
            return record != null;
        }
    }

    private final Map<Long, BinaryMessageDecoder<? extends SpecificRecord>> decoders =
            new HashMap<>();

    public AvroRecordDecoder() {
        BinaryMessageDecoder<ClickEvent> clickEvents = ClickEvent.createDecoder(null);
        Schema beforeKinds = clickEventBeforeKinds();
        clickEvents.addSchema(beforeKinds);
        register(ClickEvent.getClassSchema(), clickEvents);
        register(beforeKinds, clickEvents);
        register(Prediction.getClassSchema(), Prediction.getDecoder());
        register(MetricsReport.getClassSchema(), MetricsReport.getDecoder());
        register(DeadLetter.getClassSchema(), DeadLetter.getDecoder());
    }

    private void register(
            org.apache.avro.Schema schema, BinaryMessageDecoder<? extends SpecificRecord> decoder) {
        decoders.put(SchemaNormalization.parsingFingerprint64(schema), decoder);
    }

    /**
     * The click event's schema before issue 16 added {@code kind} and {@code impressionId}: the
     * current one without them (the fingerprint ignores docs), so old events still decode.
     */
    static Schema clickEventBeforeKinds() {
        Set<String> added = Set.of("kind", "impressionId");
        Schema current = ClickEvent.getClassSchema();
        List<Schema.Field> fields =
                current.getFields().stream()
                        .filter(f -> !added.contains(f.name()))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList();
        return Schema.createRecord(
                current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    /** Decodes one record value; {@code null} (a tombstone) and garbage give an error result. */
    public Result decode(byte[] value) {
        if (value == null) {
            return new Result(null, "null value");
        }
        if (value.length < HEADER_LENGTH || value[0] != MAGIC_0 || value[1] != MAGIC_1) {
            return new Result(
                    null,
                    "not Avro single-object encoding ("
                            + value.length
                            + " bytes, no C3 01 header)");
        }
        long fingerprint = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        BinaryMessageDecoder<? extends SpecificRecord> decoder = decoders.get(fingerprint);
        if (decoder == null) {
            return new Result(
                    null,
                    String.format(Locale.ROOT, "unknown schema fingerprint %016x", fingerprint));
        }
        try {
            return new Result(decoder.decode(value), null);
        } catch (Exception e) {
            return new Result(null, "cannot decode: " + e);
        }
    }
}
