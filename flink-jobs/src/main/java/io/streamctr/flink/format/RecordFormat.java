package io.streamctr.flink.format;

import io.streamctr.flink.sink.AvroSingleObjectSerializer;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * How record values are written on the job's topics: the events it reads and the predictions,
 * metrics and dead letters it writes ({@code kafka.format}, the CLI's {@code --format}).
 */
public enum RecordFormat {
    /** Avro single-object encoding: marker C3 01, the schema fingerprint, the binary record. */
    AVRO,
    /** One JSON object per record, the {@code .avsc} field names ({@link AvroJson}). */
    JSON;

    /** The name in options: {@code avro} or {@code json}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return optionName();
    }

    /** The writer of records of {@code type} in this format. */
    public <T extends SpecificRecordBase> SerializationSchema<T> serializer(Class<T> type) {
        return this == AVRO ? new AvroSingleObjectSerializer<>(type) : new JsonRecordSerializer<>();
    }

    /**
     * The format named {@code name} (any case).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static RecordFormat parse(String name) {
        for (RecordFormat f : values()) {
            if (f.optionName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "format must be one of "
                        + Arrays.stream(values())
                                .map(RecordFormat::optionName)
                                .collect(Collectors.joining(", "))
                        + "; got '"
                        + name
                        + "'");
    }
}
