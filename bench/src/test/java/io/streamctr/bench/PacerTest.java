package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long MS = 1_000_000;

    @Test
    void spacesEventsAtTheRate() {
        Pacer pacer = new Pacer(1_000, 1, 0);
        assertThat(pacer.delayNanos(0)).isZero();
        assertThat(pacer.delayNanos(0)).isEqualTo(MS);
        assertThat(pacer.delayNanos(MS / 2)).isEqualTo(MS / 2);
        assertThat(pacer.delayNanos(MS)).isZero();
    }

    @Test
    void aSimulatedSecondSendsTheRateWhenTheSenderFollowsTheDelays() {
        Pacer pacer = new Pacer(7_500, 75, 0);
        long now = 0;
        int sent = 0;
        while (true) {
            long wait = pacer.delayNanos(now);
            if (wait == 0) {
                if (now >= 1_000 * MS) {
                    break;
                }
                sent++;
            } else {
                now += wait;
            }
        }
        // the first token is there at the start
        assertThat(sent).isBetween(7_500, 7_501);
    }

    @Test
    void afterAPauseCatchesUpByAtMostTheBurst() {
        Pacer pacer = new Pacer(1_000, 10, 0);
        pacer.delayNanos(0);
        long now = 500 * MS; // 500 events late
        int atOnce = 0;
        while (pacer.delayNanos(now) == 0) {
            atOnce++;
        }
        assertThat(atOnce).isEqualTo(10);
    }

    @Test
    void rejectsBadRatesAndBursts() {
        assertThatThrownBy(() -> new Pacer(0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must be > 0");
        assertThatThrownBy(() -> new Pacer(Double.NaN, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(100, 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burst must be >= 1");
    }
}
