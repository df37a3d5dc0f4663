package io.streamctr.cli.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.flink.format.AvroJson;
import io.streamctr.schemas.MetricsReport;
import java.io.IOException;

/** Record values of a topic in the JSON format ({@code kafka.format=json}), for {@code tail}. */
final class JsonValues {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonValues() {}

    /**
     * The value as one compact JSON line.
     *
     * @throws IllegalArgumentException when it is null or not JSON
     */
    static String line(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        try {
            JsonNode node = MAPPER.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty value");
            }
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not JSON ("
                            + value.length
                            + " bytes): "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The value as a metrics report, or null when it is not one. */
    static MetricsReport metricsReport(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return AvroJson.fromBytes(value, MetricsReport.class);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
