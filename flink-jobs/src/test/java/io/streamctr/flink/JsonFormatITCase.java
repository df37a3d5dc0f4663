package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.flink.format.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka.format=json} end to end, as a client without Avro sees it: events written as JSON
 * strings by a plain Kafka producer (no project classes), the job on the MiniCluster, predictions,
 * metrics and dead letters read back by a plain consumer and parsed with Jackson.
 */
class JsonFormatITCase {

    private static final int EVENTS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void readsJsonEventsAndWritesJsonPredictionsMetricsAndDeadLetters(@TempDir Path checkpoints)
            throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        KAFKA.createTopic("ctr.events", 1);
        KAFKA.createTopics(EmbeddedJobRun.OUTPUT_TOPICS, 1);
        Map<String, Integer> labels = produceJsonEvents(bootstrap);

        Configuration conf =
                EmbeddedJobRun.configuration(
                        bootstrap, checkpoints, Duration.ofSeconds(1), List.of("lr"));
        conf.set(JobOptions.FORMAT, RecordFormat.JSON);
        conf.setString("restart-strategy.type", "none");
        EmbeddedJobRun.execute(conf, "json-format-itcase");

        List<JsonNode> predictions = readJson(bootstrap, "ctr.predictions");
        assertThat(predictions).hasSize(EVENTS);
        assertThat(predictions.stream().map(p -> p.get("eventId").textValue()))
                .containsExactlyInAnyOrderElementsOf(labels.keySet());
        for (JsonNode p : predictions) {
            assertThat(p.get("modelName").textValue()).isEqualTo("lr");
            assertThat(p.get("score").isNumber()).as("score of %s", p).isTrue();
            assertThat(p.get("score").doubleValue()).isBetween(0.0, 1.0);
            // a nullable field is its plain value, not Avro's {"int": 1}
            assertThat(p.get("label").isInt()).as("label of %s", p).isTrue();
            assertThat(p.get("label").intValue())
                    .isEqualTo(labels.get(p.get("eventId").textValue()));
        }

        List<JsonNode> metrics = readJson(bootstrap, "ctr.metrics");
        JsonNode last = metrics.get(metrics.size() - 1);
        assertThat(last.get("finalReport").booleanValue()).isTrue();
        assertThat(last.get("predictions").longValue()).isEqualTo(EVENTS);
        assertThat(last.get("lifetimeAuc").isDouble()).isTrue();

        List<JsonNode> dead = readJson(bootstrap, "ctr.deadletter");
        assertThat(dead).hasSize(2);
        JsonNode notJson =
                dead.stream().filter(d -> d.get("offset").longValue() >= 0).findFirst().get();
        assertThat(notJson.get("reason").textValue())
                .startsWith("invalid ClickEvent JSON: not JSON");
        assertThat(notJson.get("offset").longValue()).isEqualTo(EVENTS / 2);
        assertThat(Base64.getDecoder().decode(notJson.get("value").textValue()))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("{\"eventId\": ");
        JsonNode late =
                dead.stream().filter(d -> d.get("offset").longValue() < 0).findFirst().get();
        assertThat(late.get("reason").textValue()).startsWith("out of order for user");
        // the late event is kept in the topic's format: JSON a client can read back
        JsonNode lateEvent =
                JSON.readTree(Base64.getDecoder().decode(late.get("value").textValue()));
        assertThat(lateEvent.get("eventId").textValue()).isEqualTo("late");
    }

    /** Writes the events as JSON text, one not JSON in the middle; returns the labels by id. */
    private static Map<String, Integer> produceJsonEvents(String bootstrap) throws Exception {
        Random random = new Random(5);
        Map<String, Integer> labels = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringSerializer(),
                        new StringSerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                if (i == EVENTS / 2) {
                    producer.send(new ProducerRecord<>("ctr.events", "u0", "{\"eventId\": "));
                    // older than every event of u0 so far: out of order, a dead letter too
                    producer.send(
                            new ProducerRecord<>(
                                    "ctr.events",
                                    "u0",
                                    "{\"eventId\":\"late\",\"userId\":\"u0\","
                                            + "\"itemId\":\"i1\",\"eventTime\":1,\"label\":0}"));
                }
                int item = random.nextInt(40);
                int label = item % 3 == 0 ? 1 : 0;
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("eventId", "e" + i);
                event.put("userId", "u" + random.nextInt(8));
                event.put("itemId", "i" + item);
                event.put("eventTime", 1_700_000_000_000L + 1_000L * i);
                event.put("label", label);
                event.put("multiValued", Map.of("genres", List.of("g" + item % 4)));
                labels.put("e" + i, label);
                producer.send(
                        new ProducerRecord<>(
                                "ctr.events",
                                (String) event.get("userId"),
                                JSON.writeValueAsString(event)));
            }
            producer.flush();
        }
        return labels;
    }

    /** Every committed record of the topic, parsed as JSON. */
    private static List<JsonNode> readJson(String bootstrap, String topic) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            Set<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .collect(Collectors.toSet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(JSON.readTree(r.value()));
                }
            }
        }
        return out;
    }
}
