package io.streamctr.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import io.streamctr.schemas.UserHistory;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The sink's encoding is Avro's single-object encoding, byte for byte, record after record. */
class AvroSingleObjectSerializerTest {

    @Test
    void examplesOfMixedSizesGiveAvrosBytesAndDecode() throws Exception {
        List<Example> examples = new ArrayList<>(TestExamples.examples(300, 7));
        // large first, then small: a reused buffer must not leak a longer record's tail
        Collections.reverse(examples);
        AvroSingleObjectSerializer<Example> serializer =
                new AvroSingleObjectSerializer<>(Example.class);
        for (Example e : examples) {
            byte[] bytes = serializer.serialize(e);
            assertThat(bytes).isEqualTo(avro(Example.class, e));
            assertThat(Example.getDecoder().decode(bytes)).isEqualTo(e);
        }
    }

    @Test
    void sequencesAsArrayViewsListsAndLinkedListsGiveAvrosBytes() throws Exception {
        List<ClickEvent> events = TestExamples.events(300, 5);
        List<Example> views = new SequenceEnrichment("genres", 8, Set.of()).enrichAll(events);
        AvroSingleObjectSerializer<Example> serializer =
                new AvroSingleObjectSerializer<>(Example.class);
        for (Example e : views) {
            BehaviourSequence c = e.getHistory().getClicked();
            Example linked =
                    Example.newBuilder(e)
                            .setHistory(
                                    UserHistory.newBuilder(e.getHistory())
                                            .setClicked(
                                                    BehaviourSequence.newBuilder()
                                                            .setItems(
                                                                    new LinkedList<>(c.getItems()))
                                                            .setSides(new ArrayList<>(c.getSides()))
                                                            .setTimes(
                                                                    new LinkedList<>(c.getTimes()))
                                                            .build())
                                            .build())
                            .build();
            byte[] bytes = serializer.serialize(e);
            assertThat(bytes).isEqualTo(avro(Example.class, e));
            assertThat(serializer.serialize(linked)).isEqualTo(bytes);
            assertThat(Example.getDecoder().decode(bytes)).isEqualTo(e);
        }
        assertThat(views.get(views.size() - 1).getHistory().getClicked().getItems()).hasSize(8);
    }

    @Test
    void recordsLargerThanTheEncodersBufferAndWithOptionalFields() throws Exception {
        ClickEvent big =
                ClickEvent.newBuilder()
                        .setEventId("e")
                        .setUserId("ü\u0000ser")
                        .setItemId("i".repeat(100_000))
                        .setEventTime(-5L)
                        .setLabel(null)
                        .setNumeric(Map.of("x", Float.NaN, "y", -0f))
                        .setMultiValued(Map.of("tags", Collections.nCopies(5_000, "t")))
                        .build();
        Prediction small =
                Prediction.newBuilder()
                        .setEventId("e")
                        .setUserId("u")
                        .setItemId("i")
                        .setModelName("dnn")
                        .setModelVersion(3)
                        .setScore(0.25f)
                        .setLabel(1)
                        .setEventTime(1)
                        .setProcessingTime(2)
                        .build();
        AvroSingleObjectSerializer<ClickEvent> events =
                new AvroSingleObjectSerializer<>(ClickEvent.class);
        AvroSingleObjectSerializer<Prediction> predictions =
                new AvroSingleObjectSerializer<>(Prediction.class);
        for (int i = 0; i < 3; i++) {
            assertThat(events.serialize(big)).isEqualTo(avro(ClickEvent.class, big));
            assertThat(predictions.serialize(small)).isEqualTo(avro(Prediction.class, small));
        }
        assertThat(ClickEvent.getDecoder().decode(events.serialize(big))).isEqualTo(big);
    }

    private static <T extends SpecificRecordBase> byte[] avro(Class<T> type, T record)
            throws Exception {
        SpecificData data = SpecificData.getForClass(type);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<T>(data, data.getSchema(type)).encode(record, out);
        return out.toByteArray();
    }
}
