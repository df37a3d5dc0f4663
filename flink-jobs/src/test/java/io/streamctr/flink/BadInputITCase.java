package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.flink.enrich.SequenceEnricher;
import io.streamctr.flink.source.DeadLetterSplitter;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input, on the real in-process broker, in the middle of valid MovieLens events,
 * through the whole job (MiniCluster, RocksDB, exactly-once sinks, no restarts allowed): each bad
 * record lands on the dead-letter topic once with its reason and is counted in the job's metrics;
 * each valid event, including the odd-but-valid ones, is predicted exactly once.
 *
 * <p>What the job does, per kind (also in the README):
 *
 * <ul>
 *   <li>dead letter, decoding: truncated Avro, a valid record of another schema, an unknown schema
 *       fingerprint, an empty value, a null key, a record over 1 MiB (the 10 MB record and the
 *       multi-valued field with 10⁶ entries);
 *   <li>dead letter, validation: a missing (empty or blank) user, item or event id, control
 *       characters in an id, a NaN or ±Inf numeric feature, a negative or far-future (> 7 days)
 *       event time, a label outside {0, 1}, more than 10,000 values in a multi-valued field;
 *   <li>dead letter, enricher: an event older than its user's latest (out of order), with the event
 *       id in the reason;
 *   <li>valid: unicode ids; empty strings as feature values (an empty categorical value counts as
 *       missing, an empty string in a multi-valued field is a token like any other); an unlabelled
 *       event (predicted, not trained on).
 * </ul>
 */
class BadInputITCase {

    private static final int VALID = 2_000;
    private static final String TOPIC = "bad.events";
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** A record to write and, for a bad one, the reason its dead letter must carry. */
    private record Input(String kind, byte[] key, byte[] value, String expectedReason) {
        boolean bad() {
            return expectedReason != null;
        }
    }

    @Test
    void sendsEveryBadRecordToTheDeadLettersAndPredictsEveryValidOne(@TempDir Path checkpoints)
            throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<ClickEvent> movieLens = MovieLensReader.read(BundledData.movieLensDir(), VALID);
        List<Input> odd = oddInputs(movieLens.get(0));
        List<Input> inputs = new ArrayList<>();
        List<ClickEvent> valid = new ArrayList<>(movieLens);
        int every = VALID / (odd.size() + 1);
        for (int i = 0; i < movieLens.size(); i++) {
            ClickEvent e = movieLens.get(i);
            inputs.add(new Input("movielens", key(e.getUserId()), bytes(e), null));
            if (i % every == every - 1 && i / every < odd.size()) {
                inputs.add(odd.get(i / every));
            }
        }
        for (Input in : odd) {
            if (!in.bad()) {
                valid.add(ClickEvent.getDecoder().decode(in.value()));
            }
        }
        createLargeMessageTopic(bootstrap, TOPIC);
        KAFKA.createTopics(EmbeddedJobRun.OUTPUT_TOPICS, 1);
        KafkaTestIO.produceRaw(
                bootstrap,
                TOPIC,
                inputs.stream().map(in -> new byte[][] {in.key(), in.value()}).toList());

        Configuration conf =
                EmbeddedJobRun.configuration(
                        bootstrap, checkpoints, Duration.ofSeconds(1), List.of("dnn-tiny"));
        conf.setString(
                "restart-strategy.type", "none"); // a bad record that threw would fail the test
        conf.set(JobOptions.EVENTS_TOPIC, TOPIC);
        conf.set(JobOptions.NUMERIC_FIELDS, List.of("price"));
        conf.set(JobOptions.CATEGORICAL_FIELDS, List.of("city"));
        CountingReporter.configure(conf);
        EmbeddedJobRun.execute(conf, "bad-input-itcase");

        EmbeddedJobRun.assertOnePredictionPerEvent(bootstrap, valid, List.of("dnn-tiny"), 10);
        List<MetricsReport> reports =
                KafkaTestIO.readAll(bootstrap, "ctr.metrics", MetricsReport.getDecoder());
        MetricsReport last = reports.get(reports.size() - 1);
        assertThat(last.getFinalReport()).isTrue();
        assertThat(last.getPredictions()).isEqualTo(valid.size());

