package io.streamctr.flink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.KafkaTestIO;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.sync.ReplicaLearnerOperator;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Prediction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model at parallelism 2 on real processes (issue 17): a Kafka broker process and a standalone
 * Flink cluster with two TaskManagers of one slot each, the whole pipeline at parallelism 2 (events
 * source, decoder, enricher, learner replicas, sinks; the sync source and the metrics at 1). A
 * bounded job over MovieLens; once predictions are committed a TaskManager process is killed
 * (SIGKILL) and a fresh one takes its slot; the job recovers from its last checkpoint. Then: every
 * event predicted exactly once (read_committed), each user's events by one replica in their order,
 * and both replicas ending at the same round, step and state hash after the final round.
 */
class ReplicatedDeploymentITCase {

    private static final int EVENTS = 6_000;
    private static final String MODEL = "dnn-tiny";
    private static final Pattern VERTEX =
            Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"[^{}]*?\"parallelism\"\\s*:\\s*(\\d+)");

    @Test
    void twoReplicasOnTwoTaskManagersSurviveAKilledTaskManager(@TempDir Path dir) throws Exception {
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        Files.createDirectories(dir.resolve("kafka"));
        Files.createDirectories(dir.resolve("flink"));
        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.start(dir.resolve("kafka"));
                StandaloneFlinkCluster flink =
                        StandaloneFlinkCluster.start(
                                dir.resolve("flink"),
                                2,
                                dir.resolve("checkpoints"),
                                System.getProperty("java.class.path"),
                                // a replica restores from every replica's entry (union state)
                                // next to its learner and agreed copy: more heap, less RocksDB
                                List.of("taskmanager.memory.managed.size: 128m"))) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopic("p2.events", 2);
            for (String t : List.of("p2.predictions", "p2.metrics", "p2.deadletter")) {
                kafka.createTopic(t, 1);
            }
            KafkaTestIO.produce(bootstrap, "p2.events", events);

            JobClient job = submit(flink, bootstrap);
            assertThat(vertexParallelism(flink, job))
                    .allSatisfy(
                            (name, p) ->
                                    assertThat(p)
                                            .as(name)
                                            .isEqualTo(
                                                    name.contains("sync source")
                                                                    || name.contains(
                                                                            "metrics " + MODEL)
                                                            ? 1
                                                            : 2));
            long submitted = System.currentTimeMillis();
            int before = awaitPredictions(flink, bootstrap, 1, job);
            assertThat(job.getJobStatus().get(30, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
            // both TaskManagers run a replica: kill one, a fresh one takes its slot
            JavaProcess victim = flink.taskManagers().get(0);
            flink.startTaskManager();
            victim.kill();
            flink.awaitTaskManagers(2);
            System.out.println(
                    "killed "
                            + victim.name()
                            + " after "
                            + before
                            + " committed predictions, "
                            + (System.currentTimeMillis() - submitted)
                            + " ms after submitting");
            assertThat(before).as("killed mid-stream").isLessThan(EVENTS);

            JobExecutionResult result;
            try {
                result = job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the job did not end\n" + flink.logs(), e);
            }
            List<String> ends =
                    result.getAccumulatorResult(ReplicaLearnerOperator.ACCUMULATOR + MODEL);
            System.out.println(
                    "replicas ended: "
                            + ends
                            + " "
                            + result.getAccumulatorResult(
                                    ReplicaLearnerOperator.TIMING_ACCUMULATOR + MODEL)
                            + ", "
                            + (System.currentTimeMillis() - submitted)
                            + " ms after submitting");
            List<Prediction> predictions =
                    KafkaTestIO.readAll(bootstrap, "p2.predictions", Prediction.getDecoder());
            assertExactlyOnceInUserOrder(predictions, events);
            assertThat(ends).hasSize(2);
            // the same round, step and state hash: equal after the final round
            assertThat(ends.get(0).replaceFirst("replica=\\d ", ""))
                    .isEqualTo(ends.get(1).replaceFirst("replica=\\d ", ""));
            assertThat(ends.get(0)).doesNotContain("round=0 ");
        }
    }

    private static JobClient submit(StandaloneFlinkCluster flink, String bootstrap)
            throws Exception {
        // like `flink run`: the cluster's config.yaml (checkpoints every second, RocksDB,
        // restarts) and the program's arguments on top
        Configuration conf = GlobalConfiguration.loadConfiguration(flink.configDir().toString());
        conf.set(JobOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(JobOptions.BOUNDED, true);
        conf.set(JobOptions.EVENTS_TOPIC, "p2.events");
        conf.set(JobOptions.PREDICTIONS_TOPIC, "p2.predictions");
        conf.set(JobOptions.METRICS_TOPIC, "p2.metrics");
        conf.set(JobOptions.DEAD_LETTER_TOPIC, "p2.deadletter");
        conf.set(JobOptions.SYNC_TOPIC, "p2.sync");
        conf.set(JobOptions.GROUP_ID, "p2");
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "p2");
        conf.set(JobOptions.MODELS, List.of(MODEL));
        conf.setString(JobOptions.modelKey(JobOptions.MODEL_PARALLELISM, MODEL), "2");
        conf.set(JobOptions.SYNC_EVERY_BATCHES, 5);
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.BATCH_SIZE, 32);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 1_000);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(
                        "localhost", flink.restPort(), conf);
        env.setParallelism(2);
        StreamCtrPipeline.build(env, conf);
        return env.executeAsync("streamctr p2");
    }

    /** Each job vertex's name and parallelism, from the REST API's job details. */
    private static Map<String, Integer> vertexParallelism(
            StandaloneFlinkCluster flink, JobClient job) throws Exception {
        String body =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://localhost:"
                                                                + flink.restPort()
                                                                + "/jobs/"
                                                                + job.getJobID()))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        Map<String, Integer> vertices = new LinkedHashMap<>();
        Matcher m = VERTEX.matcher(body.substring(body.indexOf("\"vertices\"")));
        while (m.find()) {
            vertices.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        System.out.println("job vertices: " + vertices);
        assertThat(vertices.keySet())
                .as(body)
                .anyMatch(n -> n.contains("events source"))
                .anyMatch(n -> n.contains("sequence enricher"))
                .anyMatch(n -> n.contains("learner " + MODEL))
                .anyMatch(n -> n.contains("sync source"));
        return vertices;
    }

    /**
     * Every event has exactly one prediction, every user's by one replica (both replicas used), in
     * the order of the user's events.
     */
    private static void assertExactlyOnceInUserOrder(
            List<Prediction> predictions, List<ClickEvent> events) {
        assertThat(predictions).hasSize(events.size());
        assertThat(predictions.stream().map(Prediction::getEventId).collect(Collectors.toSet()))
                .isEqualTo(events.stream().map(ClickEvent::getEventId).collect(Collectors.toSet()));
        Map<String, Set<Integer>> replicasOfUser =
                predictions.stream()
                        .collect(
                                Collectors.groupingBy(
                                        Prediction::getUserId,
                                        Collectors.mapping(
                                                Prediction::getReplica, Collectors.toSet())));
        assertThat(replicasOfUser.values()).allSatisfy(r -> assertThat(r).hasSize(1));
        assertThat(
                        replicasOfUser.values().stream()
                                .flatMap(Set::stream)
                                .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(0, 1);
        assertThat(byUser(predictions, Prediction::getUserId, Prediction::getEventId))
                .isEqualTo(byUser(events, ClickEvent::getUserId, ClickEvent::getEventId));
    }

    private static <T> Map<String, List<String>> byUser(
            List<T> records,
            java.util.function.Function<T, String> user,
            java.util.function.Function<T, String> id) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (T r : records) {
            out.computeIfAbsent(user.apply(r), u -> new ArrayList<>()).add(id.apply(r));
        }
        return out;
    }

    /** Waits for at least {@code count} committed predictions; returns how many there were. */
    private static int awaitPredictions(
            StandaloneFlinkCluster flink, String bootstrap, int count, JobClient job)
            throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        int seen = 0;
        while (System.currentTimeMillis() < deadline) {
            seen = KafkaTestIO.readAll(bootstrap, "p2.predictions", Prediction.getDecoder()).size();
            if (seen >= count) {
                return seen;
            }
            JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
            assertThat(status.isGloballyTerminalState())
                    .as("job status %s\n%s", status, flink.logs())
                    .isFalse();
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError(
                "timed out: " + seen + " of " + count + " predictions\n" + flink.logs());
    }
}
