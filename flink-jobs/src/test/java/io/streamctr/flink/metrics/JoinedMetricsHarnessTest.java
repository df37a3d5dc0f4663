package io.streamctr.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 in the metrics: unlabelled impression predictions on the first input, their joined
 * labels with the impression-time score on the second; AUC over the joined ones, pending counted.
 */
class JoinedMetricsHarnessTest {

    private static Prediction prediction(int i, float score, Integer label) {
        return Prediction.newBuilder()
                .setEventId("e" + i)
                .setUserId("u" + (i % 5))
                .setItemId("i" + i)
                .setModelName("dnn")
                .setModelVersion(i / 10)
                .setScore(score)
                .setLabel(label)
                .setEventTime(1_000L * i)
                .setProcessingTime(0L)
                .build();
    }

    private static List<MetricsReport> reports(TwoInputStreamOperatorTestHarness<?, ?, ?> h) {
        List<MetricsReport> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((MetricsReport) r.getValue());
            }
        }
        return out;
    }

    @Test
    void measuresTheImpressionScoresAgainstTheJoinedLabelsAndCountsThePending() throws Exception {
        Random random = new Random(7);
        int n = 60;
        float[] scores = new float[n];
        int[] labels = new int[n];
        StreamingMetrics expected = new StreamingMetrics(1_000, 0);
        try (var h =
                new TwoInputStreamOperatorTestHarness<Prediction, Prediction, MetricsReport>(
                        new MetricsOperator("dnn", 1_000, 1_000_000).withJoinedLabels())) {
            h.open();
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextFloat();
                labels[i] = random.nextDouble() < scores[i] ? 1 : 0;
                h.processElement1(new StreamRecord<>(prediction(i, scores[i], null)));
            }
            for (int i = 0; i < n - 10; i++) { // 10 windows still open at the end
                h.processElement2(new StreamRecord<>(prediction(i, scores[i], labels[i])));
                expected.add(scores[i], labels[i], "u" + (i % 5));
            }
            h.endInput1();
            assertThat(reports(h)).isEmpty(); // one input still open
            h.endInput2();

            MetricsReport last = reports(h).get(0);
            assertThat(reports(h)).hasSize(1);
            assertThat(last.getFinalReport()).isTrue();
            assertThat(last.getPredictions()).isEqualTo(n); // joined labels are no predictions
            assertThat(last.getCount()).isEqualTo(n - 10);
            assertThat(last.getJoinedLabels()).isEqualTo(n - 10);
            assertThat(last.getPendingLabels()).isEqualTo(10);
            assertThat(last.getLifetimeAuc()).isEqualTo(expected.lifetime().auc());
            assertThat(last.getLifetimeNe()).isEqualTo(expected.lifetime().ne());
        }
    }
}
