package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Prediction;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OptFusion-Soft (a 512-event search, then the frozen architecture) beside two baselines in one job
 * on the embedded pipeline (in-process Kafka, MiniCluster with RocksDB and checkpoints): every
 * model scores every event once, with finite scores, and OptFusion switches from search to retrain
 * mid-stream while its model version keeps counting.
 */
class OptFusionJobITCase {

    private static final int EVENTS = 3_000;
    private static final int BATCH = 64;
    private static final String OPTFUSION = "optfusion-soft-tiny";
    private static final List<String> MODELS = List.of(OPTFUSION, "dcn", "edcn");

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void optFusionSearchesThenRetrainsBesideBaselines(@TempDir Path checkpoints) throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        Configuration conf = EmbeddedJobRun.prepare(KAFKA, checkpoints, events, 1, MODELS);
        conf.set(JobOptions.BATCH_SIZE, BATCH);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 1_000);
        List<String> switches;
        try (TrainerLog log = TrainerLog.capture()) {
            EmbeddedJobRun.execute(conf, "optfusion-itcase");
            switches =
                    log.startingWith("model '" + OPTFUSION + "' froze its architecture").stream()
                            .map(TrainerLog.Line::message)
                            .toList();
        }

        List<Prediction> predictions =
                EmbeddedJobRun.assertOnePredictionPerEvent(
                        bootstrap, events, MODELS, EVENTS / BATCH / 2);

        // the search ended after its 512 events, once, and the version kept counting past it
        assertThat(switches).hasSize(1);
        long switchStep = Long.parseLong(switches.get(0).replaceAll(".*\\(step (\\d+)\\).*", "$1"));
        assertThat(switchStep).isBetween(512L / BATCH, 2L * 512 / BATCH);
        long lastVersion =
                predictions.stream()
                        .filter(p -> p.getModelName().equals(OPTFUSION))
                        .mapToLong(Prediction::getModelVersion)
                        .max()
                        .orElseThrow();
        assertThat(lastVersion).isGreaterThan(switchStep + 10);
        assertThat(switches.get(0)).contains("\"edges\":[").contains("\"variant\":\"soft\"");
    }
}
