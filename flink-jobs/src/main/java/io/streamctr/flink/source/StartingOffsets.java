package io.streamctr.flink.source;

import static org.apache.flink.configuration.description.TextElement.text;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where a job without state starts reading the events topic: the values of {@code
 * kafka.starting-offsets}, written in lower case as users type them ({@link #toString()} is what
 * Flink's configuration matches, ignoring case). A job restored from a checkpoint or savepoint goes
 * on from the offsets in its state instead.
 */
public enum StartingOffsets implements DescribedEnum {
    EARLIEST("earliest", "the first offset of every partition"),
    LATEST("latest", "the end of every partition: only events written after the start"),
    COMMITTED("committed", "the group's committed offsets, else earliest");

    private final String value;
    private final String description;

    StartingOffsets(String value, String description) {
        this.value = value;
        this.description = description;
    }

    /** The Kafka source's initializer for this choice. */
    public OffsetsInitializer initializer() {
        return switch (this) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    /**
     * Every value with what it means, e.g. for an option's description: {@code "earliest (...),
     * ..."}.
     */
    public static String describeAll() {
        return Arrays.stream(values())
                .map(v -> v.value + " (" + v.description + ")")
                .collect(Collectors.joining(", "));
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
