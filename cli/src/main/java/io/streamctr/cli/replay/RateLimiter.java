package io.streamctr.cli.replay;

import io.streamctr.schemas.ClickEvent;

/**
 * Paces a loop to a fixed number of events per second (0 = unlimited). The n-th permit is due at
 * {@code start + n / rate}, so short sleeps that overshoot are made up by the next events and the
 * average rate holds; after a stall of more than a second the schedule restarts instead of
 * bursting.
 */
final class RateLimiter implements Pacer {

    private static final long MAX_BACKLOG_NANOS = 1_000_000_000L;

    private final double nanosPerEvent;
    private final Clock clock;
    private long scheduleStart;
    private long issued;

    RateLimiter(double eventsPerSecond) {
        this(eventsPerSecond, Clock.system());
    }

    RateLimiter(double eventsPerSecond, Clock clock) {
        if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException(
                    "events per second must be >= 0 and finite, got " + eventsPerSecond);
        }
        this.nanosPerEvent = eventsPerSecond == 0 ? 0 : 1e9 / eventsPerSecond;
        this.clock = clock;
    }

    @Override
    public void await(ClickEvent event) throws InterruptedException {
        acquire();
    }

    /** Blocks until the next event may go. */
    void acquire() throws InterruptedException {
        if (nanosPerEvent == 0) {
            return;
        }
        long now = clock.nanoTime();
        if (issued == 0) {
            scheduleStart = now;
        }
        long due = scheduleStart + (long) (issued * nanosPerEvent);
        if (now - due > MAX_BACKLOG_NANOS) {
            scheduleStart = now;
            issued = 0;
            due = now;
        }
        issued++;
        long wait = due - now;
        if (wait > 0) {
            clock.sleepNanos(wait);
        }
    }
}
