package io.streamctr.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.format.AvroJson;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.EventKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The events topic in {@code kafka.format=json}: events parse, anything else is a dead letter. */
class JsonClickEventDeserializerTest {

    private static final byte[] KEY = "u1".getBytes(StandardCharsets.UTF_8);
    private final ClickEventDeserializer deserializer =
            new ClickEventDeserializer(RecordFormat.JSON);

    private static ClickEvent event() {
        return ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId("u1")
                .setItemId("i1")
                .setEventTime(1_000L)
                .setLabel(1)
                .build();
    }

    private DecodedRecord decode(String json) {
        return deserializer.decode("ctr.events", 0, 5, KEY, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesAJsonEvent() {
        DecodedRecord r = decode(AvroJson.toString(event()));

        assertThat(r.getDeadLetter()).isNull();
        assertThat(r.getEvent()).isEqualTo(event());
    }

    @Test
    void sendsMalformedJsonToTheDeadLettersWithItsBytes() {
        DecodedRecord r = decode("{\"eventId\": \"e1\",");

        assertThat(r.getEvent()).isNull();
        assertThat(r.getDeadLetter().getReason()).startsWith("invalid ClickEvent JSON: not JSON: ");
        ByteBuffer kept = r.getDeadLetter().getValue();
        assertThat(StandardCharsets.UTF_8.decode(kept).toString())
                .isEqualTo("{\"eventId\": \"e1\",");
        assertThat(r.getDeadLetter().getOffset()).isEqualTo(5);
    }

    @Test
    void validatesJsonEventsAndNamesTheFieldOfTheWrongType() {
        DecodedRecord r =
                decode("{\"eventId\":\"e1\",\"userId\":\"u1\",\"itemId\":\"i1\",\"eventTime\":-5}");

        assertThat(r.getDeadLetter().getReason()).isEqualTo("negative event time -5");
        assertThat(
                        decode(
                                        "{\"eventId\":\"e1\",\"userId\":\"u1\",\"itemId\":1,"
                                                + "\"eventTime\":5}")
                                .getDeadLetter()
                                .getReason())
                .isEqualTo("invalid ClickEvent JSON: itemId: expected a string, got number 1");
    }

    @Test
    void sendsAnAvroRecordOnAJsonTopicToTheDeadLetters() throws Exception {
        ByteBuffer avro = event().toByteBuffer();
        byte[] bytes = new byte[avro.remaining()];
        avro.get(bytes);

        DecodedRecord r = deserializer.decode("ctr.events", 0, 1, KEY, bytes);

        assertThat(r.getEvent()).isNull();
        assertThat(r.getDeadLetter().getReason()).startsWith("invalid ClickEvent JSON: not JSON");
    }

    @Test
    void readsAndWritesTheKindAsItsSymbolAndTheImpressionId() {
        ClickEvent click =
                ClickEvent.newBuilder(event())
                        .setLabel(null)
                        .setKind(EventKind.CLICK)
                        .setImpressionId("imp-7")
                        .build();
        String json = AvroJson.toString(click);

        assertThat(json).contains("\"kind\":\"CLICK\"").contains("\"impressionId\":\"imp-7\"");
        assertThat(decode(json).getEvent()).isEqualTo(click);
    }

    @Test
    void anEventWithoutKindOrImpressionIdIsLabelled() {
        DecodedRecord r =
                decode(
                        "{\"eventId\":\"e1\",\"userId\":\"u1\",\"itemId\":\"i1\","
                                + "\"eventTime\":1000,\"label\":1}");

        assertThat(r.getDeadLetter()).isNull();
        assertThat(r.getEvent()).isEqualTo(event());
        assertThat(r.getEvent().getKind()).isEqualTo(EventKind.LABELLED);
    }
}
