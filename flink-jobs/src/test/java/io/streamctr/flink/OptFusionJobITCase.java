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
 * OptFusion-Soft (a search, then the frozen architecture) beside two baselines in one job on the
 * embedded pipeline (in-process Kafka, MiniCluster with RocksDB and checkpoints): every model
 * scores every event once, with finite scores, and OptFusion switches from search to retrain
 * mid-stream while its model version keeps counting. The search runs for {@value #SEARCH_EVENTS}
 * events, set by the per-model option {@code ctr.model.<name>.search-events} (the tiny model's own
 * search is 512 events).
 */
class OptFusionJobITCase {

    private static final int EVENTS = 3_000;
    private static final int BATCH = 64;
    private static final String OPTFUSION = "optfusion-soft-tiny";
    private static final List<String> MODELS = List.of(OPTFUSION, "dcn", "edcn");
    private static final int SEARCH_EVENTS = 1_024;

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void optFusionSearchesThenRetrainsBesideBaselines(@TempDir Path checkpoints) throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        Configuration conf = EmbeddedJobRun.prepare(KAFKA, checkpoints, events, 1, MODELS);
        conf.set(JobOptions.BATCH_SIZE, BATCH);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 1_000);
        conf.setString(
                JobOptions.modelKey(JobOptions.MODEL_SEARCH_EVENTS, OPTFUSION),
                String.valueOf(SEARCH_EVENTS));
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

        // the search ended after its events, once, and the version kept counting past it
        assertThat(switches).hasSize(1);
        long switchStep = Long.parseLong(switches.get(0).replaceAll(".*\\(step (\\d+)\\).*", "$1"));
        System.out.println("optfusion froze at step " + switchStep + " (batch " + BATCH + ")");
        assertThat(switchStep).isBetween((long) SEARCH_EVENTS / BATCH, 2L * SEARCH_EVENTS / BATCH);
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
