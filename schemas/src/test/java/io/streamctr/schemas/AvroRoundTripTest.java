package io.streamctr.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;

/** Every record on Kafka round-trips through single-object encoding and names its schema. */
class AvroRoundTripTest {

    static ClickEvent clickEvent() {
        return ClickEvent.newBuilder()
                .setEventId("ml-1-1")
                .setUserId("1")
                .setItemId("1")
                .setEventTime(964_982_703_000L)
                .setLabel(1)
                .setCategorical(Map.of("site", "a"))
                .setNumeric(Map.of("price", 2.5f))
                .setMultiValued(Map.of("genres", List.of("Comedy", "Drama")))
                .setActionType("rating")
                .build();
    }

    static Prediction prediction() {
        return Prediction.newBuilder()
                .setEventId("ml-1-1")
                .setUserId("1")
                .setItemId("1")
                .setModelName("dnn")
                .setModelVersion(12)
                .setScore(0.73f)
                .setLabel(null)
                .setEventTime(1L)
                .setProcessingTime(2L)
                .build();
    }

    static MetricsReport metricsReport() {
        return MetricsReport.newBuilder()
                .setModelName("dnn")
                .setModelVersion(3)
                .setCount(10)
                .setPredictions(11)
                .setLifetimeAuc(null)
                .setLifetimeNe(0.9)
                .setWindowSize(100)
                .setWindowCount(10)
                .setWallTime(5L)
                .setMinEventTime(1L)
                .setMaxEventTime(4L)
                .setFinalReport(true)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setTopic("ctr.events")
                .setPartition(2)
                .setOffset(42)
                .setKey(ByteBuffer.wrap(new byte[] {1}))
                .setValue(ByteBuffer.wrap(new byte[] {9, 9}))
                .setReason("empty value")
                .setDetectedAt(7L)
                .build();
    }

    static Example example() {
        BehaviourSequence seq =
                BehaviourSequence.newBuilder()
                        .setItems(List.of(1, 2))
                        .setSides(List.of(3, 4))
                        .setTimes(List.of(5L, 6L))
                        .build();
        UserHistory history =
                UserHistory.newBuilder()
                        .setClicked(seq)
                        .setNonClicked(BehaviourSequence.newBuilder().build())
                        .setLastEventTime(6L)
                        .build();
        return Example.newBuilder().setEvent(clickEvent()).setHistory(history).build();
    }

    @Test
    void everyRecordRoundTrips() throws Exception {
        assertThat(ClickEvent.fromByteBuffer(clickEvent().toByteBuffer())).isEqualTo(clickEvent());
        assertThat(Prediction.fromByteBuffer(prediction().toByteBuffer())).isEqualTo(prediction());
        assertThat(MetricsReport.fromByteBuffer(metricsReport().toByteBuffer()))
                .isEqualTo(metricsReport());
        assertThat(DeadLetter.fromByteBuffer(deadLetter().toByteBuffer())).isEqualTo(deadLetter());
        assertThat(Example.fromByteBuffer(example().toByteBuffer())).isEqualTo(example());
    }

    @Test
    void singleObjectHeaderCarriesTheSchemaFingerprint() throws Exception {
        ByteBuffer bytes = prediction().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.get(0)).isEqualTo((byte) 0xC3);
        assertThat(bytes.get(1)).isEqualTo((byte) 0x01);
        assertThat(bytes.getLong(2))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(Prediction.getClassSchema()));
    }

    @Test
    void aRecordOfAnotherSchemaIsRejectedByFingerprint() throws Exception {
        ByteBuffer prediction = prediction().toByteBuffer();
        assertThatThrownBy(() -> ClickEvent.fromByteBuffer(prediction))
                .isInstanceOf(MissingSchemaException.class);
    }
}
