package io.streamctr.bench;

import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.source.StartingOffsets;
import io.streamctr.flink.sync.ReplicaLearnerOperator;
import io.streamctr.schemas.ClickEvent;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole job's rate with one model's learner at P replicas (issue 17): the events in an
 * in-process broker, the job bounded to them on a MiniCluster (RocksDB, exactly-once, metrics off),
 * the rate taken from the predictions' processing times (first batch to last), the wall time
 * including the final rounds and the job's end.
 */
public final class SyncJobRate {

    /**
     * One run.
     *
     * @param replicas P
     * @param predictions predictions read back
     * @param distinct distinct event ids among them
     * @param eventsPerSecond first to last prediction
     * @param wallMs the job's wall time
     * @param ends how the replicas ended (round, step, state hash), empty at P = 1
     */
    public record Result(
            int replicas,
            long predictions,
            long distinct,
            double eventsPerSecond,
            long wallMs,
            List<String> ends) {}

    private final EmbeddedKafka kafka;
    private final PrintStream err;
    private int runs;

    public SyncJobRate(EmbeddedKafka kafka, PrintStream err) {
        this.kafka = kafka;
        this.err = err;
    }

    /** Starts an in-process broker (its prints to {@code err}). */
    public static EmbeddedKafka broker(PrintStream err) {
        return BenchKafka.startBroker(err);
    }

    /** Produces the events to a new topic; returns its name. */
    public String events(List<ClickEvent> events) {
        String topic = "sync-bench.events." + (++runs);
        kafka.createTopic(topic, 2);
        BenchKafka.produce(kafka.bootstrapServers(), topic, events, 1, n -> {});
        return topic;
    }

    /** Runs the job on the topic's events at P replicas. */
    public Result run(
            String eventsTopic,
            String model,
            int replicas,
            int everyBatches,
            int batchSize,
            Duration checkpointInterval)
            throws Exception {
        int id = ++runs;
        String label = "sync-bench." + id;
        Path checkpoints = Files.createTempDirectory("streamctr-sync-bench");
        try {
            Configuration conf = LocalFlink.configuration(checkpoints, checkpointInterval);
            conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(JobOptions.EVENTS_TOPIC, eventsTopic);
            conf.set(JobOptions.PREDICTIONS_TOPIC, label + ".predictions");
            conf.set(JobOptions.METRICS_TOPIC, label + ".metrics");
            conf.set(JobOptions.DEAD_LETTER_TOPIC, label + ".deadletter");
            conf.set(JobOptions.SYNC_TOPIC, label + ".sync");
            conf.set(JobOptions.GROUP_ID, label);
            conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, label);
            conf.set(JobOptions.BOUNDED, true);
            conf.set(JobOptions.STARTING_OFFSETS, StartingOffsets.EARLIEST);
            conf.set(JobOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.EXACTLY_ONCE);
            conf.set(JobOptions.MODELS, List.of(model));
            conf.set(JobOptions.BATCH_SIZE, batchSize);
            conf.set(JobOptions.DEVICE, "cpu");
            conf.set(JobOptions.METRICS_ENABLED, false);
            conf.set(JobOptions.SYNC_EVERY_BATCHES, everyBatches);
            conf.setString(
                    JobOptions.modelKey(JobOptions.MODEL_PARALLELISM, model),
                    Integer.toString(replicas));
            kafka.createTopic(label + ".predictions", 1);
            kafka.createTopic(label + ".deadletter", 1);
            kafka.createTopic(label + ".sync", 1);
            StreamExecutionEnvironment env = LocalFlink.environment(conf);
            StreamCtrPipeline.build(env, conf);
            err.printf(Locale.ROOT, "[bench-sync] job with %s at P = %d%n", model, replicas);
            long t0 = System.nanoTime();
            JobExecutionResult result = env.execute("streamctr sync bench " + label);
            long wallMs = (System.nanoTime() - t0) / 1_000_000;
            BenchKafka.PredictionStats stats =
                    BenchKafka.predictions(kafka.bootstrapServers(), label + ".predictions");
            List<String> ends =
                    replicas > 1
                            ? new java.util.ArrayList<>(
                                    result.<List<String>>getAccumulatorResult(
                                            ReplicaLearnerOperator.ACCUMULATOR + model))
                            : new java.util.ArrayList<>();
            if (replicas > 1) {
                ends.addAll(
                        result.getAccumulatorResult(
                                ReplicaLearnerOperator.TIMING_ACCUMULATOR + model));
            }
            return new Result(
                    replicas,
                    stats.count(),
                    stats.distinctEvents(),
                    stats.eventsPerSecond(),
                    wallMs,
                    ends);
        } finally {
            Bench.deleteRecursively(checkpoints);
        }
    }
}
