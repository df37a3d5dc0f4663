package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.MetricsReport;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence models in the whole pipeline: InterFormer and DIN (tiny configurations) learn side
 * by side on a MovieLens slice, through the in-process broker, the RocksDB-backed enricher that
 * keeps the users' clicked and non-clicked sequences, and the learners. Every event gets one finite
 * prediction from each model.
 */
class InterFormerJobITCase {

    private static final int EVENTS = 3_000;
    private static final List<String> MODELS = List.of("interformer-tiny", "din-tiny");

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void sequenceModelsPredictEveryEventOnceWithFiniteScores(@TempDir Path checkpoints)
            throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        Configuration conf = EmbeddedJobRun.prepare(KAFKA, checkpoints, events, 2, MODELS);
        conf.set(JobOptions.BATCH_SIZE, 64);
        conf.set(JobOptions.SEQUENCE_LENGTH, 20);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 1_000);
        EmbeddedJobRun.execute(conf, "interformer-itcase");

        EmbeddedJobRun.assertOnePredictionPerEvent(bootstrap, events, MODELS, 10);
        List<MetricsReport> reports =
                KafkaTestIO.readAll(bootstrap, "ctr.metrics", MetricsReport.getDecoder());
        reports.stream()
                .filter(MetricsReport::getFinalReport)
                .forEach(r -> System.out.println("final report: " + r));
        assertThat(
                        reports.stream()
                                .filter(MetricsReport::getFinalReport)
                                .map(MetricsReport::getModelName))
                .containsExactlyInAnyOrderElementsOf(MODELS);
    }
}
