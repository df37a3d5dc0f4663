package io.streamctr.flink.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.schemas.CalibrationBucket;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ClickEvent event() {
        return ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId("u1")
                .setItemId("i1")
                .setEventTime(1_700_000_000_123L)
                .setLabel(1)
                .setCategorical(Map.of("city", "Paris"))
                .setNumeric(Map.of("price", 1.5f))
                .setMultiValued(Map.of("genres", List.of("Comedy", "Drama")))
                .setActionType("click")
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesNullableFieldsAsPlainValuesNotAvroUnionObjects() throws Exception {
        JsonNode json = MAPPER.readTree(AvroJson.toBytes(event()));

        assertThat(json.get("label").isInt()).isTrue();
        assertThat(json.get("label").intValue()).isEqualTo(1);
        assertThat(json.get("actionType").textValue()).isEqualTo("click");
        assertThat(json.get("eventTime").longValue()).isEqualTo(1_700_000_000_123L);
        assertThat(json.get("numeric").get("price").floatValue()).isEqualTo(1.5f);
        assertThat(json.get("multiValued").get("genres").get(1).textValue()).isEqualTo("Drama");
    }

    @Test
    void writesAbsentValuesAsJsonNull() throws Exception {
        Prediction p =
                Prediction.newBuilder()
                        .setEventId("e1")
                        .setUserId("u1")
                        .setItemId("i1")
                        .setModelName("lr")
                        .setModelVersion(3)
                        .setScore(0.25f)
                        .setLabel(null)
                        .setEventTime(5)
                        .setProcessingTime(6)
                        .build();

        JsonNode json = MAPPER.readTree(AvroJson.toString(p));

        assertThat(json.get("label").isNull()).isTrue();
        assertThat(json.get("score").doubleValue()).isEqualTo(0.25);
        assertThat(json.size()).isEqualTo(Prediction.getClassSchema().getFields().size());
    }

    @Test
    void writesBytesAsBase64() throws Exception {
        DeadLetter d =
                DeadLetter.newBuilder()
                        .setTopic("t")
                        .setPartition(0)
                        .setOffset(9)
                        .setKey(ByteBuffer.wrap(utf8("u1")))
                        .setValue(null)
                        .setReason("why")
                        .setDetectedAt(1)
                        .build();

        JsonNode json = MAPPER.readTree(AvroJson.toBytes(d));

        assertThat(json.get("key").textValue()).isEqualTo("dTE=");
        assertThat(json.get("value").isNull()).isTrue();
        assertThat(AvroJson.fromBytes(AvroJson.toBytes(d), DeadLetter.class)).isEqualTo(d);
    }

    @Test
    void readsBackWhatItWrites() {
        assertThat(AvroJson.fromBytes(AvroJson.toBytes(event()), ClickEvent.class))
                .isEqualTo(event());
        MetricsReport report =
                MetricsReport.newBuilder()
                        .setModelName("lr")
                        .setModelVersion(1)
                        .setCount(2)
                        .setPredictions(3)
                        .setLifetimeAuc(0.75)
                        .setWindowSize(10)
                        .setWindowCount(2)
                        .setWallTime(4)
                        .setWindowCalibrationBuckets(
                                List.of(new CalibrationBucket(0.0, 0.5, 2L, 1L, 0.5)))
                        .build();
        assertThat(AvroJson.fromBytes(AvroJson.toBytes(report), MetricsReport.class))
                .isEqualTo(report);
    }

    @Test
    void readsAHandWrittenEventWithDefaultsForMissingOptionalFields() {
        ClickEvent e =
                AvroJson.fromBytes(
                        utf8(
                                "{\"eventId\":\"e9\",\"userId\":\"u9\",\"itemId\":\"i9\","
                                        + "\"eventTime\":42,\"label\":0}"),
                        ClickEvent.class);

        assertThat(e.getLabel()).isZero();
        assertThat(e.getEventTime()).isEqualTo(42L);
        assertThat(e.getCategorical()).isEmpty();
        assertThat(e.getMultiValued()).isEmpty();
        assertThat(e.getActionType()).isNull();
    }

    @Test
    void namesTheFieldThatDoesNotFit() {
        String base = "\"eventId\":\"e\",\"userId\":\"u\",\"itemId\":\"i\"";
        assertThatThrownBy(
                        () ->
                                AvroJson.fromBytes(
                                        utf8("{" + base + ",\"eventTime\":\"soon\"}"),
                                        ClickEvent.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventTime: expected a long, got string \"soon\"");
        assertThatThrownBy(
                        () ->
                                AvroJson.fromBytes(
                                        utf8("{" + base + ",\"eventTime\":1,\"label\":0.5}"),
                                        ClickEvent.class))
                .hasMessage("label: expected an int, got number 0.5");
        assertThatThrownBy(
                        () ->
                                AvroJson.fromBytes(
                                        utf8(
                                                "{"
                                                        + base
                                                        + ",\"eventTime\":1,"
                                                        + "\"numeric\":{\"price\":\"x\"}}"),
                                        ClickEvent.class))
                .hasMessage("numeric.price: expected a number, got string \"x\"");
        assertThatThrownBy(() -> AvroJson.fromBytes(utf8("{" + base + "}"), ClickEvent.class))
                .hasMessage("eventTime: missing (ClickEvent requires it)");
        assertThatThrownBy(
                        () ->
                                AvroJson.fromBytes(
                                        utf8("{" + base + ",\"eventTime\":1,\"lable\":1}"),
                                        ClickEvent.class))
                .hasMessageStartingWith("lable: unknown field of ClickEvent (fields: eventId,");
    }

    @Test
    void rejectsWhatIsNotOneJsonObject() {
        assertThatThrownBy(() -> AvroJson.fromBytes(utf8("{\"eventId\":"), ClickEvent.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON: ");
        assertThatThrownBy(() -> AvroJson.fromBytes(utf8("[1,2]"), ClickEvent.class))
                .hasMessage("record: expected a JSON object (ClickEvent), got array [1,2]");
    }
}
