package io.streamctr.flink.enrich;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * The clock of {@code ctr.sequence.ttl} ({@code ctr.sequence.expiry}, issue 16): how a user's
 * sequences expire after the TTL without an event.
 */
public enum SequenceExpiry implements DescribedEnum {
    PROCESSING_TIME(
            "processing-time",
            "Flink's state TTL on the wall clock, as before (a fast replay of old data expires"
                    + " nothing)"),
    EVENT_TIME(
            "event-time",
            "an event-time timer at the user's latest event time + TTL, fired by the watermarks"
                    + " (also in a replay; the processing-time TTL stays as a backstop)");

    private final String value;
    private final String description;

    SequenceExpiry(String value, String description) {
        this.value = value;
        this.description = description;
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }

    @Override
    public String toString() {
        return value;
    }
}
