package io.streamctr.model.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JoinedLabelsTest {

    @Test
    void fakeNegativeScoresAreCalibratedBackBelowOne() {
        assertThat(JoinedLabels.fakeNegativeCalibrated(0f)).isZero();
        assertThat(JoinedLabels.fakeNegativeCalibrated(0.2f)).isCloseTo(0.25f, within(1e-6f));
        assertThat(JoinedLabels.fakeNegativeCalibrated(1f / 3)).isCloseTo(0.5f, within(1e-6f));
        assertThat(JoinedLabels.fakeNegativeCalibrated(0.4999f)).isCloseTo(0.9996f, within(1e-4f));
        for (float q : new float[] {0.5f, 0.9f, 1f}) {
            assertThat(JoinedLabels.fakeNegativeCalibrated(q))
                    .isEqualTo(JoinedLabels.MAX_CALIBRATED)
                    .isLessThan(1f);
        }
        assertThatThrownBy(() -> JoinedLabels.fakeNegativeCalibrated(Float.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a score must be in [0, 1], got NaN");
        assertThatThrownBy(() -> JoinedLabels.fakeNegativeCalibrated(1.5f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
