package io.streamctr.cli;

import java.util.Locale;

/**
 * What a replay did: events acknowledged by Kafka, events that failed (never sent or not
 * acknowledged), wall time and throughput, and the first failure's message ({@code null} if none).
 */
public record ReplaySummary(long sent, long failed, long wallTimeMillis, double eventsPerSecond, String firstError) {

    /** One human-readable line, e.g. {@code "sent 2,000 events (0 failed) in 0.8 s, 2,500 events/s"}. */
    public String describe() {
        String line = String.format(Locale.ROOT, "sent %,d events (%,d failed) in %.1f s, %,.0f events/s",
                sent, failed, wallTimeMillis / 1000.0, eventsPerSecond);
        return firstError == null ? line : line + "; first failure: " + firstError;
    }
}
