package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySettingsTest {

    @Test
    void defaultsAreHalfAndNinetyPercentAtTheDefaultAndAShortTimeout() {
        LatencySettings d = LatencySettings.defaults();
        assertThat(d.loads()).containsExactly(0.5, 0.9);
        assertThat(d.batchTimeoutsMs()).containsExactly(200L, 50L);
        assertThat(d.batchIdleTimeoutsMs()).containsExactly(0L, 5L);
        assertThat(d.skip()).isFalse();
        assertThat(d.checkpointInterval()).isEqualTo(Bench.CHECKPOINT_INTERVAL);
        assertThat(d.batchTimeoutsMs().get(0))
                .as("the first timeout is the job's default")
                .isEqualTo(io.streamctr.flink.JobOptions.BATCH_TIMEOUT.defaultValue().toMillis());
    }

    @Test
    void rejectsBadLoadsTimeoutsAndDurations() {
        assertThatThrownBy(
                        () ->
                                new LatencySettings(
                                        List.of(0.0),
                                        20,
                                        5,
                                        List.of(200L),
                                        List.of(0L),
                                        -1,
                                        3,
                                        0,
                                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(0, 1.5]");
        assertThatThrownBy(
                        () ->
                                new LatencySettings(
                                        List.of(0.5),
                                        20,
                                        5,
                                        List.of(0L),
                                        List.of(0L),
                                        -1,
                                        3,
                                        0,
                                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch timeout must be > 0 ms");
        assertThatThrownBy(
                        () ->
                                new LatencySettings(
                                        List.of(0.5),
                                        0,
                                        5,
                                        List.of(200L),
                                        List.of(0L),
                                        -1,
                                        3,
                                        0,
                                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latency seconds must be > 0");
        assertThatThrownBy(
                        () ->
                                new LatencySettings(
                                        List.of(),
                                        20,
                                        5,
                                        List.of(200L),
                                        List.of(0L),
                                        -1,
                                        3,
                                        0,
                                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(
                        () ->
                                new LatencySettings(
                                        List.of(0.5),
                                        20,
                                        5,
                                        List.of(200L),
                                        List.of(0L),
                                        -2,
                                        3,
                                        0,
                                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("network buffer timeout");
        assertThatThrownBy(
                        () ->
                                new LatencySettings(
                                        List.of(0.5),
                                        20,
                                        5,
                                        List.of(200L),
                                        List.of(0L),
                                        -1,
                                        0,
                                        0,
                                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint interval must be >= 0.1 s");
        assertThatThrownBy(
                        () ->
                                new LatencySettings(
                                        List.of(0.5),
                                        20,
                                        5,
                                        List.of(200L),
                                        List.of(-1L),
                                        -1,
                                        3,
                                        0,
                                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch idle timeout must be >= 0 ms");
        assertThatThrownBy(
                        () ->
                                new LatencySettings(
                                        List.of(0.5),
                                        20,
                                        5,
                                        List.of(200L),
                                        List.of(0L),
                                        -1,
                                        3,
                                        -5,
                                        false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latency peak rate must be >= 0 ev/s");
    }
}
