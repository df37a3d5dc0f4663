package io.streamctr.cli.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class AvroRecordDecoderTest {

    private static final long T = 964_982_703_000L;

    private final AvroRecordDecoder decoder = new AvroRecordDecoder();

    @Test
    void decodesEachKnownTypeByFingerprint() throws Exception {
        List<SpecificRecordBase> records =
                List.of(clickEvent(), prediction(), metricsReport(), deadLetter());

        for (SpecificRecordBase record : records) {
            AvroRecordDecoder.Result result = decoder.decode(bytes(record));

            assertThat(result.ok()).as(record.getSchema().getName()).isTrue();
            assertThat(result.error()).isNull();
            assertThat(result.record()).isInstanceOf(record.getClass()).isEqualTo(record);
        }
    }

    @Test
    void decodesAClickEventWrittenBeforeKindsExistedAsLabelled() throws Exception {
        Schema old;
        try (InputStream in = getClass().getResourceAsStream("ClickEvent-before-kinds.avsc")) {
            old = new Schema.Parser().parse(in); // the schema of commit 03f8815
        }
        GenericRecord event = new GenericData.Record(old);
        event.put("eventId", "ml-1-1");
        event.put("userId", "1");
        event.put("itemId", "31");
        event.put("eventTime", T);
        event.put("label", 1);
        event.put("categorical", Map.of("genre", "Drama"));
        event.put("numeric", Map.of());
        event.put("multiValued", Map.of());
        event.put("actionType", null);
        ByteBuffer encoded =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(event);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);

        AvroRecordDecoder.Result result = decoder.decode(bytes);

        assertThat(result.error()).isNull();
        ClickEvent decoded = (ClickEvent) result.record();
        assertThat(decoded.getEventId()).isEqualTo("ml-1-1");
        assertThat(decoded.getLabel()).isEqualTo(1);
        assertThat(decoded.getCategorical()).containsEntry("genre", "Drama");
        assertThat(decoded.getKind()).isEqualTo(EventKind.LABELLED);
        assertThat(decoded.getImpressionId()).isNull();
        assertThat(
                        SchemaNormalization.parsingFingerprint64(
                                AvroRecordDecoder.clickEventBeforeKinds()))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(old));
    }

    @Test
    void garbageGivesErrorsNotExceptions() throws Exception {
        byte[] valid = bytes(clickEvent());
        byte[] unknownFingerprint = valid.clone();
        unknownFingerprint[5] ^= 0x55;
        byte[] truncated = Arrays.copyOf(valid, 14);
        byte[] random = new byte[64];
        new Random(42).nextBytes(random);
        byte[] headerThenRandom = random.clone();
        System.arraycopy(valid, 0, headerThenRandom, 0, 10);

        assertThat(decoder.decode(null).error()).isEqualTo("null value");
        assertThat(decoder.decode(new byte[0]).error()).contains("not Avro single-object encoding");
        assertThat(decoder.decode(random).error()).contains("not Avro single-object encoding");
        assertThat(decoder.decode(unknownFingerprint).error())
                .contains("unknown schema fingerprint");
        assertThat(decoder.decode(truncated).error()).startsWith("cannot decode");
        AvroRecordDecoder.Result garbled = decoder.decode(headerThenRandom);
        assertThat(garbled.ok() ? garbled.record() : garbled.error()).isNotNull();
    }

    @Test
    void errorLineIsEscapedJson() {
        String line = JsonLines.error("bad \"bytes\"\n\u0001", "ctr.events", 2, 17);

        assertThat(line)
                .isEqualTo(
                        "{\"error\": \"bad \\\"bytes\\\"\\n"
                            + "\\u0001\", \"topic\": \"ctr.events\", \"partition\": 2, \"offset\":"
                            + " 17}");
    }

    private static byte[] bytes(SpecificRecordBase record) throws Exception {
        ByteBuffer buffer = (ByteBuffer) record.getClass().getMethod("toByteBuffer").invoke(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static ClickEvent clickEvent() {
        return ClickEvent.newBuilder()
                .setEventId("ml-1-1")
                .setUserId("1")
                .setItemId("1")
                .setEventTime(T)
                .setLabel(1)
                .setMultiValued(Map.of("genres", List.of("Comedy")))
                .setActionType("rating")
                .build();
    }

    private static Prediction prediction() {
        return Prediction.newBuilder()
                .setEventId("ml-1-1")
                .setUserId("1")
                .setItemId("1")
                .setModelName("dcnv2")
                .setModelVersion(7)
                .setScore(0.25f)
                .setLabel(1)
                .setEventTime(T)
                .setProcessingTime(T + 1000)
                .build();
    }

    private static MetricsReport metricsReport() {
        return MetricsReport.newBuilder()
                .setModelName("dcnv2")
                .setModelVersion(7)
                .setCount(100)
                .setPredictions(120)
                .setLifetimeAuc(0.71)
                .setLifetimeNe(0.93)
                .setWindowSize(1000)
                .setWindowCount(100)
                .setWallTime(T)
                .setEventsPerSecond(5000.0)
                .build();
    }

    private static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setTopic("ctr.events")
                .setPartition(0)
                .setOffset(3)
                .setKey(ByteBuffer.wrap(new byte[] {'4', '2'}))
                .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setReason("bad header")
                .setDetectedAt(T)
                .build();
    }
}
