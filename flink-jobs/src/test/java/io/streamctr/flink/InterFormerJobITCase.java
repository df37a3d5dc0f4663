package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.local.EmbeddedKafka;
import io.streamctr.flink.local.LocalFlink;
import io.streamctr.model.data.BundledData;
import io.streamctr.model.data.MovieLensReader;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sequence models in the whole pipeline: InterFormer and DIN (tiny configurations) learn side
 * by side on a MovieLens slice, through the in-process broker, the RocksDB-backed enricher that
 * keeps the users' clicked and non-clicked sequences, and the learners. Every event gets one finite
 * prediction from each model.
 */
class InterFormerJobITCase {

    private static final int EVENTS = 3_000;
    private static final List<String> MODELS = List.of("interformer-tiny", "din-tiny");

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void sequenceModelsPredictEveryEventOnceWithFiniteScores(@TempDir Path checkpoints) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        kafka.createTopic("ctr.events", 2);
        for (String t : List.of("ctr.predictions", "ctr.metrics", "ctr.deadletter")) {
            kafka.createTopic(t, 1);
        }
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        KafkaTestIO.produce(bootstrap, "ctr.events", events);

        Configuration conf = LocalFlink.configuration(checkpoints, Duration.ofSeconds(2));
        conf.set(JobOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(JobOptions.BOUNDED, true);
        conf.set(JobOptions.MODELS, MODELS);
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.BATCH_SIZE, 64);
        conf.set(JobOptions.SEQUENCE_LENGTH, 20);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 1_000);
        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        StreamCtrPipeline.build(env, conf);
        env.execute("interformer-itcase");

        List<Prediction> predictions = KafkaTestIO.readAll(bootstrap, "ctr.predictions", Prediction.getDecoder());
        Set<String> expectedIds = events.stream().map(ClickEvent::getEventId).collect(Collectors.toSet());
        for (String model : MODELS) {
            List<Prediction> mine = predictions.stream().filter(p -> p.getModelName().equals(model)).toList();
            assertThat(mine).as("predictions of %s", model).hasSize(EVENTS);
            assertThat(mine.stream().map(Prediction::getEventId).collect(Collectors.toSet())).isEqualTo(expectedIds);
            assertThat(mine).as("finite scores of %s", model)
                    .allSatisfy(p -> assertThat(p.getScore()).isBetween(0f, 1f));
            assertThat(mine.stream().mapToLong(Prediction::getModelVersion).max().orElse(0)).as("%s trained", model).isGreaterThan(10);
        }
        List<MetricsReport> reports = KafkaTestIO.readAll(bootstrap, "ctr.metrics", MetricsReport.getDecoder());
        reports.stream().filter(MetricsReport::getFinalReport).forEach(r -> System.out.println("final report: " + r));
        assertThat(reports.stream().filter(MetricsReport::getFinalReport).map(MetricsReport::getModelName))
                .containsExactlyInAnyOrderElementsOf(MODELS);
    }
}
