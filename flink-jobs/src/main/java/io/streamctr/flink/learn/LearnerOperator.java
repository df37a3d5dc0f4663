package io.streamctr.flink.learn;

import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainResult;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;

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

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The online learner of one model. Collects examples into mini-batches (of the configured size,
 * or whatever arrived when the timeout fires), then per batch: scores it in inference mode and
 * emits one {@link Prediction} per event stamped with the model version (the training step), then
 * trains one step on the labelled rows (prequential: test, then train).
 *
 * <p>The model's parameters and Adam's moments are operator state, written on every checkpoint
 * and restored on recovery. A partial batch is flushed before each checkpoint barrier, so no
 * example sits outside the state.
 */
public final class LearnerOperator extends AbstractStreamOperator<Prediction>
        implements OneInputStreamOperator<Example, Prediction>, BoundedOneInput, ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    /** Name of the operator state holding the model; part of the savepoint format. */
    public static final String STATE_NAME = "model";

    public static final String METRIC_STEP = "trainingStep";
    public static final String METRIC_LOSS = "trainLoss";
    public static final String METRIC_BATCH_MILLIS = "batchLatencyMs";
    public static final String METRIC_PREDICTIONS = "predictions";
    public static final String METRIC_SKIPPED = "skippedSteps";

    private final LearnerConfig config;

    private transient OnlineTrainer trainer;
    private transient FeatureEncoder encoder;
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
        modelState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(STATE_NAME, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        DjlRuntime.configure();
        trainer = new OnlineTrainer(
                config.modelName(),
                ModelRegistry.create(config.modelName(), config.spec()),
                config.spec(),
                config.trainer(),
                DjlRuntime.resolveDevice(config.device()));
        encoder = new FeatureEncoder(config.spec());
        pending = new ArrayList<>(config.batchSize());
        lastLoss = Float.NaN;
        if (context.isRestored()) {
            Iterator<byte[]> saved = modelState.get().iterator();
            if (saved.hasNext()) {
                trainer.restore(saved.next());
                if (saved.hasNext()) {
                    throw new IllegalStateException("learner '" + config.modelName()
                            + "' restored more than one model snapshot: run each learner with parallelism 1");
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup group = getMetricGroup().addGroup("model", config.modelName());
        group.gauge(METRIC_STEP, () -> trainer.step());
        group.gauge(METRIC_LOSS, () -> lastLoss);
        group.gauge(METRIC_BATCH_MILLIS, () -> lastBatchMillis);
        group.gauge(METRIC_SKIPPED, () -> trainer.skippedSteps());
        predictionCounter = group.counter(METRIC_PREDICTIONS);
    }

    @Override
    public void processElement(StreamRecord<Example> element) throws Exception {
        if (pending.isEmpty()) {
            batchStartedAt = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(batchStartedAt + config.batchTimeoutMs(), this);
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
        modelState.update(List.of(trainer.snapshot()));
    }

    @Override
    public void endInput() throws Exception {
        flush();
    }

    /** Scores the pending examples, emits their predictions, then trains on them. */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        FeatureBatch batch = encoder.encode(pending);
        float[] scores = trainer.predict(batch);
        long version = trainer.step();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (int i = 0; i < pending.size(); i++) {
            ClickEvent e = pending.get(i).getEvent();
            output.collect(new StreamRecord<>(Prediction.newBuilder()
                    .setEventId(e.getEventId())
                    .setUserId(e.getUserId())
                    .setItemId(e.getItemId())
                    .setModelName(config.modelName())
                    .setModelVersion(version)
                    .setScore(scores[i])
                    .setLabel(e.getLabel())
                    .setEventTime(e.getEventTime())
                    .setProcessingTime(now)
                    .build()));
        }
        predictionCounter.inc(pending.size());
        TrainResult result = trainer.train(batch);
        if (!result.skipped()) {
            lastLoss = result.loss();
        } else if (result.labelled() > 0) {
            LOG.warn("learner '{}' skipped a step: loss {} is not finite ({} skipped so far)",
                    config.modelName(), result.loss(), trainer.skippedSteps());
        }
        pending.clear();
        lastBatchMillis = (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public void close() throws Exception {
        if (trainer != null) {
            trainer.close();
        }
        super.close();
    }
}
