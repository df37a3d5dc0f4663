package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on real parts: an in-process KRaft broker, a Flink MiniCluster with the
 * RocksDB state backend and exactly-once checkpoints, DJL/PyTorch learners. Replays the first N
 * MovieLens events (plus two bad records) and checks the three output topics.
 */
class StreamCtrJobITCase {

    private static final int EVENTS = 12_000;
    private static final List<String> MODELS = List.of("dnn", "dnn-tiny");

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void predictsEveryEventOnceWithEveryModelAndReportsMetrics(@TempDir Path checkpoints)
            throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        Configuration conf =
                EmbeddedJobRun.prepare(
                        KAFKA, checkpoints, events.subList(0, EVENTS / 2), 2, MODELS);
        // garbage bytes and a valid Avro record of another schema, in the middle of the stream
        KafkaTestIO.produceRaw(
                bootstrap,
                "ctr.events",
                "x".getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 2, 3, 4, 5});
        KafkaTestIO.produceRaw(
                bootstrap, "ctr.events", "y".getBytes(StandardCharsets.UTF_8), wrongSchemaRecord());
        KafkaTestIO.produce(bootstrap, "ctr.events", events.subList(EVENTS / 2, EVENTS));
        conf.set(JobOptions.METRICS_REPORT_EVERY, 2_000);
        conf.set(JobOptions.BATCH_SIZE, 64);
        EmbeddedJobRun.execute(conf, "streamctr-itcase");

        EmbeddedJobRun.assertOnePredictionPerEvent(bootstrap, events, MODELS, 10);

        List<MetricsReport> reports =
                KafkaTestIO.readAll(bootstrap, "ctr.metrics", MetricsReport.getDecoder());
        Map<String, MetricsReport> finals = new HashMap<>();
        for (MetricsReport r : reports) {
            if (r.getFinalReport()) {
                finals.put(r.getModelName(), r);
            }
        }
        assertThat(finals.keySet()).containsExactlyInAnyOrderElementsOf(MODELS);
        finals.values().forEach(r -> System.out.println("final report: " + r));
        MetricsReport dnn = finals.get("dnn");
        assertThat(dnn.getCount()).isEqualTo(EVENTS);
        assertThat(dnn.getPredictions()).isEqualTo(EVENTS);
        // Prequential AUC over 12k events: chance is 0.5 with a standard error near 0.005 here, so
        // 0.6 is far outside chance yet below what an online model reaches on this stream
        // (FTRL logistic regression: 0.76 on the full ml-latest-small).
        assertThat(dnn.getLifetimeAuc()).isGreaterThan(0.6);
        assertThat(dnn.getLifetimeNe()).isLessThan(1.0);

        List<DeadLetter> dead =
                KafkaTestIO.readAll(bootstrap, "ctr.deadletter", DeadLetter.getDecoder());
        assertThat(dead).hasSize(2);
        assertThat(dead)
                .extracting(DeadLetter::getReason)
                .anySatisfy(r -> assertThat(r).startsWith("not Avro single-object encoding"))
                .anySatisfy(
                        r -> assertThat(r).startsWith("schema fingerprint is not ClickEvent's"));
        Set<String> keys = new HashSet<>();
        dead.forEach(d -> keys.add(StandardCharsets.UTF_8.decode(d.getKey()).toString()));
        assertThat(keys).containsExactlyInAnyOrder("x", "y");
    }

    private static byte[] wrongSchemaRecord() throws Exception {
        var buffer =
                Prediction.newBuilder()
                        .setEventId("p")
                        .setUserId("u")
                        .setItemId("i")
                        .setModelName("m")
                        .setModelVersion(0)
                        .setScore(0.5f)
                        .setEventTime(0L)
                        .setProcessingTime(0L)
                        .build()
                        .toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
