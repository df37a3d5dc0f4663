package io.streamctr.flink.sync;

import io.streamctr.flink.JobOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The sync topic read back by every replica of one learner (broadcast after this source, which runs
 * at parallelism 1): the Kafka source of the topic, read_uncommitted (a delta is read as soon as it
 * is written; the replicas drop what a failed run wrote, {@link SyncMessage#belongsTo}), from its
 * latest offsets for a new job (the checkpointed ones on recovery). The topic must exist when the
 * job starts ({@link SyncTopic#ensure} creates it when the job is built). It ends, so that a
 * bounded job can finish, once every replica's end marker of the same round, written by the same
 * attempt as this reader, has been read (no replica will cut that round: each had nothing left); an
 * unbounded job's replicas never send one.
 */
public final class SyncSource
        implements Source<byte[], KafkaPartitionSplit, KafkaSourceEnumState>,
                ResultTypeQueryable<byte[]> {

    private static final long serialVersionUID = 1L;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SyncSource.class);

    private final KafkaSource<byte[]> delegate;
    private final EndWatch watch;

    private SyncSource(KafkaSource<byte[]> delegate, EndWatch watch) {
        this.delegate = delegate;
        this.watch = watch;
    }

    /** The sync source of {@code learner}'s P replicas, from the job's Kafka options. */
    public static SyncSource create(Configuration conf, String learner, int replicas) {
        EndWatch watch = new EndWatch(learner, replicas);
        var builder =
                KafkaSource.<byte[]>builder()
                        .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                        .setTopics(conf.get(JobOptions.SYNC_TOPIC))
                        .setGroupId(conf.get(JobOptions.GROUP_ID) + "-sync-" + learner)
                        .setClientIdPrefix("streamctr-sync-" + learner)
                        .setStartingOffsets(OffsetsInitializer.latest())
                        .setDeserializer(watch)
                        .setProperty("isolation.level", "read_uncommitted")
                        .setProperty("partition.discovery.interval.ms", "1000")
                        // measured: a replica read its own delta back 500 ms after writing it,
                        // the consumer's fetch.max.wait.ms default (the broker held the fetch)
                        .setProperty("fetch.max.wait.ms", "10")
                        .setProperties(JobOptions.kafkaProperties(conf));
        return new SyncSource(builder.build(), watch);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<byte[], KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        // the replicas restart with this source (one pipelined region): the same attempt number
        String attempt = context.metricGroup().getAllVariables().get("<task_attempt_num>");
        if (attempt != null) {
            watch.attempt(Integer.parseInt(attempt));
        }
        return new EndingReader(delegate.createReader(context), watch);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
            throws Exception {
        return delegate.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }

    /**
     * Passes every record on and watches the learner's end markers (the reader's deserializer, so
     * one instance per reader).
     */
    static final class EndWatch implements KafkaRecordDeserializationSchema<byte[]> {

        private static final long serialVersionUID = 1L;

        private final String learner;
        private final int replicas;
        private transient Map<Long, Set<Integer>> ends;
        private transient long lastChunkRound;
        private transient boolean done;
        private transient long lagSum;
        private transient long lagCount;
        private Integer attempt;

        EndWatch(String learner, int replicas) {
            this.learner = learner;
            this.replicas = replicas;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<byte[]> out) {
            if (ends == null) {
                ends = new HashMap<>();
                lastChunkRound = -1;
            }
            byte[] value = record.value();
            if (value == null) {
                return;
            }
            SyncMessage m;
            try {
                m = SyncMessage.fromBytes(value);
            } catch (IllegalArgumentException e) {
                return; // not ours
            }
            if (learner.equals(m.learner()) && m.replicas() == replicas) {
                if (m.kind() == SyncMessage.END) {
                    if (attempt != null && m.attempt() != attempt) {
                        out.collect(value); // a failed run's marker: the replicas drop it
                        return;
                    }
                    Set<Integer> seen = ends.computeIfAbsent(m.round(), r -> new HashSet<>());
                    seen.add(m.replica());
                    done |= seen.size() == replicas && m.round() > lastChunkRound;
                } else {
                    lastChunkRound = Math.max(lastChunkRound, m.round());
                    if (m.chunk() == m.chunks() - 1) {
                        lagSum += System.currentTimeMillis() - record.timestamp();
                        if (++lagCount % 20 == 0) {
                            LOG.info(
                                    "sync source of '{}': {} deltas read, {} ms after they were"
                                            + " sent on average",
                                    learner,
                                    lagCount,
                                    lagSum / lagCount);
                        }
                    }
                }
            }
            out.collect(value);
        }

        /** Counts only the end markers of this attempt (the replicas' attempt too). */
        void attempt(int attemptNumber) {
            attempt = attemptNumber;
        }

        boolean done() {
            return done;
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }

    /** The Kafka reader, ended once the watch has seen every replica's final end marker. */
    private static final class EndingReader implements SourceReader<byte[], KafkaPartitionSplit> {

        private final SourceReader<byte[], KafkaPartitionSplit> delegate;
        private final EndWatch watch;

        EndingReader(SourceReader<byte[], KafkaPartitionSplit> delegate, EndWatch watch) {
            this.delegate = delegate;
            this.watch = watch;
        }

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<byte[]> output) throws Exception {
            if (watch.done()) {
                return InputStatus.END_OF_INPUT;
            }
            InputStatus status = delegate.pollNext(output);
            return watch.done() ? InputStatus.END_OF_INPUT : status;
        }

        @Override
        public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return watch.done() ? CompletableFuture.completedFuture(null) : delegate.isAvailable();
        }

        @Override
        public void addSplits(List<KafkaPartitionSplit> splits) {
            delegate.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            delegate.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            delegate.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            delegate.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            delegate.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(
                java.util.Collection<String> toPause, java.util.Collection<String> toResume) {
            delegate.pauseOrResumeSplits(toPause, toResume);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
