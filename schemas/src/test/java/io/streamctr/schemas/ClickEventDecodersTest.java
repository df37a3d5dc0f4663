package io.streamctr.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;

/** Events written with the ClickEvent schema before issue 16 still decode. */
class ClickEventDecodersTest {

    private static Schema v1() {
        return ClickEventDecoders.earlierSchemas().get(0);
    }

    /** An event as a producer built on the v1 schema wrote it. */
    private static ByteBuffer v1Bytes() throws Exception {
        GenericRecord old = new GenericData.Record(v1());
        old.put("eventId", "ml-1-1");
        old.put("userId", "1");
        old.put("itemId", "31");
        old.put("eventTime", 964_982_703_000L);
        old.put("label", 1);
        old.put("categorical", Map.of("site", "a"));
        old.put("numeric", Map.of("price", 2.5f));
        old.put("multiValued", Map.of("genres", List.of("Comedy")));
        old.put("actionType", "rating");
        return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1()).encode(old);
    }

    @Test
    void theOldSchemaHasAnotherFingerprintAndNoKind() {
        assertThat(SchemaNormalization.parsingFingerprint64(v1()))
                .isNotEqualTo(
                        SchemaNormalization.parsingFingerprint64(ClickEvent.getClassSchema()));
        assertThat(v1().getField("kind")).isNull();
        assertThat(v1().getField("impressionId")).isNull();
    }

    @Test
    void decodesAnEventWrittenWithTheOldSchemaAsLabelled() throws Exception {
        ClickEvent event = ClickEventDecoders.create().decode(v1Bytes());

        assertThat(event.getEventId()).isEqualTo("ml-1-1");
        assertThat(event.getItemId()).isEqualTo("31");
        assertThat(event.getLabel()).isEqualTo(1);
        assertThat(event.getNumeric()).containsEntry("price", 2.5f);
        assertThat(event.getKind()).isEqualTo(EventKind.LABELLED);
        assertThat(event.getImpressionId()).isNull();
    }

    @Test
    void thePlainGeneratedDecoderDoesNotKnowTheOldSchema() throws Exception {
        ByteBuffer bytes = v1Bytes();
        try {
            ClickEvent.getDecoder().decode(bytes);
            throw new AssertionError("expected the generated decoder to refuse v1 bytes");
        } catch (MissingSchemaException expected) {
            assertThat(expected).hasMessageContaining("fingerprint");
        }
    }

    @Test
    void decodesCurrentEventsWithTheirKind() throws Exception {
        ClickEvent click =
                ClickEvent.newBuilder()
                        .setEventId("c-1")
                        .setUserId("1")
                        .setItemId("31")
                        .setEventTime(5L)
                        .setLabel(null)
                        .setKind(EventKind.CLICK)
                        .setImpressionId("i-1")
                        .build();

        ClickEvent decoded = ClickEventDecoders.create().decode(click.toByteBuffer());

        assertThat(decoded).isEqualTo(click);
    }
}
