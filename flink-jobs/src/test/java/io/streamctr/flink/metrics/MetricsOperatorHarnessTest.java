package io.streamctr.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.model.metrics.GroupAuc;
import io.streamctr.model.metrics.MetricsSnapshot;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class MetricsOperatorHarnessTest {

    private static OneInputStreamOperatorTestHarness<Prediction, MetricsReport> harness(
            MetricsOperator operator) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(operator);
    }

    private static List<Prediction> predictions(int n, long seed) {
        Random random = new Random(seed);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float score = Math.round(random.nextFloat() * 50) / 50f;
            Integer label = i % 11 == 10 ? null : (random.nextDouble() < 0.2 + 0.6 * score ? 1 : 0);
            out.add(
                    Prediction.newBuilder()
                            .setEventId("e" + seed + "-" + i)
                            .setUserId("u" + random.nextInt(12))
                            .setItemId("i" + i)
                            .setModelName("dnn")
                            .setModelVersion(i / 16)
                            .setScore(score)
                            .setLabel(label)
                            .setEventTime(1_000_000L + 1000L * i)
                            .setProcessingTime(0L)
                            .build());
        }
        return out;
    }

    private static List<MetricsReport> feed(
            OneInputStreamOperatorTestHarness<Prediction, MetricsReport> h,
            List<Prediction> predictions)
            throws Exception {
        for (Prediction p : predictions) {
            h.processElement(new StreamRecord<>(p));
        }
        return drain(h);
    }

    private static List<MetricsReport> drain(
            OneInputStreamOperatorTestHarness<Prediction, MetricsReport> h) {
        List<MetricsReport> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((MetricsReport) r.getValue());
            }
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void reportsEveryNPredictionsAndAFinalOneWithGaucByUser() throws Exception {
        List<Prediction> input = predictions(100, 1);
        try (var h = harness(new MetricsOperator("dnn", 50, 30))) {
            h.setProcessingTime(0);
            h.open();
            h.setProcessingTime(4_000);
            List<MetricsReport> reports = feed(h, input);
            h.endInput();
            reports.addAll(drain(h));

            assertThat(reports)
                    .extracting(MetricsReport::getPredictions)
                    .containsExactly(30L, 60L, 90L, 100L);
            assertThat(reports)
                    .extracting(MetricsReport::getFinalReport)
                    .containsExactly(false, false, false, true);
            MetricsReport last = reports.get(3);
            assertThat(last.getModelName()).isEqualTo("dnn");
            assertThat(last.getModelVersion()).isEqualTo(6);
            assertThat(last.getMinEventTime()).isEqualTo(1_000_000L);
            assertThat(last.getMaxEventTime()).isEqualTo(1_099_000L);
            assertThat(last.getEventsPerSecond()).isEqualTo(25.0);
            assertThat(last.getCount())
                    .isEqualTo(input.stream().filter(p -> p.getLabel() != null).count());

            List<Prediction> window = input.stream().filter(p -> p.getLabel() != null).toList();
            window = window.subList(window.size() - 50, window.size());
            float[] scores = new float[50];
            int[] labels = new int[50];
            String[] users = new String[50];
            for (int i = 0; i < 50; i++) {
                scores[i] = window.get(i).getScore();
                labels[i] = window.get(i).getLabel();
                users[i] = window.get(i).getUserId();
            }
            GroupAuc expected = GroupAuc.of(scores, labels, users, 0, 50);
            assertThat(last.getWindowGauc()).isCloseTo(expected.gauc(), within(1e-12));
            assertThat(last.getWindowGaucUsers()).isEqualTo(expected.users());
            assertThat(last.getWindowGaucUsersSkipped()).isEqualTo(expected.usersSkipped());
            assertThat(last.getWindowPredictionMean()).isNotNull();
            assertThat(last.getWindowAucUndefinedReason()).isNull();
            assertThat(last.getWindowCalibrationBuckets()).hasSize(10);
            assertThat(
                            last.getWindowCalibrationBuckets().stream()
                                    .mapToLong(b -> b.getCount())
                                    .sum())
                    .isEqualTo(50);
        }
    }

    @Test
    void roundedLifetimeAucCarriesItsErrorBoundAndExactCarriesZero() throws Exception {
        List<Prediction> input = predictions(200, 3);
        for (int bits : new int[] {0, 3}) {
            try (var h = harness(new MetricsOperator("dnn", 50, 1_000, Duration.ZERO, bits))) {
                h.open();
                feed(h, input);
                h.endInput();
                MetricsReport last = drain(h).get(0);
                if (bits == 0) {
                    assertThat(last.getLifetimeAucErrorBound()).isEqualTo(0.0);
                } else {
                    // 9 grid points for all scores: many pairs tie
                    assertThat(last.getLifetimeAucErrorBound())
                            .isPositive()
                            .isLessThanOrEqualTo(0.5);
                }
            }
        }
    }

    @Test
    void reportsEveryIntervalOfProcessingTimeWhenPredictionsCame() throws Exception {
        List<Prediction> input = predictions(10, 2);
        try (var h = harness(new MetricsOperator("dnn", 100, 1_000, Duration.ofSeconds(5)))) {
            h.setProcessingTime(0);
            h.open();
            feed(h, input.subList(0, 4));

            h.setProcessingTime(5_000);
            List<MetricsReport> first = drain(h);
            h.setProcessingTime(10_000); // nothing new: no report
            List<MetricsReport> idle = drain(h);
            feed(h, input.subList(4, 10));
            h.setProcessingTime(15_000);
            List<MetricsReport> second = drain(h);

            assertThat(first).extracting(MetricsReport::getPredictions).containsExactly(4L);
            assertThat(first.get(0).getWallTime()).isEqualTo(5_000L);
            assertThat(idle).isEmpty();
            assertThat(second).extracting(MetricsReport::getPredictions).containsExactly(10L);
            assertThat(second.get(0).getRecentEventsPerSecond()).isEqualTo(0.6);
        }
    }

    @Test
    void oneClassWindowReportsAucAsNullWithAReason() throws Exception {
        List<Prediction> input =
                predictions(5, 3).stream()
                        .map(p -> Prediction.newBuilder(p).setLabel(0).build())
                        .toList();
        try (var h = harness(new MetricsOperator("dnn", 10, 100))) {
            h.open();
            feed(h, input);
            h.endInput();
            MetricsReport report = drain(h).get(0);

            assertThat(report.getWindowAuc()).isNull();
            assertThat(report.getWindowNe()).isNull();
            assertThat(report.getWindowAucUndefinedReason())
                    .isEqualTo(MetricsSnapshot.REASON_ONE_CLASS);
            assertThat(report.getLifetimeAucUndefinedReason())
                    .isEqualTo(MetricsSnapshot.REASON_ONE_CLASS);
            assertThat(report.getWindowGaucUndefinedReason())
                    .isEqualTo(MetricsSnapshot.REASON_ONE_CLASS_PER_USER);
            assertThat(report.getWindowCtr()).isEqualTo(0.0);
        }
    }

    @Test
    void restoredOperatorGivesIdenticalReports() throws Exception {
        List<Prediction> before = predictions(75, 4);
        List<Prediction> after = predictions(90, 5);
        OperatorSubtaskState snapshot;
        List<MetricsReport> uninterrupted;
        try (var original = harness(new MetricsOperator("dnn", 40, 20, Duration.ofSeconds(7)))) {
            original.setProcessingTime(0);
            original.open();
            feed(original, before);
            original.setProcessingTime(10_000);
            drain(original);
            snapshot = original.snapshot(1L, 10_000L);
            uninterrupted = feed(original, after);
            original.setProcessingTime(20_000);
            original.endInput();
            uninterrupted.addAll(drain(original));
        }

        List<MetricsReport> resumed;
        try (var restored = harness(new MetricsOperator("dnn", 40, 20, Duration.ofSeconds(7)))) {
            restored.setProcessingTime(10_000);
            restored.initializeState(snapshot);
            restored.open();
            resumed = feed(restored, after);
            restored.setProcessingTime(20_000);
            restored.endInput();
            resumed.addAll(drain(restored));
        }

        // every 20 predictions from 75 (95, 115, ..., 155), one timer report, the final one
        assertThat(uninterrupted)
                .extracting(MetricsReport::getPredictions)
                .containsExactly(95L, 115L, 135L, 155L, 165L, 165L);
        assertThat(uninterrupted.get(5).getFinalReport()).isTrue();
        // throughput counts from the operator's (re)start by definition; every other field is
        // identical
        assertThat(resumed.stream().map(MetricsOperatorHarnessTest::withoutThroughput).toList())
                .isEqualTo(
                        uninterrupted.stream()
                                .map(MetricsOperatorHarnessTest::withoutThroughput)
                                .toList());
        assertThat(resumed.get(5).getEventsPerSecond())
                .isEqualTo(9.0); // 90 since the restore at 10 s, at 20 s
    }

    private static MetricsReport withoutThroughput(MetricsReport report) {
        return MetricsReport.newBuilder(report)
                .setEventsPerSecond(null)
                .setRecentEventsPerSecond(null)
                .build();
    }

    @Test
    void registersGaugesPerModel() throws Exception {
        Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();
        TestingMetricRegistry registry =
                TestingMetricRegistry.builder()
                        .setRegisterConsumer(
                                (metric, name, group) -> {
                                    if (metric instanceof Gauge<?> gauge
                                            && "dnn"
                                                    .equals(
                                                            group.getAllVariables()
                                                                    .get("<model>"))) {
                                        gauges.put(name, gauge);
                                    }
                                })
                        .build();
        TaskMetricGroup task =
                TaskManagerMetricGroup.createTaskManagerMetricGroup(
                                registry, "localhost", ResourceID.generate())
                        .addJob(new JobID(), "job")
                        .addTask(ExecutionAttemptID.randomId(), "metrics");
        var environment = new MockEnvironmentBuilder().setMetricGroup(task).build();
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new MetricsOperator("dnn", 50, 40), environment)) {
            h.setProcessingTime(0);
            h.open();
            assertThat(gauges)
                    .containsKeys(
                            MetricsOperator.METRIC_WINDOW_AUC,
                            MetricsOperator.METRIC_WINDOW_NE,
                            MetricsOperator.METRIC_WINDOW_GAUC,
                            MetricsOperator.METRIC_EVENTS_PER_SECOND,
                            MetricsOperator.METRIC_LIFETIME_AUC,
                            MetricsOperator.METRIC_LIFETIME_NE);
            assertThat(gauges.get(MetricsOperator.METRIC_WINDOW_AUC).getValue()).isNull();

            h.setProcessingTime(2_000);
            List<MetricsReport> reports = feed(h, predictions(40, 6));

            assertThat(gauges.get(MetricsOperator.METRIC_WINDOW_AUC).getValue())
                    .isEqualTo(reports.get(0).getWindowAuc());
            assertThat(gauges.get(MetricsOperator.METRIC_WINDOW_NE).getValue())
                    .isEqualTo(reports.get(0).getWindowNe());
            assertThat(gauges.get(MetricsOperator.METRIC_WINDOW_GAUC).getValue())
                    .isEqualTo(reports.get(0).getWindowGauc());
            assertThat(gauges.get(MetricsOperator.METRIC_EVENTS_PER_SECOND).getValue())
                    .isEqualTo(20.0);
        }
    }

    @Test
    void rejectsANegativeReportInterval() {
        assertThatThrownBy(() -> new MetricsOperator("dnn", 10, 10, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("report interval >= 0");
    }
}
