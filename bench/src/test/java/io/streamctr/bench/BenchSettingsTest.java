package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

    private static BenchSettings passes(int passes) {
        return new BenchSettings(
                Path.of("data"), "dnn", 256, passes, 20_000, false, false, 0, "auto", 0);
    }

    @Test
    void defaultPassesMakeAboutAMillionEvents() {
        assertThat(passes(0).effectivePasses(100_836)).isEqualTo(10);
        assertThat(passes(0).effectivePasses(1_000_000)).isEqualTo(1);
        assertThat(passes(0).effectivePasses(3_000_000)).isEqualTo(1);
        assertThat(passes(0).effectivePasses(999)).isEqualTo(1_000); // capped
    }

    @Test
    void givenPassesWin() {
        assertThat(passes(3).effectivePasses(100_836)).isEqualTo(3);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> passes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new BenchSettings(
                                        Path.of("d"), "dnn", 0, 0, 1, false, false, 0, "auto", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new BenchSettings(
                                        Path.of("d"), "dnn", 1, 0, 1, false, false, -1, "auto", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new BenchSettings(
                                        Path.of("d"), "dnn", 1, 0, 1, false, false, 0, "auto", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
