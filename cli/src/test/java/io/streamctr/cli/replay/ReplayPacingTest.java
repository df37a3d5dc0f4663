package io.streamctr.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.cli.console.ConsoleProgress;
import io.streamctr.datasets.Events;
import io.streamctr.schemas.ClickEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayPacingTest {

    @Test
    void rateLimiterHoldsTheAverageRate() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(2_000);
        long start = System.nanoTime();

        for (int i = 0; i < 401; i++) {
            limiter.acquire();
        }

        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).isBetween(0.19, 0.6);
    }

    @Test
    void zeroRateDoesNotWaitAndNegativeRateIsRejected() throws InterruptedException {
        RateLimiter unlimited = new RateLimiter(0);
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            unlimited.acquire();
        }
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(0.5);
        assertThatThrownBy(() -> new RateLimiter(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void progressLineShowsBarRateAndEta() {
        assertThat(ConsoleProgress.line(500, 2_000, 0, 0.5))
                .isEqualTo(
                        "[########----------------------]  25% 500/2,000 events, 1,000 events/s,"
                                + " ETA 0:02");
        assertThat(ConsoleProgress.line(10, 10, 2, 1.0)).endsWith("ETA 0:00, 2 failed");
    }

    @Test
    void plainProgressPrintsALineEveryFewSecondsAndTerminalRedrawsOneLine() {
        AtomicLong clock = new AtomicLong();
        StringWriter plainOut = new StringWriter();
        ConsoleProgress plain = new ConsoleProgress(new PrintWriter(plainOut), false, clock::get);
        StringWriter barOut = new StringWriter();
        ConsoleProgress bar = new ConsoleProgress(new PrintWriter(barOut), true, clock::get);

        for (int i = 1; i <= 100; i++) {
            plain.update(i, 100, 0);
            bar.update(i, 100, 0);
            clock.addAndGet(100_000_000L); // 0.1 s per event
        }
        bar.finish(new ReplaySummary(100, 0, 10_000, 10, null));

        assertThat(plainOut.toString().lines()).hasSize(1);
        assertThat(plainOut.toString()).doesNotContain("\r");
        assertThat(barOut.toString())
                .startsWith("\r[")
                .contains("100%")
                .endsWith(System.lineSeparator());
        assertThat(barOut.toString().chars().filter(c -> c == '\r').count()).isGreaterThan(10);
        assertThat(barOut.toString().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    /**
     * A clock that only moves when slept on or told to: pacing checked on its own clock, not the
     * machine's.
     */
    private static final class SimulatedClock implements Pacer.Clock {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }

    @Test
    void measuredRateIsWithinTenPercentOfTheTargetOverSeveralSeconds() throws InterruptedException {
        SimulatedClock clock = new SimulatedClock();
        RateLimiter limiter = new RateLimiter(1_000, clock);
        Random sendCost = new Random(1);
        long sent = 0;

        while (clock.now < 3_000_000_000L) {
            limiter.acquire();
            sent++;
            clock.now += sendCost.nextInt(900_000); // sending takes 0-0.9 ms
        }

        assertThat(sent / 3.0)
                .isCloseTo(1_000, org.assertj.core.data.Percentage.withPercentage(10));
    }

    @Test
    void speedupKeepsTheDataTimeGapsDividedByTheFactor() throws InterruptedException {
        SimulatedClock clock = new SimulatedClock();
        EventTimePacer pacer = new EventTimePacer(60, clock);
        long[] minutes = {0, 1, 1, 3, 10};
        long[] sentAt = new long[minutes.length];

        for (int i = 0; i < minutes.length; i++) {
            ClickEvent e =
                    Events.create("e" + i, "u", "i", 1_000_000 + minutes[i] * 60_000, null, null);
            pacer.await(e);
            sentAt[i] = clock.now;
            clock.now += 100_000; // 0.1 ms to send
        }

        assertThat(sentAt)
                .containsExactly(
                        0, 1_000_000_000L, 1_000_100_000L, 3_000_000_000L, 10_000_000_000L);
    }

    @Test
    void progressWithoutAKnownTotalShowsCountAndRateOnly() {
        assertThat(ConsoleProgress.line(1_500, -1, 0, 0.5))
                .isEqualTo("1,500 events, 3,000 events/s, total not known yet");
    }
}
