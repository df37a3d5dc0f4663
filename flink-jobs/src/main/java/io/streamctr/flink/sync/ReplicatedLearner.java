package io.streamctr.flink.sync;

import io.streamctr.flink.JobOptions;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds a learner at parallelism P > 1 (issue 17): the examples keyed by user id, connected with
 * the learner's sync source broadcast to every replica, into P {@link ReplicaLearnerOperator}s,
 * whose sync messages go to the sync topic through an at-least-once Kafka sink (read back
 * uncommitted: a round does not wait for a checkpoint; a replica drops what a failed run wrote
 * after the checkpoint it restored, {@link SyncMessage#belongsTo}):
 *
 * <pre>
 * examples -> keyBy(user) ----------------------------------> learner NAME (P replicas) -> predictions
 * kafka.topic.sync -> sync source NAME (1) -> broadcast ----^          |
 *        ^------------------------------------ sync sink NAME (P) <-----+ (side output)
 * </pre>
 */
public final class ReplicatedLearner {

    private ReplicatedLearner() {}

    /** The learner's predictions; its sync source and sink are added to the examples' job. */
    public static SingleOutputStreamOperator<Prediction> build(
            DataStream<Example> examples, Configuration conf, LearnerConfig config, int replicas) {
        StreamExecutionEnvironment env = examples.getExecutionEnvironment();
        String name = config.learnerName();
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            throw new IllegalArgumentException(
                    JobOptions.modelKey(JobOptions.MODEL_PARALLELISM, name)
                            + " = "
                            + replicas
                            + " needs checkpointing (execution.checkpointing.interval): the"
                            + " replicas recover from their checkpointed state");
        }
        SyncTopic.ensure(conf);
        // Flink restores uncompressed operator state one byte per read() call from the checkpoint
        // file (CompressibleFSDataInputStream overrides read() only); every replica restores every
        // replica's entry (a union list of whole learner states: 2 x 27 MB for dnn-tiny), which
        // took minutes after a TaskManager was lost. Snappy-compressed state is read in blocks.
        env.getConfig().setUseSnapshotCompression(true);
        if (!conf.contains(CheckpointingOptions.ENABLE_UNALIGNED)) {
            // an aligned barrier waits behind every example already buffered on the way to the
            // replicas (seconds when a replay backpressures the job; predictions are committed
            // and the sync topic flushed at checkpoints), an unaligned one overtakes them
            env.getCheckpointConfig().enableUnalignedCheckpoints();
        }
        DataStream<byte[]> sync =
                env.fromSource(
                                SyncSource.create(conf, name, replicas),
                                WatermarkStrategy.noWatermarks(),
                                "sync source " + name)
                        .uid("sync-source-" + name)
                        .setParallelism(1)
                        // a delta's last network buffer would wait up to execution.buffer-timeout
                        // (100 ms) before it reaches the replicas: flush each message at once
                        .setBufferTimeout(0);
        SingleOutputStreamOperator<Prediction> predictions =
                examples.keyBy(e -> e.getEvent().getUserId())
                        .connect(sync.broadcast())
                        .transform(
                                "learner " + name,
                                new AvroTypeInfo<>(Prediction.class),
                                new ReplicaLearnerOperator(
                                        config,
                                        replicas,
                                        conf.get(JobOptions.SYNC_EVERY_BATCHES),
                                        conf.get(JobOptions.SYNC_MAX_BATCHES_AHEAD),
                                        conf.get(JobOptions.BATCH_IDLE_TIMEOUT).toMillis()))
                        .setParallelism(replicas)
                        .uid("learner-" + name);
        predictions
                .getSideOutput(ReplicaLearnerOperator.SYNC)
                .sinkTo(sink(conf))
                .name("sync sink " + name)
                .uid("sync-sink-" + name)
                .setParallelism(replicas);
        return predictions;
    }

    /** The message's bytes as the record's value. */
    private static final class RawBytes implements SerializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(byte[] element) {
            return element;
        }
    }

    private static KafkaSink<byte[]> sink(Configuration conf) {
        SerializationSchema<byte[]> value = new RawBytes();
        var builder =
                KafkaSink.<byte[]>builder()
                        .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.<byte[]>builder()
                                        .setTopic(conf.get(JobOptions.SYNC_TOPIC))
                                        .setValueSerializationSchema(value)
                                        .build())
                        // flushed at every checkpoint: a message written before a replica's
                        // snapshot is in the topic once that checkpoint completes
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        // a round waits for this delta: send it at once (the client's default
                        // lingers 5 ms); kafka.properties.* may still override it
                        .setProperty("linger.ms", "0");
        JobOptions.kafkaProperties(conf)
                .forEach((k, v) -> builder.setProperty((String) k, (String) v));
        return builder.build();
    }
}
