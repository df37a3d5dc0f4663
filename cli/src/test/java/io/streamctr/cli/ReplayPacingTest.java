package io.streamctr.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                .isEqualTo("[########----------------------]  25% 500/2,000 events, 1,000 events/s, ETA 0:02");
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
        assertThat(barOut.toString()).startsWith("\r[").contains("100%").endsWith(System.lineSeparator());
        assertThat(barOut.toString().chars().filter(c -> c == '\r').count()).isGreaterThan(10);
        assertThat(barOut.toString().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }
}
