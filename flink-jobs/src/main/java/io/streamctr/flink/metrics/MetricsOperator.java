package io.streamctr.flink.metrics;

import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Streaming evaluation of one model's predictions (TorchRec definitions, see {@link
 * StreamingMetrics}; gAUC by the prediction's user id): emits a {@link MetricsReport} every N
 * predictions, every T of processing time when predictions came since the last report, and a final
 * one when a bounded input ends. The accumulator is operator state, so the figures survive a
 * restore and count every event once. Wall-clock times come from the processing-time service.
 *
 * <p>Registers gauges under the group {@code model=<name>} (the learner's gauges share it): the
 * figures of the latest report ({@link #METRIC_WINDOW_AUC}, {@link #METRIC_WINDOW_NE}, {@link
 * #METRIC_WINDOW_GAUC}, {@link #METRIC_LIFETIME_AUC}, {@link #METRIC_LIFETIME_NE}; {@code null}
 * while undefined) and the live {@link #METRIC_EVENTS_PER_SECOND}.
 *
 * <p>Delayed labels (issue 16): connected as a two-input operator, the second input is the
 * learner's {@link io.streamctr.flink.learn.LearnerOperator#JOINED} records, each the score an
 * impression was predicted with and the label its attribution window gave it: counted in the
 * metrics (not as predictions), so AUC and NE are of the score made at impression time against the
 * label known at the window's end. Reports say how many unlabelled predictions wait for a label
 * ({@code pendingLabels}). Used with one input, it is the operator it always was.
 */
public final class MetricsOperator extends AbstractStreamOperator<MetricsReport>
        implements OneInputStreamOperator<Prediction, MetricsReport>,
                TwoInputStreamOperator<Prediction, Prediction, MetricsReport>,
                BoundedOneInput,
                BoundedMultiInput {

    private static final long serialVersionUID = 1L;

    /** Name of the operator state; part of the savepoint format. */
    public static final String STATE_NAME = "metrics";

    private static final byte STATE_VERSION = 2;

    /** Gauge: AUC over the window of the latest report. */
    public static final String METRIC_WINDOW_AUC = "windowAuc";

    /** Gauge: NE over the window of the latest report. */
    public static final String METRIC_WINDOW_NE = "windowNe";

    /** Gauge: gAUC over the window of the latest report. */
    public static final String METRIC_WINDOW_GAUC = "windowGauc";

    /** Gauge: lifetime AUC of the latest report. */
    public static final String METRIC_LIFETIME_AUC = "lifetimeAuc";

    /** Gauge: lifetime NE of the latest report. */
    public static final String METRIC_LIFETIME_NE = "lifetimeNe";

    /** Gauge: predictions per second since this operator (re)started. */
    public static final String METRIC_EVENTS_PER_SECOND = "eventsPerSecond";

    private final String modelName;
    private final int windowSize;
    private final int lifetimeAucBits;
    private final int reportEvery;
    private final long reportIntervalMs;

    private transient ListState<byte[]> state;
    private transient StreamingMetrics metrics;
    private transient long predictions;
    private transient long minEventTime;
    private transient long maxEventTime;
    private transient long modelVersion;
    private transient long sinceReport;
    private transient long startedAtMs;
    private transient long predictionsAtStart;
    private transient long lastReportAtMs;
    private transient long predictionsAtLastReport;
    private transient volatile MetricsReport lastReport;
    private transient long unlabelled;
    private transient long joined;
    private int inputs = 1;
    private transient int endedInputs;

    /** Reports every {@code reportEvery} predictions and at the end; no time trigger. */
    public MetricsOperator(String modelName, int windowSize, int reportEvery) {
        this(modelName, windowSize, reportEvery, Duration.ZERO);
    }

    /**
     * @param modelName the model whose predictions this operator sees
     * @param windowSize W, the last W labelled predictions the window figures cover; at least 1
     * @param reportEvery a report every this many predictions; at least 1
     * @param reportInterval a report every this much processing time when predictions came since
     *     the previous report; {@link Duration#ZERO} for none
     */
    public MetricsOperator(
            String modelName, int windowSize, int reportEvery, Duration reportInterval) {
        this(modelName, windowSize, reportEvery, reportInterval, 0);
    }

    /**
     * As {@link #MetricsOperator(String, int, int, Duration)}, with the lifetime AUC over scores
     * rounded to multiples of 2^-{@code lifetimeAucBits} (bounded state; 0 = exact, growing with
     * the distinct scores). A restored accumulator keeps the rounding it was written with.
     */
    public MetricsOperator(
            String modelName,
            int windowSize,
            int reportEvery,
            Duration reportInterval,
            int lifetimeAucBits) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException(
                    "Expected a model name, got " + (modelName == null ? "null" : "a blank"));
        }
        if (windowSize < 1) {
            throw new IllegalArgumentException(
                    "Expected a metrics window size of at least 1, got " + windowSize);
        }
        if (reportEvery <= 0) {
            throw new IllegalArgumentException("report-every must be > 0, got " + reportEvery);
        }
        if (reportInterval == null || reportInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "Expected a report interval >= 0 (0: none), got " + reportInterval);
        }
        this.modelName = modelName;
        this.windowSize = windowSize;
        this.reportEvery = reportEvery;
        this.reportIntervalMs = reportInterval.toMillis();
        if (lifetimeAucBits < 0 || lifetimeAucBits > StreamingMetrics.MAX_LIFETIME_AUC_BITS) {
            throw new IllegalArgumentException(
                    "Expected lifetime AUC bits in [0, "
                            + StreamingMetrics.MAX_LIFETIME_AUC_BITS
                            + "], got "
                            + lifetimeAucBits);
        }
        this.lifetimeAucBits = lifetimeAucBits;
    }

    /**
     * This operator with the learner's joined labels as its second input: the final report waits
     * for both inputs to end. The job connects every model's metrics so.
     */
    public MetricsOperator withJoinedLabels() {
        MetricsOperator two =
                new MetricsOperator(
                        modelName,
                        windowSize,
                        reportEvery,
                        Duration.ofMillis(reportIntervalMs),
                        lifetimeAucBits);
        two.inputs = 2;
        return two;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        STATE_NAME,
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        metrics = new StreamingMetrics(windowSize, lifetimeAucBits);
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
        startedAtMs = now();
        lastReportAtMs = startedAtMs;
        predictionsAtLastReport = predictions;
        MetricGroup group = getMetricGroup().addGroup("model", modelName);
        group.gauge(METRIC_WINDOW_AUC, () -> lastReport == null ? null : lastReport.getWindowAuc());
        group.gauge(METRIC_WINDOW_NE, () -> lastReport == null ? null : lastReport.getWindowNe());
        group.gauge(
                METRIC_WINDOW_GAUC, () -> lastReport == null ? null : lastReport.getWindowGauc());
        group.gauge(
                METRIC_LIFETIME_AUC, () -> lastReport == null ? null : lastReport.getLifetimeAuc());
        group.gauge(
                METRIC_LIFETIME_NE, () -> lastReport == null ? null : lastReport.getLifetimeNe());
        group.gauge(METRIC_EVENTS_PER_SECOND, this::eventsPerSecond);
        if (reportIntervalMs > 0) {
            scheduleReport(startedAtMs + reportIntervalMs);
        }
    }

    private void scheduleReport(long atMs) {
        getProcessingTimeService().registerTimer(atMs, this::onReportTimer);
    }

    private void onReportTimer(long timestamp) {
        if (sinceReport > 0) {
            emit(false);
        }
        scheduleReport(timestamp + reportIntervalMs);
    }

    @Override
    public void processElement(StreamRecord<Prediction> element) {
        Prediction p = element.getValue();
        predictions++;
        modelVersion = Math.max(modelVersion, p.getModelVersion());
        minEventTime = Math.min(minEventTime, p.getEventTime());
        maxEventTime = Math.max(maxEventTime, p.getEventTime());
        if (p.getLabel() != null) {
            metrics.add(p.getScore(), p.getLabel(), p.getUserId());
        } else {
            unlabelled++;
        }
        if (++sinceReport >= reportEvery) {
            emit(false);
        }
    }

    @Override
    public void processElement1(StreamRecord<Prediction> element) {
        processElement(element);
    }

    /** A joined label: the impression's score against its label, not another prediction. */
    @Override
    public void processElement2(StreamRecord<Prediction> element) {
        Prediction p = element.getValue();
        if (p.getLabel() == null) {
            throw new IllegalArgumentException(
                    "a joined prediction must have a label: event " + p.getEventId());
        }
        metrics.add(p.getScore(), p.getLabel(), p.getUserId());
        joined++;
        if (++sinceReport >= reportEvery) {
            emit(false);
        }
    }

    /** Flink calls this, per input, on an operator that is not a {@link BoundedOneInput}. */
    @Override
    public void endInput(int inputId) {
        endInput();
    }

    /** The final report, once every input has ended. */
    @Override
    public void endInput() {
        if (++endedInputs >= inputs) {
            emit(true);
        }
    }

    private void emit(boolean finalReport) {
        long now = now();
        long sincePrevious = now - lastReportAtMs;
        Double recent =
                sincePrevious <= 0
                        ? null
                        : (predictions - predictionsAtLastReport) * 1000.0 / sincePrevious;
        lastReport =
                MetricsReports.of(
                        metrics,
                        new MetricsReports.Progress(
                                modelName,
                                modelVersion,
                                predictions,
                                predictions == 0 ? null : minEventTime,
                                predictions == 0 ? null : maxEventTime,
                                now,
                                eventsPerSecond(),
                                recent,
                                finalReport,
                                Math.max(0, unlabelled - joined),
                                joined));
        sinceReport = 0;
        lastReportAtMs = now;
        predictionsAtLastReport = predictions;
        output.collect(new StreamRecord<>(lastReport));
    }

    /** Predictions per wall-clock second since this operator (re)started. */
    private Double eventsPerSecond() {
        long elapsed = now() - startedAtMs;
        return elapsed <= 0 ? null : (predictions - predictionsAtStart) * 1000.0 / elapsed;
    }

    private long now() {
        return getProcessingTimeService().getCurrentProcessingTime();
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
            out.writeLong(unlabelled);
            out.writeLong(joined);
        }
        return bytes.toByteArray();
    }

    private void restore(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != 1 && version != STATE_VERSION) {
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
            // version 1 had no delayed labels: nothing pending, nothing joined
            unlabelled = version == 1 ? 0 : in.readLong();
            joined = version == 1 ? 0 : in.readLong();
        }
    }
}
