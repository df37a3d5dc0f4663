package io.streamctr.flink.metrics;

import io.streamctr.model.metrics.CalibrationBucket;
import io.streamctr.model.metrics.MetricsSnapshot;
import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.schemas.MetricsReport;
import java.util.ArrayList;
import java.util.List;

/** Turns a model's {@link StreamingMetrics} into the Avro {@link MetricsReport} the job writes. */
final class MetricsReports {

    private MetricsReports() {}

    /** What the operator knows beside the metric math: identity, time range and throughput. */
    record Progress(
            String modelName,
            long modelVersion,
            long predictions,
            Long minEventTime,
            Long maxEventTime,
            long wallTime,
            Double eventsPerSecond,
            Double recentEventsPerSecond,
            boolean finalReport,
            long pendingLabels,
            long joinedLabels) {}

    static MetricsReport of(StreamingMetrics metrics, Progress progress) {
        MetricsSnapshot life = metrics.lifetime();
        MetricsSnapshot window = metrics.window();
        return MetricsReport.newBuilder()
                .setModelName(progress.modelName())
                .setModelVersion(progress.modelVersion())
                .setCount(life.count())
                .setPredictions(progress.predictions())
                .setLifetimeAuc(life.auc())
                .setLifetimeAucErrorBound(metrics.lifetimeAucErrorBound())
                .setLifetimeNe(life.ne())
                .setLifetimeLogLoss(life.logLoss())
                .setLifetimeCalibration(life.calibration())
                .setLifetimeCtr(life.ctr())
                .setLifetimePredictionMean(life.predictionMean())
                .setLifetimeAucUndefinedReason(life.aucUndefinedReason())
                .setWindowAuc(window.auc())
                .setWindowNe(window.ne())
                .setWindowLogLoss(window.logLoss())
                .setWindowCalibration(window.calibration())
                .setWindowCtr(window.ctr())
                .setWindowPredictionMean(window.predictionMean())
                .setWindowAucUndefinedReason(window.aucUndefinedReason())
                .setWindowGauc(window.gauc())
                .setWindowGaucUsers(window.gaucUsers())
                .setWindowGaucUsersSkipped(window.gaucUsersSkipped())
                .setWindowGaucUndefinedReason(window.gaucUndefinedReason())
                .setWindowCalibrationBuckets(buckets(metrics.windowCalibration()))
                .setWindowSize(metrics.windowSize())
                .setWindowCount(metrics.windowCount())
                .setMinEventTime(progress.minEventTime())
                .setMaxEventTime(progress.maxEventTime())
                .setWallTime(progress.wallTime())
                .setEventsPerSecond(progress.eventsPerSecond())
                .setRecentEventsPerSecond(progress.recentEventsPerSecond())
                .setFinalReport(progress.finalReport())
                .setPendingLabels(progress.pendingLabels())
                .setJoinedLabels(progress.joinedLabels())
                .build();
    }

    private static List<io.streamctr.schemas.CalibrationBucket> buckets(
            List<CalibrationBucket> buckets) {
        List<io.streamctr.schemas.CalibrationBucket> avro = new ArrayList<>(buckets.size());
        for (CalibrationBucket b : buckets) {
            avro.add(
                    io.streamctr.schemas.CalibrationBucket.newBuilder()
                            .setLower(b.lower())
                            .setUpper(b.upper())
                            .setCount(b.count())
                            .setPositives(b.positives())
                            .setSumPredictions(b.sumPredictions())
                            .build());
        }
        return avro;
    }
}
