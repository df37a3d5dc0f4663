package io.streamctr.flink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.KafkaTestIO;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy as users do, on real processes: a Kafka broker process, a standalone Flink session cluster
 * (a JobManager and two TaskManagers, each its own JVM), the job submitted over the REST API
 * through a remote environment (RemoteExecutor → RestClusterClient, the path {@code flink run}
 * takes). Then: cancel and resubmit in the same cluster (DJL's native library in the same
 * TaskManager JVMs again), and kill TaskManager processes mid-stream (SIGKILL) and start new ones:
 * every event still has exactly one prediction and the model version never goes back.
 */
class ClusterDeploymentITCase {

    private static final int EVENTS = 3_000;

    @Test
    void runsCancelsResubmitsAndSurvivesKilledTaskManagers(@TempDir Path dir) throws Exception {
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), 2 * EVENTS);
        Files.createDirectories(dir.resolve("kafka"));
        Files.createDirectories(dir.resolve("flink"));
        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(dir.resolve("kafka"));
                StandaloneFlinkCluster flink =
                        StandaloneFlinkCluster.start(
                                dir.resolve("flink"), 2, dir.resolve("checkpoints"))) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopic("ctr.events", 2);
            for (String run : List.of("first", "second")) {
                for (String t : List.of(".predictions", ".metrics", ".deadletter")) {
                    kafka.createTopic(run + t, 1);
                }
            }
            KafkaTestIO.produce(bootstrap, "ctr.events", events.subList(0, EVENTS));

            JobClient first = submit(flink, bootstrap, "first");
            awaitPredictions(flink, bootstrap, "first.predictions", EVENTS, first);
            first.cancel().get(60, TimeUnit.SECONDS);
            assertThat(awaitTerminal(first)).isEqualTo(JobStatus.CANCELED);
            assertExactlyOnce(
                    KafkaTestIO.readAll(bootstrap, "first.predictions", Prediction.getDecoder()),
                    events.subList(0, EVENTS));

            JobClient second =
                    submit(flink, bootstrap, "second"); // same TaskManager JVMs: DJL already loaded
            awaitPredictions(flink, bootstrap, "second.predictions", EVENTS / 2, second);
            KafkaTestIO.produce(bootstrap, "ctr.events", events.subList(EVENTS, 2 * EVENTS));
            // one of the two runs the job: kill each in turn, with a fresh TaskManager to take over
            for (JavaProcess victim : List.copyOf(flink.taskManagers())) {
                flink.startTaskManager();
                victim.kill();
                flink.awaitTaskManagers(2);
            }
            awaitPredictions(flink, bootstrap, "second.predictions", 2 * EVENTS, second);
            assertExactlyOnce(
                    KafkaTestIO.readAll(bootstrap, "second.predictions", Prediction.getDecoder()),
                    events);
            second.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    private static JobClient submit(StandaloneFlinkCluster flink, String bootstrap, String run)
            throws Exception {
        // like `flink run`: the client reads the cluster's config.yaml (checkpointing, state
        // backend)
        // and adds the program's arguments on top
        Configuration conf = GlobalConfiguration.loadConfiguration(flink.configDir().toString());
        conf.set(JobOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(JobOptions.PREDICTIONS_TOPIC, run + ".predictions");
        conf.set(JobOptions.METRICS_TOPIC, run + ".metrics");
        conf.set(JobOptions.DEAD_LETTER_TOPIC, run + ".deadletter");
        conf.set(JobOptions.GROUP_ID, run);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, run);
        conf.set(JobOptions.MODELS, List.of("dnn-tiny"));
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.BATCH_SIZE, 32);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 1_000);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(
                        "localhost", flink.restPort(), conf);
        env.setParallelism(1);
        StreamCtrPipeline.build(env, conf);
        return env.executeAsync("streamctr " + run);
    }

    private static JobStatus awaitTerminal(JobClient job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
        while (!status.isGloballyTerminalState() && System.currentTimeMillis() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            status = job.getJobStatus().get(30, TimeUnit.SECONDS);
        }
        return status;
    }

    private static void assertExactlyOnce(List<Prediction> predictions, List<ClickEvent> events) {
        assertThat(predictions).hasSize(events.size());
        assertThat(predictions.stream().map(Prediction::getEventId).collect(Collectors.toSet()))
                .isEqualTo(events.stream().map(ClickEvent::getEventId).collect(Collectors.toSet()));
        long previous = 0;
        for (Prediction p : predictions) {
            assertThat(p.getModelVersion()).isGreaterThanOrEqualTo(previous);
            previous = p.getModelVersion();
        }
    }

    private static void awaitPredictions(
            StandaloneFlinkCluster flink, String bootstrap, String topic, int count, JobClient job)
            throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        int seen = 0;
        while (System.currentTimeMillis() < deadline) {
            seen = KafkaTestIO.readAll(bootstrap, topic, Prediction.getDecoder()).size();
            if (seen >= count) {
                return;
            }
            JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
            assertThat(status.isGloballyTerminalState())
                    .as("job status %s\n%s", status, flink.logs())
                    .isFalse();
            TimeUnit.SECONDS.sleep(1);
        }
        throw new AssertionError(
                "timed out: "
                        + seen
                        + " of "
                        + count
                        + " predictions on "
                        + topic
                        + "\n"
                        + flink.logs());
    }
}
