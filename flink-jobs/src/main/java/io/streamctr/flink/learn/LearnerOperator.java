package io.streamctr.flink.learn;

import io.streamctr.flink.export.PackageExporter;
import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.LearnedBatch;
import io.streamctr.model.learn.LossWeighting;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The online learner of one model. Collects examples into mini-batches (of the configured size, or
 * whatever arrived when the timeout fires), then per batch: the model's {@link OnlineLearner}
 * scores every example before learning from it (a deep model: the whole batch with the weights
 * before it, then one training step; {@code ftrl}: event by event), and one {@link Prediction} per
 * event is emitted, stamped with the model version the score was made with.
 *
 * <p>The learner's state (parameters and optimizer moments) is operator state, written on every
 * checkpoint and restored on recovery. A partial batch is flushed before each checkpoint barrier,
 * so no example sits outside the state.
 *
 * <p>Issue 15: a learner with a {@link WarmStart} package starts from the package's state when the
 * learner has no state of its own (its version continues from the package's step); a frozen learner
 * ({@link LearnerConfig#train()} false) only scores ({@link OnlineLearner#score}), so its version
 * never moves; with an {@link io.streamctr.flink.export.ExportConfig} the operator exports the
 * learner's package when a checkpoint completes ({@link PackageExporter}).
 */
public final class LearnerOperator extends AbstractStreamOperator<Prediction>
        implements OneInputStreamOperator<Example, Prediction>,
                BoundedOneInput,
                ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    /** Name of the operator state holding the model; part of the savepoint format. */
    public static final String STATE_NAME = "model";

    public static final String METRIC_STEP = "trainingStep";
    public static final String METRIC_LOSS = "trainLoss";
    public static final String METRIC_BATCH_MILLIS = "batchLatencyMs";
    public static final String METRIC_PREDICTIONS = "predictions";
    public static final String METRIC_SKIPPED = "skippedSteps";
    public static final String METRIC_EXPORTED_STEP = "exportedStep";
    public static final String METRIC_TRAINED_EXAMPLES = "trainedExamples";
    public static final String METRIC_OPEN_IMPRESSIONS = "openImpressions";

    /** Name of the operator state of the impressions' scores (issue 16); savepoint format. */
    public static final String SCORES_STATE_NAME = "impression-scores";

    /**
     * Side output of joined examples (issue 16): the score an impression was predicted with and the
     * label its window gave it, for the metrics; never written to the predictions topic.
     */
    public static final OutputTag<Prediction> JOINED =
            new OutputTag<>("joined", new AvroTypeInfo<>(Prediction.class));

    private final LearnerConfig config;
    private final boolean fakeNegatives;
    private final BatchDeadline deadline;
    private final LossWeighting weighting;

    private transient OnlineLearner learner;
    private transient ListState<byte[]> modelState;
    private transient ListState<byte[]> scoresState;
    private transient boolean snapshotHeld;
    private transient ImpressionScores scores;
    private transient List<Example> pending;
    private transient long batchStartedAt;
    private transient long lastArrivalAt;
    private transient boolean timerPending;
    private transient float lastLoss;
    private transient long lastBatchMillis;
    private transient Counter predictionCounter;
    private transient PackageExporter exporter;
    private transient long exportedStep;

    public LearnerOperator(LearnerConfig config) {
        this(config, false);
    }

    /**
     * A learner that, with {@code fakeNegatives}, trains every impression at once as a negative and
     * serves calibrated scores ({@link FakeNegatives}; {@code ctr.labels.train-on}).
     */
    public LearnerOperator(LearnerConfig config, boolean fakeNegatives) {
        this(config, fakeNegatives, LossWeighting.NONE, 0);
    }

    /**
     * As above; a partial batch is also processed after {@code batchIdleMs} without an example (0:
     * only after the batch timeout; {@code ctr.train.batch-idle-timeout}).
     */
    public LearnerOperator(LearnerConfig config, boolean fakeNegatives, long batchIdleMs) {
        this(config, fakeNegatives, LossWeighting.NONE, batchIdleMs);
    }

    /**
     * A learner with fake negatives ({@code fakeNegatives}) whose labelled examples' losses are
     * weighted by {@code weighting} ({@code ctr.labels.fake-negative-weighting}: {@link
     * LossWeighting#FAKE_NEGATIVE}, whose model learns the click probability itself, so its scores
     * are served as they are).
     */
    public LearnerOperator(LearnerConfig config, boolean fakeNegatives, LossWeighting weighting) {
        this(config, fakeNegatives, weighting, 0);
    }

    /**
     * A learner with fake negatives and loss weighting as above, and a partial batch also processed
     * after {@code batchIdleMs} without an example (0: only after the batch timeout).
     */
    public LearnerOperator(
            LearnerConfig config,
            boolean fakeNegatives,
            LossWeighting weighting,
            long batchIdleMs) {
        if (weighting == null || (weighting != LossWeighting.NONE && !fakeNegatives)) {
            throw new IllegalArgumentException(
                    "loss weighting " + weighting + " needs fake negatives");
        }
        this.config = config;
        this.fakeNegatives = fakeNegatives;
        this.weighting = weighting;
        this.deadline = new BatchDeadline(config.batchTimeoutMs(), batchIdleMs);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        modelState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        STATE_NAME,
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        scoresState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        SCORES_STATE_NAME,
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        scores = new ImpressionScores();
        if (context.isRestored()) {
            for (byte[] saved : scoresState.get()) {
                scores.restore(saved);
            }
        }
        learner = config.newLearner();
        pending = new ArrayList<>(config.batchSize());
        lastLoss = Float.NaN;
        boolean restored = false;
        if (context.isRestored()) {
            Iterator<byte[]> saved = modelState.get().iterator();
            if (saved.hasNext()) {
                learner.restore(saved.next());
                restored = true;
                if (saved.hasNext()) {
                    throw new IllegalStateException(
                            "learner '"
                                    + config.learnerName()
                                    + "' restored more than one model snapshot: run each learner"
                                    + " with parallelism 1");
                }
            }
        }
        // no state of its own (a new job, or a new uid in a restored one): the package's
        if (!restored && config.warmStart() != null) {
            startFromPackage();
        }
        exportedStep = -1;
        if (config.export() != null) {
            exporter =
                    new PackageExporter(
                            config.export(),
                            config.learnerName(),
                            learner.step(),
                            System.currentTimeMillis());
        }
    }

    /** Restores the warm-start package's state: the step continues from the package's. */
    private void startFromPackage() {
        WarmStart start = config.warmStart();
        learner.restore(start.readState());
        long step = start.manifest().step();
        if (learner.step() != step) {
            throw new IllegalStateException(
                    "the state of model package "
                            + start.path()
                            + " is at step "
                            + learner.step()
                            + ", its manifest says "
                            + step);
        }
        LOG.info(
                "learner '{}' starts from model package {} at step {}",
                config.learnerName(),
                start.path(),
                step);
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup group = getMetricGroup().addGroup("model", config.learnerName());
        group.gauge(METRIC_STEP, () -> learner.step());
        group.gauge(METRIC_LOSS, () -> lastLoss);
        group.gauge(METRIC_BATCH_MILLIS, () -> lastBatchMillis);
        group.gauge(METRIC_SKIPPED, () -> learner.skippedSteps());
        predictionCounter = group.counter(METRIC_PREDICTIONS);
        group.gauge(METRIC_TRAINED_EXAMPLES, () -> scores.trainedExamples());
        group.gauge(METRIC_OPEN_IMPRESSIONS, () -> scores.openImpressions());
        if (exporter != null) {
            group.gauge(METRIC_EXPORTED_STEP, () -> exportedStep);
        }
    }

    @Override
    public void processElement(StreamRecord<Example> element) throws Exception {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (pending.isEmpty()) {
            batchStartedAt = now;
        }
        lastArrivalAt = now;
        pending.add(element.getValue());
        if (pending.size() >= config.batchSize()) {
            flush();
        } else if (!timerPending) {
            // one timer at a time: when it fires it flushes or moves on to the batch's due time
            timerPending = true;
            getProcessingTimeService().registerTimer(deadline.due(batchStartedAt, now), this);
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerPending = false;
        if (pending.isEmpty()) {
            return;
        }
        long due = deadline.due(batchStartedAt, lastArrivalAt);
        if (Math.max(time, getProcessingTimeService().getCurrentProcessingTime()) >= due) {
            flush();
        } else {
            // more examples came since the timer was set, or it belonged to an earlier batch
            timerPending = true;
            getProcessingTimeService().registerTimer(due, this);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        modelState.update(List.of(learner.snapshot()));
        scoresState.update(List.of(scores.toBytes()));
        snapshotHeld = true;
        if (exporter != null
                && exporter.onSnapshot(
                        context.getCheckpointId(), learner, System.currentTimeMillis())) {
            LOG.info(
                    "learner '{}': package of step {} staged for checkpoint {}",
                    config.learnerName(),
                    learner.step(),
                    context.getCheckpointId());
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (exporter == null) {
            return;
        }
        try {
            org.apache.flink.core.fs.Path published = exporter.onCheckpointComplete(checkpointId);
            if (published != null) {
                exportedStep = PackageExporter.step(published.getName());
                LOG.info("learner '{}': exported {}", config.learnerName(), published);
            }
        } catch (IOException | RuntimeException e) {
            // an export is a copy of the state: the job goes on learning, the next one retries
            LOG.warn(
                    "learner '{}': cannot export its package under {}",
                    config.learnerName(),
                    exporter.root(),
                    e);
        }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        super.notifyCheckpointAborted(checkpointId);
        if (exporter != null) {
            exporter.onCheckpointAborted(checkpointId);
        }
    }

    @Override
    public void endInput() throws Exception {
        flush();
        LOG.info(
                "learner '{}' trained on {} labelled examples; {} impressions without their label",
                config.learnerName(),
                scores.trainedExamples(),
                scores.openImpressions());
        if (exporter != null) {
            exporter.exportAtNextCheckpoint(); // the final checkpoint holds the final model
        }
    }

    /**
     * Drops the last checkpoint's model bytes from the live operator state. Flink's operator state
     * backend copies the state synchronously when it takes the checkpoint, right after {@link
     * #snapshotState}, so the live list is not read again until the next snapshotState writes it
     * anew; held, the tens of MB of the model would live on to the old generation at every
     * checkpoint and fill it for the collector's full collections (docs/benchmarks.md, "Event →
     * prediction latency").
     */
    private void releaseSnapshot() {
        if (snapshotHeld) {
            snapshotHeld = false;
            modelState.clear();
            scoresState.clear();
        }
    }

    /**
     * Scores the pending examples and learns from them, then emits their predictions; a joined
     * example (an impression back with its label, issue 16) is only learned from: no second
     * prediction, its impression-time score goes to {@link #JOINED}.
     */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        releaseSnapshot();
        long started = System.nanoTime();
        // the processing time of the batch's predictions: when it was scored, before the update
        // (which may
        // end OptFusion's search; RecoveryITCase compares the two)
        long now = getProcessingTimeService().getCurrentProcessingTime();
        FakeNegatives.Plan plan =
                fakeNegatives ? FakeNegatives.plan(pending) : FakeNegatives.plain(pending);
        List<Example> batch = plan.batch();
        LearnedBatch result =
                batch.isEmpty()
                        ? new LearnedBatch(new float[0], learner.step(), Float.NaN, 0, false)
                        : config.train()
                                ? learner.process(batch, weighting)
                                : new LearnedBatch(
                                        learner.score(batch), learner.step(), Float.NaN, 0, false);
        int predicted = 0;
        for (int i = 0; i < pending.size(); i++) {
            ClickEvent e = pending.get(i).getEvent();
            if (JoinedLabels.isJoined(e)) {
                Prediction joined = scores.joined(e, config.learnerName(), now);
                if (joined != null) {
                    output.collect(JOINED, new StreamRecord<>(joined));
                }
                // its label is final (the join sends one per impression): the learner may forget
                // the inputs it kept of the impression as scored
                learner.release(e.getEventId());
                continue;
            }
            float q = result.scores()[plan.position()[i]];
            float score =
                    fakeNegatives && weighting == LossWeighting.NONE
                            ? JoinedLabels.fakeNegativeCalibrated(q)
                            : q;
            scores.scored(e, score, result.version());
            predicted++;
            output.collect(
                    new StreamRecord<>(
                            Prediction.newBuilder()
                                    .setEventId(e.getEventId())
                                    .setUserId(e.getUserId())
                                    .setItemId(e.getItemId())
                                    .setModelName(config.learnerName())
                                    .setModelVersion(result.version())
                                    .setScore(score)
                                    .setLabel(e.getLabel())
                                    .setEventTime(e.getEventTime())
                                    .setProcessingTime(now)
                                    .build()));
        }
        predictionCounter.inc(predicted);
        if (config.train() && !result.skipped()) {
            scores.trained(result.labelled());
        }
        if (result.skipped()) {
            LOG.warn(
                    "learner '{}' skipped a step: loss {} is not finite ({} skipped so far)",
                    config.learnerName(),
                    result.loss(),
                    learner.skippedSteps());
        } else if (result.labelled() > 0) {
            lastLoss = result.loss();
        }
        pending.clear();
        lastBatchMillis = (System.nanoTime() - started) / 1_000_000;
    }

    /** Labelled examples trained on over the learner's life (restored with it; for tests). */
    long trainedExamples() {
        return scores.trainedExamples();
    }

    /** Impressions whose scored inputs the learner keeps for their joined example (for tests). */
    int keptImpressions() {
        return learner instanceof DeepLearner deep ? deep.frozenImpressions() : 0;
    }

    /** The learner's step (for tests). */
    long learnerStep() {
        return learner.step();
    }

    @Override
    public void close() throws Exception {
        if (exporter != null) {
            exporter.close();
        }
        if (learner != null) {
            learner.close();
        }
        super.close();
    }
}
