package io.streamctr.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.schemas.MetricsReport;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Reads one {@link MetricsReport} from the JSON line that {@code tail --metrics} and the demo's
 * {@code metrics.jsonl} hold (Avro's {@code toString()} of the record: unions written as their
 * value, not wrapped). A field the line lacks takes the schema's default, so dumps made before a
 * field was added still read; a field without a default must be there.
 */
final class JsonReports {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReports() {}

    /**
     * @return the report, or {@code null} for a line that records an undecodable Kafka record (an
     *     object with an {@code "error"} field, as {@code tail} writes it)
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    static MetricsReport parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Expected a JSON object, got: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(
                    "Expected a JSON object, got "
                            + (node == null ? "nothing" : node.getNodeType()));
        }
        if (node.has("error") && !node.has("modelName")) {
            return null;
        }
        return (MetricsReport) record(node, MetricsReport.getClassSchema(), "");
    }

    private static Object record(JsonNode node, Schema schema, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(
                    "Expected an object at " + path + ", got " + node.getNodeType());
        }
        IndexedRecord record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            String at = path.isEmpty() ? field.name() : path + "." + field.name();
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new IllegalArgumentException(
                            "Expected the field " + at + ", it is missing");
                }
                record.put(field.pos(), SpecificData.get().getDefaultValue(field));
            } else {
                record.put(field.pos(), value(value, field.schema(), at));
            }
        }
        return record;
    }

    private static Object value(JsonNode node, Schema schema, String path) {
        switch (schema.getType()) {
            case UNION -> {
                if (node.isNull()
                        && schema.getTypes().stream()
                                .anyMatch(s -> s.getType() == Schema.Type.NULL)) {
                    return null;
                }
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return value(node, branch, path);
                    }
                }
                throw new IllegalArgumentException("Expected null at " + path + ", got " + node);
            }
            case NULL -> {
                return expect(node.isNull(), null, "null", node, path);
            }
            case STRING -> {
                return expect(node.isTextual(), node.asText(), "a string", node, path);
            }
            case BOOLEAN -> {
                return expect(node.isBoolean(), node.asBoolean(), "true or false", node, path);
            }
            case INT -> {
                return expect(node.isInt(), node.intValue(), "an int", node, path);
            }
            case LONG -> {
                return expect(
                        node.isIntegralNumber() && node.canConvertToLong(),
                        node.longValue(),
                        "a long",
                        node,
                        path);
            }
            case DOUBLE -> {
                return expect(node.isNumber(), node.doubleValue(), "a number", node, path);
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    throw new IllegalArgumentException(
                            "Expected an array at " + path + ", got " + node.getNodeType());
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(value(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return items;
            }
            case RECORD -> {
                return record(node, schema, path);
            }
            default ->
                    throw new IllegalArgumentException(
                            "Unsupported schema type " + schema.getType() + " at " + path);
        }
    }

    private static Object expect(
            boolean ok, Object value, String expected, JsonNode node, String path) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "Expected " + expected + " at " + path + ", got " + node);
        }
        return value;
    }
}
