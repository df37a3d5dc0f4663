package io.streamctr.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsSnapshotTest {

    @Test
    void rejectsNaNInAnyFigure() {
        assertThatThrownBy(
                        () -> new MetricsSnapshot(2, 1, Double.NaN, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auc");
        assertThatThrownBy(
                        () -> new MetricsSnapshot(2, 1, null, null, null, null, null, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predictionMean");
    }

    @Test
    void rejectsMorePositivesThanSamples() {
        assertThatThrownBy(() -> new MetricsSnapshot(2, 3, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positives=3, count=2");
    }

    @Test
    void fromSumsOfNoSamplesIsEmpty() {
        assertThat(MetricsSnapshot.fromSums(0, 0, null, 0.0, 0.0)).isEqualTo(MetricsSnapshot.EMPTY);
    }

    @Test
    void fromSumsDerivesRatesFromTheSums() {
        MetricsSnapshot snapshot = MetricsSnapshot.fromSums(4, 1, 0.75, 2.0, 1.0);

        assertThat(snapshot.logLoss()).isEqualTo(0.5);
        assertThat(snapshot.calibration()).isEqualTo(1.0);
        assertThat(snapshot.ctr()).isEqualTo(0.25);
        assertThat(snapshot.predictionMean()).isEqualTo(0.25);
        assertThat(snapshot.auc()).isEqualTo(0.75);
    }
}
