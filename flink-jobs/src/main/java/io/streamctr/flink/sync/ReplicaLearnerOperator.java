package io.streamctr.flink.sync;

import io.streamctr.flink.JobOptions;
import io.streamctr.flink.learn.BatchDeadline;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.flink.learn.LearnerOperator;
import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.learn.LearnedBatch;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.sync.ReplicaDelta;
import io.streamctr.model.sync.ReplicaMerge;
import io.streamctr.model.sync.ReplicaSync;
import io.streamctr.model.sync.SyncArrays;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * One replica of a model's data-parallel learner (issue 17; docs/scale-out.md). Input 1: the
 * examples of its users (the stream is keyed by user id, so a user's burst stays on one replica),
 * batched, scored and learned from as {@link io.streamctr.flink.learn.LearnerOperator} does. Input
 * 2: the sync topic, broadcast to every replica ({@link SyncSource}). Side output {@link #SYNC}:
 * this replica's sync messages, written to the sync topic.
 *
 * <p>Rounds ({@link ReplicaSync}): a replica cuts its delta of round r at each checkpoint barrier
 * when it trained since its last cut, after K training batches since its last cut, or as soon as it
 * sees another replica's delta of round r (so every replica joins every round, however few events
 * it gets); it keeps training meanwhile; it applies round r when every other replica's delta of r
 * is in (its own it keeps), and only then may cut r + 1. With a staleness bound N ({@code
 * ctr.sync.max-batches-ahead}) a replica that trained N batches since its cut holds its examples,
 * unscored and part of its state, until the round applies. Each prediction carries the rounds
 * applied and the batches since the last cut. The sync topic is read uncommitted, so a round takes
 * the time of a cut, the Kafka round trip and the apply, not a checkpoint. Each message carries its
 * writer's run (restored checkpoint, attempt) and epoch (last snapshot + 1): after a restore from
 * checkpoint C a replica drops what a failed run wrote after its snapshot C ({@link
 * SyncMessage#belongsTo}); what was written before it is part of the restored state (the sink
 * flushes at every checkpoint).
 *
 * <p>State: a union list of one {@link ReplicaEntry} per replica. Restored at the same P each
 * replica takes its own entry; at another P every replica starts from the merge of all entries
 * ({@link ReplicaMerge}) at a round after all of theirs. Restored from a learner at parallelism 1
 * (whose state it cannot read: split list state reaches one replica only) every replica starts from
 * the warm-start package, that learner exported ({@link RestoredLearnerCheck}); its states are
 * dropped.
 */
public final class ReplicaLearnerOperator extends AbstractStreamOperator<Prediction>
        implements TwoInputStreamOperator<Example, byte[], Prediction>,
                BoundedMultiInput,
                ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    /** The union list state of the replicas' entries; part of the savepoint format. */
    public static final String STATE_NAME = "replicas";

    /** The sync messages this replica writes. */
    public static final OutputTag<byte[]> SYNC =
            new OutputTag<>("sync", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    public static final String METRIC_ROUND = "syncRound";
    public static final String METRIC_SYNC_BYTES = "syncBytes";
    public static final String METRIC_ROUND_MILLIS = "syncRoundMs";
    public static final String METRIC_APPLY_MILLIS = "syncApplyMs";
    public static final String METRIC_PREDICTIONS = "predictions";
    public static final String METRIC_STEP = "trainingStep";

    /** Prefix of the job accumulator where replicas report how they ended ({@link #finish}). */
    public static final String ACCUMULATOR = "sync-";

    /** Prefix of the job accumulator of each replica's mean round times ({@link #finish}). */
    public static final String TIMING_ACCUMULATOR = "sync-timing-";

    /** {@link #maxAhead} for no bound: a replica trains on while its round is in flight. */
    public static final int UNBOUNDED = -1;

    /**
     * Examples a replica holds at most while it waits for its round ({@link #maxAhead}); past this
     * it trains on (the bound is a target, not a promise to buffer without limit). At 256 batches
     * of 32 a MIND replay reached it on 2 loaded cores (rounds of ~0.5 s), and the bound leaked.
     */
    static final int MAX_HELD = 32_768;

    private final LearnerConfig config;
    private final int replicas;
    private final int everyBatches;
    private final int maxAhead;
    private final BatchDeadline deadline;

    private transient OnlineLearner learner;
    private transient ReplicaSync sync;
    private transient SyncInbox inbox;
    private transient ListState<byte[]> state;
    private transient boolean snapshotHeld;
    private transient List<Example> pending;

    /** Examples held while the replica waits for its round ({@link #blocked}), in arrival order. */
    private transient ArrayDeque<Example> held;

    private transient long batchStartedAt;
    private transient long lastArrivalAt;
    private transient boolean timerPending;
    private transient int replica;
    private transient int attempt;
    private transient int run;

    /** The checkpoint this attempt restored from, -1 for none. */
    private transient long restoredCheckpoint;

    /** The last checkpoint this replica snapshotted (its messages carry one more). */
    private transient long lastSnapshot;

    private transient int localBatches;
    private transient boolean examplesEnded;
    private transient long endSentRound;
    private transient long cutAt;
    private transient long lastRoundMillis;
    private transient long lastApplyMillis;
    private transient long roundsApplied;
    private transient long roundMillisSum;
    private transient long roundsTimed;
    private transient long applyMillisSum;
    private transient long staleMessages;
    private transient long echoAt;
    private transient long cutNanosSum;
    private transient long echoNanosSum;
    private transient long echoes;
    private transient long aheadSum;
    private transient long heldSince;
    private transient long heldNanosSum;
    private transient long heldExamples;
    private transient Counter predictionCounter;
    private transient Counter syncBytes;

    /**
     * A replica without a staleness bound ({@link #UNBOUNDED}).
     *
     * @param config the learner's config
     * @param replicas P, this operator's parallelism
     * @param everyBatches K, training batches between a replica's cuts
     */
    public ReplicaLearnerOperator(LearnerConfig config, int replicas, int everyBatches) {
        this(config, replicas, everyBatches, UNBOUNDED);
    }

    /**
     * @param config the learner's config
     * @param replicas P, this operator's parallelism
     * @param everyBatches K, training batches between a replica's cuts
     * @param maxAhead training batches a replica may run between its cut and the round's apply
     *     before it holds its examples until the round applies (stale-synchronous bound; 0: wait
     *     for every round, as synchronous rounds do); {@link #UNBOUNDED} for no bound
     */
    public ReplicaLearnerOperator(
            LearnerConfig config, int replicas, int everyBatches, int maxAhead) {
        this(config, replicas, everyBatches, maxAhead, 0);
    }

    /**
     * As above; a partial batch is also processed after {@code batchIdleMs} without an example, as
     * the single learner does ({@code ctr.train.batch-idle-timeout}; 0: only after the batch
     * timeout), unless the replica waits for its round.
     */
    public ReplicaLearnerOperator(
            LearnerConfig config, int replicas, int everyBatches, int maxAhead, long batchIdleMs) {
        if (replicas < 1 || everyBatches < 1) {
            throw new IllegalArgumentException(
                    "replicas and batches per round must be >= 1, got "
                            + replicas
                            + " and "
                            + everyBatches);
        }
        if (maxAhead < UNBOUNDED) {
            throw new IllegalArgumentException(
                    "batches ahead of a round in flight must be >= 0 (or -1 for no bound), got "
                            + maxAhead);
        }
        this.config = config;
        this.replicas = replicas;
        this.everyBatches = everyBatches;
        this.maxAhead = maxAhead;
        this.deadline = new BatchDeadline(config.batchTimeoutMs(), batchIdleMs);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        STATE_NAME,
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        replica = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        restoredCheckpoint = context.getRestoredCheckpointId().orElse(-1L);
        run = SyncMessage.run(restoredCheckpoint, attempt);
        lastSnapshot = Math.max(0, restoredCheckpoint);
        if (getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks() != replicas) {
            throw new IllegalStateException(
                    "learner '"
                            + config.learnerName()
                            + "' runs at parallelism "
                            + getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks()
                            + ", configured for "
                            + replicas
                            + " replicas");
        }
        learner = config.newLearner();
        pending = new ArrayList<>(config.batchSize());
        held = new ArrayDeque<>();
        endSentRound = -1;
        String name = config.learnerName();
        inbox = new SyncInbox(name, replica, replicas);
        List<ReplicaEntry> entries = new ArrayList<>();
        if (context.isRestored()) {
            for (byte[] bytes : state.get()) {
                entries.add(ReplicaEntry.fromBytes(bytes));
            }
        }
        boolean fromSingle = dropSingleLearnerState(context);
        if (fromSingle && entries.isEmpty() && config.warmStart() == null) {
            throw new IllegalStateException(
                    "learner '"
                            + config.learnerName()
                            + "' restored the state of a learner at parallelism 1, which its"
                            + " replicas cannot read: export it from the savepoint (streamctr"
                            + " export) and restore with "
                            + JobOptions.modelKey(JobOptions.MODEL_WARM_START, config.learnerName())
                            + "=DIR");
        }
        if (entries.isEmpty() && config.warmStart() != null) {
            learner.restore(config.warmStart().readState());
        }
        sync = new ReplicaSync(name, SyncArrays.of(learner), replica, replicas);
        if (!entries.isEmpty()) {
            restore(entries);
        }
    }

    /**
     * Clears the states of a learner at parallelism 1 restored under the same uid (its model and
     * impression scores; docs/scale-out.md), so that they do not ride along in every checkpoint.
     * Split list states: one replica gets them. Returns whether this replica had the model.
     */
    private boolean dropSingleLearnerState(StateInitializationContext context) throws Exception {
        boolean model = false;
        var store = context.getOperatorStateStore();
        for (String name : List.of(LearnerOperator.STATE_NAME, LearnerOperator.SCORES_STATE_NAME)) {
            if (!store.getRegisteredStateNames().contains(name)) {
                continue;
            }
            ListState<byte[]> old =
                    store.getListState(
                            new ListStateDescriptor<>(
                                    name, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            model |= name.equals(LearnerOperator.STATE_NAME) && old.get().iterator().hasNext();
            old.clear();
        }
        return model;
    }

    private void restore(List<ReplicaEntry> entries) throws java.io.IOException {
        ReplicaEntry own = null;
        boolean sameP = true;
        for (ReplicaEntry e : entries) {
            sameP &= e.replicas() == replicas;
            if (e.replica() == replica) {
                own = e;
            }
        }
        if (sameP && own != null && entries.size() == replicas) {
            learner.restore(own.learner());
            sync.restore(own.sync());
            localBatches = own.localBatches();
            restoreHeld(own);
            for (byte[] m : own.messages()) {
                inbox.add(SyncMessage.fromBytes(m), sync.round());
            }
            LOG.info(
                    "replica {}/{} of learner '{}' restored at round {}, step {}",
                    replica,
                    replicas,
                    config.learnerName(),
                    sync.round(),
                    learner.step());
            return;
        }
        List<byte[]> snapshots = new ArrayList<>();
        long round = 0;
        for (ReplicaEntry e : entries) {
            snapshots.add(e.learner());
            round = Math.max(round, ReplicaSync.roundOf(e.sync()));
            if (e.replica() % replicas == replica) {
                restoreHeld(e); // each saved replica's held examples go to one replica now
            }
        }
        ReplicaMerge.merge(learner, snapshots);
        sync.restart(round + 1);
        LOG.info(
                "replica {}/{} of learner '{}' starts from the merge of {} saved replicas at round"
                        + " {}, step {}",
                replica,
                replicas,
                config.learnerName(),
                entries.size(),
                sync.round(),
                learner.step());
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup group = getMetricGroup().addGroup("model", config.learnerName());
        group.gauge(METRIC_STEP, () -> learner.step());
        group.gauge(METRIC_ROUND, () -> sync.round());
        group.gauge(METRIC_ROUND_MILLIS, () -> lastRoundMillis);
        group.gauge(METRIC_APPLY_MILLIS, () -> lastApplyMillis);
        predictionCounter = group.counter(METRIC_PREDICTIONS);
        syncBytes = group.counter(METRIC_SYNC_BYTES);
    }

    @Override
    public void processElement1(StreamRecord<Example> element) throws Exception {
        if (!held.isEmpty() || (pending.size() + 1 >= config.batchSize() && blocked())) {
            // this example would start a training batch while the round is too far behind
            if (held.isEmpty()) {
                heldSince = System.nanoTime();
            }
            held.add(element.getValue());
            heldExamples++;
            if (held.size() >= MAX_HELD || !blocked()) {
                advance();
            }
            return;
        }
        addPending(element.getValue());
        if (pending.size() >= config.batchSize()) {
            flush();
            advance();
        }
    }

    private void addPending(Example example) {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (pending.isEmpty()) {
            batchStartedAt = now;
        }
        lastArrivalAt = now;
        pending.add(example);
        if (pending.size() < config.batchSize() && !timerPending) {
            // one timer at a time: when it fires it flushes or moves on to the batch's due time
            timerPending = true;
            getProcessingTimeService().registerTimer(deadline.due(batchStartedAt, now), this);
        }
    }

    /**
     * Whether the replica waits for its round before it trains again: it cut, the round is not
     * applied yet and it trained {@link #maxAhead} batches since the cut.
     */
    private boolean blocked() {
        return maxAhead != UNBOUNDED && sync.awaiting() && localBatches >= maxAhead;
    }

    @Override
    public void processElement2(StreamRecord<byte[]> element) throws Exception {
        SyncMessage m = SyncMessage.fromBytes(element.getValue());
        if (!m.belongsTo(run, restoredCheckpoint)) {
            // written after the checkpoint this attempt restored from, by a failed attempt
            staleMessages++;
            return;
        }
        if (m.replica() == replica
                && m.kind() == SyncMessage.CHUNK
                && m.chunk() == m.chunks() - 1
                && sync.awaiting()
                && m.round() == sync.round()
                && cutAt != 0
                && echoAt == 0) {
            // this replica's own delta read back: the way through the sink, broker and source
            echoAt = System.nanoTime();
            echoNanosSum += echoAt - cutAt;
            echoes++;
        }
        if (inbox.add(m, sync.round())) {
            advance();
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerPending = false;
        if (pending.isEmpty()) {
            return;
        }
        long now = Math.max(time, getProcessingTimeService().getCurrentProcessingTime());
        long due = deadline.due(batchStartedAt, lastArrivalAt);
        if (now >= due && !blocked()) {
            flush();
            advance();
        } else {
            // more examples came since the timer was set, or the partial batch waits for the
            // round too (the next timer or the apply's next batch takes it)
            timerPending = true;
            getProcessingTimeService()
                    .registerTimer(now >= due ? now + config.batchTimeoutMs() : due, this);
        }
    }

    /**
     * Flushes the partial batch and cuts the round if the replica trained since its last cut: every
     * replica cuts in the same checkpoint, so their deltas become visible together when it
     * completes and the round takes one checkpoint interval (a cut in between, after K batches,
     * makes the others join only when they see it: two intervals).
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (!blocked() && held.isEmpty()) {
            flush();
        } // else the partial batch waits with the held examples: both go into the snapshot
        if (!sync.awaiting() && localBatches > 0) {
            cut();
        }
        advance();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        lastSnapshot = Math.max(lastSnapshot, context.getCheckpointId());
        state.update(
                List.of(
                        new ReplicaEntry(
                                        replica,
                                        replicas,
                                        localBatches,
                                        learner.snapshot(),
                                        sync.snapshot(),
                                        inbox.messages(),
                                        heldBytes())
                                .toBytes()));
        snapshotHeld = true;
    }

    /**
     * Drops the last checkpoint's entry from the live state, as {@link LearnerOperator} does: Flink
     * copies operator state synchronously when it takes the checkpoint, so the live list is not
     * read again until the next {@link #snapshotState} writes it; held, the model's bytes would be
     * promoted to the old generation at every checkpoint.
     */
    private void releaseSnapshot() {
        if (snapshotHeld) {
            snapshotHeld = false;
            state.clear();
        }
    }

    /** The examples not scored yet, the partial batch first, as bytes for the snapshot. */
    private List<byte[]> heldBytes() throws java.io.IOException {
        List<Example> waiting = new ArrayList<>(pending);
        waiting.addAll(held);
        List<byte[]> out = new ArrayList<>(waiting.size());
        for (Example e : waiting) {
            java.nio.ByteBuffer b = Example.getEncoder().encode(e);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.add(bytes);
        }
        return out;
    }

    /**
     * Takes the held examples of a restored entry, to score and learn from after this replica's.
     */
    private void restoreHeld(ReplicaEntry entry) throws java.io.IOException {
        for (byte[] bytes : entry.held()) {
            if (held.isEmpty()) {
                heldSince = System.nanoTime();
            }
            held.add(Example.getDecoder().decode(bytes));
        }
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            examplesEnded = true;
            if (!blocked() && held.isEmpty()) {
                flush();
            }
            advance();
        }
    }

    /**
     * Cuts, applies and ends as far as the replica can now: cut when K batches were trained since
     * the last cut, another replica started the round, or the examples ended with batches unsynced;
     * apply when the round is complete; repeat; then the end marker once nothing is left.
     */
    private void advance() {
        while (true) {
            if (!sync.awaiting()
                    && (localBatches >= everyBatches
                            || inbox.started(sync.round())
                            || (examplesEnded && localBatches > 0))) {
                cut();
            }
            if (sync.awaiting() && inbox.complete(sync.round())) {
                applyRound();
                continue;
            }
            boolean overfull = held.size() >= MAX_HELD;
            if (!held.isEmpty() && (overfull || !blocked())) {
                releaseHeld();
                continue;
            }
            if (examplesEnded && !pending.isEmpty() && !blocked()) {
                flush();
                continue;
            }
            break;
        }
        if (examplesEnded
                && pending.isEmpty()
                && held.isEmpty()
                && !sync.awaiting()
                && localBatches == 0
                && endSentRound != sync.round()) {
            endSentRound = sync.round();
            emit(
                    SyncMessage.end(
                            config.learnerName(),
                            sync.round(),
                            replica,
                            replicas,
                            run,
                            attempt,
                            lastSnapshot + 1));
        }
    }

    /** Moves held examples into the batch, and trains it when full (or when the examples ended). */
    private void releaseHeld() {
        while (!held.isEmpty() && pending.size() < config.batchSize()) {
            addPending(held.poll());
        }
        if (held.isEmpty()) {
            heldNanosSum += System.nanoTime() - heldSince;
        }
        if (pending.size() >= config.batchSize() || examplesEnded) {
            flush();
        }
    }

    private void cut() {
        long started = System.nanoTime();
        ReplicaDelta delta = sync.cut();
        localBatches = 0;
        for (SyncMessage m :
                SyncMessage.chunks(config.learnerName(), delta, run, attempt, lastSnapshot + 1)) {
            emit(m);
        }
        cutAt = System.nanoTime();
        echoAt = 0;
        cutNanosSum += cutAt - started;
    }

    private void applyRound() {
        long started = System.nanoTime();
        long round = sync.round();
        aheadSum += localBatches;
        List<ReplicaDelta> deltas = new ArrayList<>(inbox.take(round));
        deltas.add(sync.cutDelta());
        sync.apply(deltas);
        inbox.dropBefore(sync.round());
        long now = System.nanoTime();
        lastApplyMillis = (now - started) / 1_000_000;
        roundsApplied++;
        if (cutAt != 0) { // 0: cut before a restore, its time unknown
            lastRoundMillis = (now - cutAt) / 1_000_000;
            roundsTimed++;
            roundMillisSum += lastRoundMillis;
            cutAt = 0;
        }
        applyMillisSum += lastApplyMillis;
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "replica {}/{} of '{}' applied round {} in {} ms ({} ms after its cut)",
                    replica,
                    replicas,
                    config.learnerName(),
                    round,
                    lastApplyMillis,
                    lastRoundMillis);
        }
    }

    private void emit(SyncMessage m) {
        byte[] bytes = m.toBytes();
        syncBytes.inc(bytes.length);
        output.collect(SYNC, new StreamRecord<>(bytes));
    }

    /** Scores the pending examples and learns from them, then emits their predictions. */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        releaseSnapshot();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        int local = localBatches;
        LearnedBatch result =
                config.train()
                        ? learner.process(pending)
                        : new LearnedBatch(
                                learner.score(pending), learner.step(), Float.NaN, 0, false);
        int predicted = 0;
        for (int i = 0; i < pending.size(); i++) {
            ClickEvent e = pending.get(i).getEvent();
            if (JoinedLabels.isJoined(e)) {
                // a delayed label joined to its impression: trained on, predicted at impression
                learner.release(e.getEventId());
                continue;
            }
            predicted++;
            output.collect(
                    new StreamRecord<>(
                            Prediction.newBuilder()
                                    .setEventId(e.getEventId())
                                    .setUserId(e.getUserId())
                                    .setItemId(e.getItemId())
                                    .setModelName(config.learnerName())
                                    .setModelVersion(result.version())
                                    .setScore(result.scores()[i])
                                    .setLabel(e.getLabel())
                                    .setEventTime(e.getEventTime())
                                    .setProcessingTime(now)
                                    .setSyncRound(sync.round())
                                    .setLocalStep(local)
                                    .setReplica(replica)
                                    .build()));
        }
        predictionCounter.inc(predicted);
        if (result.labelled() > 0 && !result.skipped()) {
            localBatches++;
        }
        pending.clear();
    }

    /**
     * Reports where this replica ended in the job's accumulator {@link #ACCUMULATOR}{@code NAME}
     * (merged over the replicas, in the job's result): replica, round, step and a hash of the
     * learner's state ({@link ReplicaSync#stateHash}).
     */
    @Override
    public void finish() throws Exception {
        super.finish();
        ListAccumulator<String> report = new ListAccumulator<>();
        report.add(
                String.format(
                        java.util.Locale.ROOT,
                        "replica=%d round=%d step=%d hash=%08x",
                        replica,
                        sync.round(),
                        learner.step(),
                        sync.stateHash()));
        getRuntimeContext().addAccumulator(ACCUMULATOR + config.learnerName(), report);
        ListAccumulator<String> timing = new ListAccumulator<>();
        timing.add(
                String.format(
                        java.util.Locale.ROOT,
                        "replica=%d rounds=%d cut-to-apply=%.0fms apply=%.0fms stale=%d"
                                + " cut=%.1fms echo=%.0fms ahead=%.1f held=%d held-for=%.0fms",
                        replica,
                        roundsApplied,
                        mean(roundMillisSum, roundsTimed),
                        mean(applyMillisSum, roundsApplied),
                        staleMessages,
                        mean(cutNanosSum / 1e6, roundsApplied),
                        mean(echoNanosSum / 1e6, echoes),
                        mean(aheadSum, roundsApplied),
                        heldExamples,
                        heldNanosSum / 1e6));
        getRuntimeContext().addAccumulator(TIMING_ACCUMULATOR + config.learnerName(), timing);
        LOG.info(
                "replica {}/{} of learner '{}' finished: {} {}",
                replica,
                replicas,
                config.learnerName(),
                report.getLocalValue(),
                timing.getLocalValue());
    }

    private static double mean(double sum, long count) {
        return count == 0 ? 0.0 : sum / count;
    }

    @Override
    public void close() throws Exception {
        if (learner != null) {
            learner.close();
        }
        super.close();
    }
}
