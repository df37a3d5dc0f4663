package io.streamctr.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.cli.Main;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.DatasetAdapters;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.Fixtures;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Prediction;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code replay} then {@code tail} end to end on a real in-process Kafka broker. */
@Timeout(180)
class ReplayTailITCase {

    private static final int EVENTS = 2_000;

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void tailReadsBackEveryReplayedEventInPerUserOrder() throws Exception {
        KAFKA.createTopic("ctr.events", 3);
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);

        ReplaySummary summary =
                Replayer.builder()
                        .bootstrapServers(KAFKA.bootstrapServers())
                        .topic("ctr.events")
                        .build()
                        .replay(events);
        StringWriter out = new StringWriter();
        int code =
                tail(
                        out,
                        "--topic",
                        "ctr.events",
                        "--from-beginning",
                        "--max",
                        String.valueOf(EVENTS));

        assertThat(summary.sent()).isEqualTo(EVENTS);
        assertThat(summary.failed()).isZero();
        assertThat(summary.firstError()).isNull();
        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(EVENTS);
        Set<String> eventIds = new HashSet<>();
        Map<String, Long> lastTimeByUser = new HashMap<>();
        for (String line : lines) {
            JsonNode event = json.readTree(line);
            assertThat(eventIds.add(event.get("eventId").asText()))
                    .as("duplicate %s", line)
                    .isTrue();
            long time = event.get("eventTime").asLong();
            Long previous = lastTimeByUser.put(event.get("userId").asText(), time);
            if (previous != null) {
                assertThat(time)
                        .as("time order of user %s", event.get("userId"))
                        .isGreaterThanOrEqualTo(previous);
            }
        }
        assertThat(eventIds).containsAll(events.stream().map(ClickEvent::getEventId).toList());
    }

    @Test
    void replaysAnAdapterStreamKeyedByUserInPerUserTimeOrder() {
        KAFKA.createTopic("ctr.mind", 3);
        List<ClickEvent> expected = Fixtures.timeOrder("mind", Fixtures.dir("mind"), Map.of());

        ReplaySummary summary;
        try (EventStream events =
                DatasetAdapters.openInTimeOrder(
                        "mind", Fixtures.dir("mind"), DatasetOptions.defaults(), false, 4, null)) {
            summary =
                    Replayer.builder()
                            .bootstrapServers(KAFKA.bootstrapServers())
                            .topic("ctr.mind")
                            .skip(1)
                            .build()
                            .replay(events);
        }

        assertThat(summary.sent()).isEqualTo(expected.size() - 1);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.badLines()).isZero();
        Map<String, List<String>> sentByUser = new HashMap<>();
        expected.subList(1, expected.size())
                .forEach(
                        e ->
                                sentByUser
                                        .computeIfAbsent(e.getUserId(), u -> new ArrayList<>())
                                        .add(e.getEventId()));
        Map<String, List<String>> readByUser = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG, "it-mind",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("ctr.mind"));
            long deadline = System.currentTimeMillis() + 60_000;
            int read = 0;
            while (read < summary.sent() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ClickEvent event;
                    try {
                        event = ClickEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    assertThat(new String(r.key(), StandardCharsets.UTF_8))
                            .isEqualTo(event.getUserId());
                    readByUser
                            .computeIfAbsent(event.getUserId(), u -> new ArrayList<>())
                            .add(event.getEventId());
                    read++;
                }
            }
        }
        assertThat(readByUser).isEqualTo(sentByUser);
    }

    @Test
    void tailPrintsAnErrorLineForUndecodableBytesAndGoesOn() throws Exception {
        KAFKA.createTopic("ctr.predictions", 1);
        Prediction prediction =
                Prediction.newBuilder()
                        .setEventId("ml-1-1")
                        .setUserId("1")
                        .setItemId("1")
                        .setModelName("dcnv2")
                        .setModelVersion(3)
                        .setScore(0.5f)
                        .setLabel(1)
                        .setEventTime(1000L)
                        .setProcessingTime(2000L)
                        .build();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    "ctr.predictions", "not avro".getBytes(StandardCharsets.UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>("ctr.predictions", bytes(prediction.toByteBuffer())))
                    .get();
        }

        StringWriter out = new StringWriter();
        int code = tail(out, "--predictions", "--from-beginning", "--max", "2");

        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode error = json.readTree(lines.get(0));
        assertThat(error.get("error").asText()).contains("not Avro");
        assertThat(error.get("topic").asText()).isEqualTo("ctr.predictions");
        assertThat(error.get("partition").asInt()).isZero();
        assertThat(error.get("offset").asLong()).isZero();
        assertThat(json.readTree(lines.get(1)).get("modelName").asText()).isEqualTo("dcnv2");
    }

    @Test
    void tailStopsAfterTheTimeoutWithoutRecords() {
        KAFKA.createTopic("ctr.empty", 1);
        StringWriter out = new StringWriter();

        int code = tail(out, "--topic", "ctr.empty", "--from-beginning", "--timeout-ms", "1500");

        assertThat(code).isZero();
        assertThat(out.toString()).isEmpty();
    }

    private static int tail(StringWriter out, String... options) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));
        String[] args = new String[options.length + 3];
        args[0] = "tail";
        args[1] = "--bootstrap-servers";
        args[2] = KAFKA.bootstrapServers();
        System.arraycopy(options, 0, args, 3, options.length);
        return cmd.execute(args);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
