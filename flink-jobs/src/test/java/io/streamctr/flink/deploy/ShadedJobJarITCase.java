package io.streamctr.flink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.KafkaTestIO;
import io.streamctr.flink.StreamCtrJob;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job as users deploy it with {@code flink run}: the shaded {@code streamctr-job.jar} (built in
 * this module's package phase), its main class run by a {@link PackagedProgram} into a job graph
 * and submitted with the jar uploaded over the REST API ({@link RestClusterClient}) to a standalone
 * session cluster whose processes carry Flink's jars only (no job classes) plus the build's {@code
 * target/flink-lib} (DJL), with {@code classloader.parent-first-patterns.additional: ai.djl.} — the
 * documented setting, because a native library cannot be loaded by two class loaders of one JVM and
 * every submission gets a new child-first user class loader. One TaskManager, so the second
 * submission runs in the same TaskManager JVM as the first: the case that breaks when DJL comes
 * from the job jar alone (the second job fails with "UnsatisfiedLinkError: Native Library
 * .../libc10.so already loaded in another classloader"; seen when this test ran without the lib
 * folder and setting).
 */
class ShadedJobJarITCase {

    private static final int EVENTS = 1_500;
    static final Path JOB_JAR = Path.of("target", "streamctr-job.jar");

    /** DJL's jars for Flink's lib/, copied by the same build. */
    static final Path FLINK_LIB = Path.of("target", "flink-lib");

    @Test
    void shadedJarSubmittedOverRestRunsThenRunsAgainAfterCancel(@TempDir Path dir)
            throws Exception {
        assertThat(JOB_JAR)
                .as("the shaded job jar, made by `mvn package` in flink-jobs")
                .isRegularFile();
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        Files.createDirectories(dir.resolve("kafka"));
        Files.createDirectories(dir.resolve("flink"));
        String classPath = ClusterClasspath.flinkWith(FLINK_LIB);
        assertThat(classPath)
                .doesNotContain(
                        "target/classes",
                        "streamctr-model",
                        "streamctr-schemas",
                        "streamctr-flink-jobs")
                .contains("flink-runtime", "pytorch-engine", "pytorch-native-cpu");
        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(dir.resolve("kafka"));
                StandaloneFlinkCluster flink =
                        StandaloneFlinkCluster.start(
                                dir.resolve("flink"),
                                1,
                                dir.resolve("checkpoints"),
                                classPath,
                                List.of(
                                        "classloader.parent-first-patterns.additional:"
                                                + " [\"ai.djl.\"]"))) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopic("ctr.events", 2);
            KafkaTestIO.produce(bootstrap, "ctr.events", events);
            Configuration client =
                    GlobalConfiguration.loadConfiguration(flink.configDir().toString());
            try (RestClusterClient<StandaloneClusterId> rest =
                    new RestClusterClient<>(client, StandaloneClusterId.getInstance())) {
                for (String run : List.of("first", "second")) {
                    for (String t : List.of(".predictions", ".metrics", ".deadletter")) {
                        kafka.createTopic(run + t, 1);
                    }
                    JobGraph graph = jobGraph(client, bootstrap, run);
                    assertThat(graph.getUserJars()).as("the jar travels with the job").hasSize(1);
                    JobID job = rest.submitJob(graph).get(2, TimeUnit.MINUTES);
                    awaitPredictions(rest, job, flink, bootstrap, run + ".predictions");
                    rest.cancel(job).get(1, TimeUnit.MINUTES);
                    assertThat(awaitTerminal(rest, job)).isEqualTo(JobStatus.CANCELED);
                    List<Prediction> predictions =
                            KafkaTestIO.readAll(
                                    bootstrap, run + ".predictions", Prediction.getDecoder());
                    assertThat(
                                    predictions.stream()
                                            .map(Prediction::getEventId)
                                            .collect(Collectors.toList()))
                            .as(run + ": one prediction per event")
                            .hasSize(EVENTS)
                            .containsExactlyInAnyOrderElementsOf(
                                    events.stream().map(ClickEvent::getEventId).toList());
                    assertThat(predictions)
                            .allSatisfy(p -> assertThat(p.getScore()).isBetween(0f, 1f));
                }
            }
        }
    }

    /**
     * As {@code flink run streamctr-job.jar --key value ...}: the jar's main class builds the job
     * graph.
     */
    private static JobGraph jobGraph(Configuration client, String bootstrap, String run)
            throws Exception {
        // This test's JVM, unlike a Flink client's, has the Kafka connector on its class path:
        // Flink
        // loads org.apache.flink.* parent-first and would then link the connector (from here) with
        // the jar's Kafka clients (child-first), two copies of one class. Resolving parent-first in
        // this client only avoids that; the cluster's TaskManagers keep the default, child-first.
        Configuration programConf = new Configuration(client);
        programConf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
        PackagedProgram program =
                PackagedProgram.newBuilder()
                        .setJarFile(JOB_JAR.toFile())
                        .setConfiguration(programConf)
                        .setArguments(
                                "--" + JobOptions.BOOTSTRAP_SERVERS.key(),
                                bootstrap,
                                "--" + JobOptions.PREDICTIONS_TOPIC.key(),
                                run + ".predictions",
                                "--" + JobOptions.METRICS_TOPIC.key(),
                                run + ".metrics",
                                "--" + JobOptions.DEAD_LETTER_TOPIC.key(),
                                run + ".deadletter",
                                "--" + JobOptions.GROUP_ID.key(),
                                run,
                                "--" + JobOptions.TRANSACTIONAL_ID_PREFIX.key(),
                                run,
                                "--" + JobOptions.MODELS.key(),
                                "dnn-tiny",
                                "--" + JobOptions.DEVICE.key(),
                                "cpu",
                                "--" + JobOptions.BATCH_SIZE.key(),
                                "32")
                        .build();
        // running the program leaves its user class loader as this thread's context loader; Kafka's
        // clients in this test load their classes through that loader, so put the test's back
        ClassLoader testLoader = Thread.currentThread().getContextClassLoader();
        try {
            assertThat(program.getMainClassName()).isEqualTo(StreamCtrJob.class.getName());
            return PackagedProgramUtils.createJobGraph(program, programConf, 1, false);
        } finally {
            Thread.currentThread().setContextClassLoader(testLoader);
            program.close();
        }
    }

    private static void awaitPredictions(
            RestClusterClient<?> rest,
            JobID job,
            StandaloneFlinkCluster flink,
            String bootstrap,
            String topic)
            throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        int seen = 0;
        while (System.currentTimeMillis() < deadline) {
            seen = KafkaTestIO.readAll(bootstrap, topic, Prediction.getDecoder()).size();
            if (seen >= EVENTS) {
                return;
            }
            JobStatus status = rest.getJobStatus(job).get(30, TimeUnit.SECONDS);
            assertThat(status.isGloballyTerminalState())
                    .as("job status %s\n%s", status, flink.logs())
                    .isFalse();
            TimeUnit.SECONDS.sleep(1);
        }
        throw new AssertionError(
                "timed out: "
                        + seen
                        + " of "
                        + EVENTS
                        + " predictions on "
                        + topic
                        + "\n"
                        + flink.logs());
    }

    private static JobStatus awaitTerminal(RestClusterClient<?> rest, JobID job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JobStatus status = rest.getJobStatus(job).get(30, TimeUnit.SECONDS);
        while (!status.isGloballyTerminalState() && System.currentTimeMillis() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            status = rest.getJobStatus(job).get(30, TimeUnit.SECONDS);
        }
        return status;
    }
}