        List<DeadLetter> dead =
                KafkaTestIO.readAll(bootstrap, "ctr.deadletter", DeadLetter.getDecoder());
        List<Input> bad = odd.stream().filter(Input::bad).toList();
        assertThat(dead).hasSize(bad.size());
        for (Input in : bad) {
            List<DeadLetter> mine =
                    dead.stream()
                            .filter(d -> Arrays.equals(in.key(), bytesOrNull(d.getKey())))
                            .toList();
            assertThat(mine).as("dead letters of '%s'", in.kind()).hasSize(1);
            DeadLetter d = mine.get(0);
            assertThat(d.getReason()).as("reason of '%s'", in.kind()).contains(in.expectedReason());
            byte[] kept = bytesOrNull(d.getValue());
            if (in.value() != null
                    && !in.kind()
                            .equals("out of order")) { // that one is re-encoded by the enricher
                assertThat(kept)
                        .as("raw value of '%s'", in.kind())
                        .isEqualTo(
                                Arrays.copyOf(
                                        in.value(),
                                        Math.min(
                                                in.value().length,
                                                kept == null ? 0 : kept.length)));
                assertThat(d.getTopic()).isEqualTo(TOPIC);
                assertThat(d.getOffset()).isNotNegative();
            }
        }
        long outOfOrder = bad.stream().filter(in -> in.kind().equals("out of order")).count();
        assertThat(CountingReporter.registered(DeadLetterSplitter.COUNTER)).isTrue();
        assertThat(CountingReporter.count(DeadLetterSplitter.COUNTER))
                .as("deadLetters metric")
                .isEqualTo(bad.size() - outOfOrder);
        assertThat(CountingReporter.count(SequenceEnricher.COUNTER_OUT_OF_ORDER))
                .as("outOfOrderEvents metric")
                .isEqualTo(outOfOrder);
    }

    /** Every kind of bad record the issue lists, and the odd records that are valid. */
    private static List<Input> oddInputs(ClickEvent template) throws Exception {
        ClickEvent base =
                ClickEvent.newBuilder(template)
                        .setNumeric(Map.of("price", 2.5f))
                        .setCategorical(Map.of("city", "Lyon"))
                        .build();
        byte[] good = bytes(base);
        List<Input> out = new ArrayList<>();
        out.add(
                bad(
                        "truncated Avro",
                        Arrays.copyOf(good, good.length - 3),
                        "undecodable ClickEvent"));
        out.add(
                bad(
                        "another schema",
                        bytes(
                                Prediction.newBuilder()
                                        .setEventId("p")
                                        .setUserId("u")
                                        .setItemId("i")
                                        .setModelName("m")
                                        .setModelVersion(0)
                                        .setScore(0.5f)
                                        .setEventTime(0L)
                                        .setProcessingTime(0L)
                                        .build()),
                        "schema fingerprint is not ClickEvent's"));
        byte[] unknown = good.clone();
        unknown[5] ^= 0x5A; // inside the 8-byte fingerprint
        out.add(bad("unknown fingerprint", unknown, "schema fingerprint is not ClickEvent's"));
        out.add(bad("empty value", new byte[0], "empty value"));
        out.add(new Input("null key", null, bytes(event(base, "null-key").build()), "missing key"));
        out.add(
                bad(
                        "missing user id",
                        bytes(event(base, "no-user").setUserId("").build()),
                        "missing user id"));
        out.add(
                bad(
                        "blank user id",
                        bytes(event(base, "blank-user").setUserId("  ").build()),
                        "missing user id"));
        out.add(
                bad(
                        "empty item id",
                        bytes(event(base, "no-item").setItemId("").build()),
                        "missing item id"));
        out.add(
                bad(
                        "empty event id",
                        bytes(ClickEvent.newBuilder(base).setEventId("").build()),
                        "missing event id"));
        out.add(
                bad(
                        "NaN",
                        bytes(event(base, "nan").setNumeric(Map.of("price", Float.NaN)).build()),
                        "numeric feature 'price' is not finite: NaN"));
        out.add(
                bad(
                        "+Inf",
                        bytes(
                                event(base, "inf")
                                        .setNumeric(Map.of("price", Float.POSITIVE_INFINITY))
                                        .build()),
                        "is not finite: Infinity"));
        out.add(
                bad(
                        "-Inf",
                        bytes(
                                event(base, "-inf")
                                        .setNumeric(Map.of("price", Float.NEGATIVE_INFINITY))
                                        .build()),
                        "is not finite: -Infinity"));
        out.add(
                bad(
                        "negative time",
                        bytes(event(base, "negative-time").setEventTime(-1L).build()),
                        "negative event time -1"));
        out.add(
                bad(
                        "far-future time",
                        bytes(
                                event(base, "future")
                                        .setEventTime(
                                                System.currentTimeMillis() + 365L * 86_400_000)
                                        .build()),
                        "ahead of the wall clock"));
        out.add(
                bad(
                        "label 2",
                        bytes(event(base, "label-2").setLabel(2).build()),
                        "label 2 is not 0 or 1"));
        out.add(
                bad(
                        "label -1",
                        bytes(event(base, "label-minus-1").setLabel(-1).build()),
                        "label -1 is not 0 or 1"));
        out.add(
                bad(
                        "control character",
                        bytes(event(base, "ctl").setUserId("user\u0007bell").build()),
                        "user id contains control character U+0007"));
        out.add(
                bad(
                        "10^6 values",
                        bytes(
                                event(base, "million")
                                        .setMultiValued(
                                                Map.of(
                                                        "genres",
                                                        Collections.nCopies(1_000_000, "Drama")))
                                        .build()),
                        "bytes is larger than the limit"));
        out.add(
                bad(
                        "20,000 values",
                        bytes(
                                event(base, "many")
                                        .setMultiValued(
                                                Map.of("genres", Collections.nCopies(20_000, "g")))
                                        .build()),
                        "has 20000 values, more than 10000"));
        out.add(
                bad(
                        "10 MB record",
                        bytes(
                                event(base, "huge")
                                        .setCategorical(
                                                Map.of("city", "x".repeat(10 * 1024 * 1024)))
                                        .build()),
                        "is larger than the limit of 1048576 (value truncated from"));
        ClickEvent later =
                event(base, "in-order")
                        .setUserId("ooo-user")
                        .setEventTime(base.getEventTime() + 60_000)
                        .build();
        out.add(new Input("in order", key("ooo-user"), bytes(later), null));
        out.add(
                new Input(
                        "out of order",
                        key("ooo-user"),
                        bytes(event(base, "late").setUserId("ooo-user").build()),
                        "out of order for user"));
        out.add(
                new Input(
                        "unicode ids",
                        key("ユーザー-ü"),
                        bytes(
                                event(base, "ユニコード-🎬")
                                        .setUserId("ユーザー-ü")
                                        .setItemId("映画🎬")
                                        .build()),
                        null));
        // valid ones get users of their own: the base user's later MovieLens events would make them
        // out of order
        out.add(
                new Input(
                        "empty feature values",
                        key("empty-values-user"),
                        bytes(
                                event(base, "empty-values")
                                        .setUserId("empty-values-user")
                                        .setMultiValued(Map.of("genres", List.of("")))
                                        .setCategorical(Map.of("city", ""))
                                        .build()),
                        null));
        out.add(
                new Input(
                        "unlabelled",
                        key("unlabelled-user"),
                        bytes(
                                event(base, "unlabelled")
                                        .setUserId("unlabelled-user")
                                        .setLabel(null)
                                        .build()),
                        null));
        return out;
    }

    /** A bad record keyed by its own key, so its dead letter can be found. */
    private static Input bad(String kind, byte[] value, String expectedReason) {
        return new Input(kind, key("bad-" + kind), value, expectedReason);
    }

    private static ClickEvent.Builder event(ClickEvent base, String id) {
        return ClickEvent.newBuilder(base).setEventId("odd-" + id);
    }

    /**
     * The events topic, created to take records up to 16 MiB (the broker's default limit is ~1
     * MiB).
     */
    private static void createLargeMessageTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(topic, 1, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                                            String.valueOf(MAX_MESSAGE_BYTES)))))
                    .all()
                    .get();
        }
        KAFKA.createTopic(topic, 1); // waits for the leader
    }

    private static byte[] key(String userId) {
        return userId.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ClickEvent e) throws Exception {
        return bytes(e.toByteBuffer());
    }

    private static byte[] bytes(Prediction p) throws Exception {
        return bytes(p.toByteBuffer());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static byte[] bytesOrNull(ByteBuffer buffer) {
        return buffer == null ? null : bytes(buffer.duplicate());
    }
}
