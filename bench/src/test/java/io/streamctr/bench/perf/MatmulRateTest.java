package io.streamctr.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class MatmulRateTest {

    @Test
    void measuresAtLeastTwoProductsAndAFiniteRate() {
        MatmulRate.Result r = MatmulRate.measure(Device.cpu(), 64, 0.0);

        assertThat(r.products()).isGreaterThanOrEqualTo(2);
        assertThat(r.nanos()).isPositive();
        assertThat(r.gflopsPerSecond()).isPositive().isFinite();
    }

    @Test
    void rejectsAnEmptyMatrix() {
        assertThatThrownBy(() -> MatmulRate.measure(Device.cpu(), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
