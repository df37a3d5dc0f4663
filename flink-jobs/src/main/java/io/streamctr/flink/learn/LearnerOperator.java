package io.streamctr.flink.learn;

import io.streamctr.model.learn.LearnedBatch;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

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

    private final LearnerConfig config;

    private transient OnlineLearner learner;
    private transient ListState<byte[]> modelState;
    private transient List<Example> pending;
    private transient long batchStartedAt;
    private transient float lastLoss;
    private transient long lastBatchMillis;
    private transient Counter predictionCounter;

    public LearnerOperator(LearnerConfig config) {
        this.config = config;
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
        ModelOverrides overrides = config.overrides();
        learner =
                overrides.equals(ModelOverrides.NONE)
                        ? Learners.create(
                                config.modelName(),
                                config.spec(),
                                config.trainer(),
                                config.device(),
                                config.freshness())
                        : Learners.createDeep(
                                config.modelName(),
                                config.spec(),
                                overrides.apply(config.trainer()),
                                config.device(),
                                config.freshness(),
                                overrides::apply);
        pending = new ArrayList<>(config.batchSize());
        lastLoss = Float.NaN;
        if (context.isRestored()) {
            Iterator<byte[]> saved = modelState.get().iterator();
            if (saved.hasNext()) {
                learner.restore(saved.next());
                if (saved.hasNext()) {
                    throw new IllegalStateException(
                            "learner '"
                                    + config.modelName()
                                    + "' restored more than one model snapshot: run each learner"
                                    + " with parallelism 1");
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup group = getMetricGroup().addGroup("model", config.modelName());
        group.gauge(METRIC_STEP, () -> learner.step());
        group.gauge(METRIC_LOSS, () -> lastLoss);
        group.gauge(METRIC_BATCH_MILLIS, () -> lastBatchMillis);
        group.gauge(METRIC_SKIPPED, () -> learner.skippedSteps());
        predictionCounter = group.counter(METRIC_PREDICTIONS);
    }

    @Override
    public void processElement(StreamRecord<Example> element) throws Exception {
        if (pending.isEmpty()) {
            batchStartedAt = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(batchStartedAt + config.batchTimeoutMs(), this);
        }
        pending.add(element.getValue());
        if (pending.size() >= config.batchSize()) {
            flush();
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        if (pending.isEmpty()) {
            return;
        }
        long due = batchStartedAt + config.batchTimeoutMs();
        if (time >= due) {
            flush();
        } else {
            // this timer belonged to an earlier batch; the current one is due later
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
    }

    @Override
    public void endInput() throws Exception {
        flush();
    }

    /** Scores the pending examples and learns from them, then emits their predictions. */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        // the processing time of the batch's predictions: when it was scored, before the update
        // (which may
        // end OptFusion's search; RecoveryITCase compares the two)
        long now = getProcessingTimeService().getCurrentProcessingTime();
        LearnedBatch result = learner.process(pending);
        for (int i = 0; i < pending.size(); i++) {
            ClickEvent e = pending.get(i).getEvent();
            output.collect(
                    new StreamRecord<>(
                            Prediction.newBuilder()
                                    .setEventId(e.getEventId())
                                    .setUserId(e.getUserId())
                                    .setItemId(e.getItemId())
                                    .setModelName(config.modelName())
                                    .setModelVersion(result.version())
                                    .setScore(result.scores()[i])
                                    .setLabel(e.getLabel())
                                    .setEventTime(e.getEventTime())
                                    .setProcessingTime(now)
                                    .build()));
        }
        predictionCounter.inc(pending.size());
        if (result.skipped()) {
            LOG.warn(
                    "learner '{}' skipped a step: loss {} is not finite ({} skipped so far)",
                    config.modelName(),
                    result.loss(),
                    learner.skippedSteps());
        } else if (result.labelled() > 0) {
            lastLoss = result.loss();
        }
        pending.clear();
        lastBatchMillis = (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public void close() throws Exception {
        if (learner != null) {
            learner.close();
        }
        super.close();
    }
}
