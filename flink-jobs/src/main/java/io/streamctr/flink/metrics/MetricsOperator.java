package io.streamctr.flink.metrics;

import io.streamctr.model.metrics.MetricsSnapshot;
import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * Streaming evaluation of one model's predictions (TorchRec definitions, see
 * {@link StreamingMetrics}): emits a {@link MetricsReport} every N predictions and a final one when
 * a bounded input ends. The accumulator is operator state, so the figures survive a restore and
 * count every event once.
 */
public final class MetricsOperator extends AbstractStreamOperator<MetricsReport>
        implements OneInputStreamOperator<Prediction, MetricsReport>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    /** Name of the operator state; part of the savepoint format. */
    public static final String STATE_NAME = "metrics";
    private static final byte STATE_VERSION = 1;

    public static final String METRIC_WINDOW_AUC = "windowAuc";
    public static final String METRIC_WINDOW_NE = "windowNe";
    public static final String METRIC_EVENTS_PER_SECOND = "eventsPerSecond";

    private final String modelName;
    private final int windowSize;
    private final int reportEvery;

    private transient ListState<byte[]> state;
    private transient StreamingMetrics metrics;
    private transient long predictions;
    private transient long minEventTime;
    private transient long maxEventTime;
    private transient long modelVersion;
    private transient long sinceReport;
    private transient long startedAtMs;
    private transient long predictionsAtStart;
    private transient MetricsReport lastReport;

    public MetricsOperator(String modelName, int windowSize, int reportEvery) {
        if (reportEvery <= 0) {
            throw new IllegalArgumentException("report-every must be > 0, got " + reportEvery);
        }
        this.modelName = modelName;
        this.windowSize = windowSize;
        this.reportEvery = reportEvery;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>(STATE_NAME, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        metrics = new StreamingMetrics(windowSize);
        minEventTime = Long.MAX_VALUE;
        maxEventTime = Long.MIN_VALUE;
        if (context.isRestored()) {
            Iterator<byte[]> saved = state.get().iterator();
            if (saved.hasNext()) {
                restore(saved.next());
            }
        }
        predictionsAtStart = predictions;
    }

    @Override
    public void open() throws Exception {
        super.open();
        startedAtMs = System.currentTimeMillis();
        MetricGroup group = getMetricGroup().addGroup("model", modelName);
        group.gauge(METRIC_WINDOW_AUC, () -> lastReport == null || lastReport.getWindowAuc() == null ? null : lastReport.getWindowAuc());
        group.gauge(METRIC_WINDOW_NE, () -> lastReport == null || lastReport.getWindowNe() == null ? null : lastReport.getWindowNe());
        group.gauge(METRIC_EVENTS_PER_SECOND, this::eventsPerSecond);
    }

    @Override
    public void processElement(StreamRecord<Prediction> element) {
        Prediction p = element.getValue();
        predictions++;
        modelVersion = Math.max(modelVersion, p.getModelVersion());
        minEventTime = Math.min(minEventTime, p.getEventTime());
        maxEventTime = Math.max(maxEventTime, p.getEventTime());
        if (p.getLabel() != null) {
            metrics.add(p.getScore(), p.getLabel());
        }
        if (++sinceReport >= reportEvery) {
            emit(false);
        }
    }

    @Override
    public void endInput() {
        emit(true);
    }

    private void emit(boolean finalReport) {
        sinceReport = 0;
        MetricsSnapshot life = metrics.lifetime();
        MetricsSnapshot window = metrics.window();
        lastReport = MetricsReport.newBuilder()
                .setModelName(modelName)
                .setModelVersion(modelVersion)
                .setCount(life.count())
                .setPredictions(predictions)
                .setLifetimeAuc(life.auc())
                .setLifetimeNe(life.ne())
                .setLifetimeLogLoss(life.logLoss())
                .setLifetimeCalibration(life.calibration())
                .setLifetimeCtr(life.ctr())
                .setWindowAuc(window.auc())
                .setWindowNe(window.ne())
                .setWindowLogLoss(window.logLoss())
                .setWindowCalibration(window.calibration())
                .setWindowCtr(window.ctr())
                .setWindowSize(metrics.windowSize())
                .setWindowCount(metrics.windowCount())
                .setMinEventTime(predictions == 0 ? null : minEventTime)
                .setMaxEventTime(predictions == 0 ? null : maxEventTime)
                .setWallTime(System.currentTimeMillis())
                .setEventsPerSecond(eventsPerSecond())
                .setFinalReport(finalReport)
                .build();
        output.collect(new StreamRecord<>(lastReport));
    }

    /** Predictions per wall-clock second since this operator (re)started. */
    private Double eventsPerSecond() {
        long elapsed = System.currentTimeMillis() - startedAtMs;
        return elapsed <= 0 ? null : (predictions - predictionsAtStart) * 1000.0 / elapsed;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(List.of(toBytes()));
    }

    private byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(STATE_VERSION);
            out.writeLong(predictions);
            out.writeLong(minEventTime);
            out.writeLong(maxEventTime);
            out.writeLong(modelVersion);
            out.writeLong(sinceReport);
            byte[] m = metrics.toBytes();
            out.writeInt(m.length);
            out.write(m);
        }
        return bytes.toByteArray();
    }

    private void restore(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != STATE_VERSION) {
                throw new IllegalStateException("unsupported metrics state version " + version);
            }
            predictions = in.readLong();
            minEventTime = in.readLong();
            maxEventTime = in.readLong();
            modelVersion = in.readLong();
            sinceReport = in.readLong();
            byte[] m = new byte[in.readInt()];
            in.readFully(m);
            metrics = StreamingMetrics.fromBytes(m);
        }
    }
}
