package io.streamctr.flink.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain JSON of the project's Avro records, one object per record with the field names of the
 * {@code .avsc}: what any Kafka client or kcat can read and write. Not Avro's own JSON encoding,
 * which wraps a union's value in {@code {"type": value}}: here a nullable field is its value or
 * {@code null}, maps are objects, arrays are arrays, {@code bytes} are base64 strings (Jackson's
 * binary), enums their symbol.
 *
 * <p>Reading is strict so that a hand-written event fails loudly instead of losing a feature: a
 * field of the wrong JSON type or an unknown field is an error naming the field; a missing field
 * takes the schema's default, and is an error when it has none. The JSON tree is built and parsed
 * by Jackson, walked along the record's schema.
 */
public final class AvroJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Each record class's own model (its class loader), looked up once per class. */
    private static final ClassValue<SpecificData> MODELS =
            new ClassValue<>() {
                @Override
                protected SpecificData computeValue(Class<?> type) {
                    return SpecificData.getForClass(type);
                }
            };

    private AvroJson() {}

    /** The record as UTF-8 JSON bytes. */
    public static byte[] toBytes(IndexedRecord record) {
        try {
            return MAPPER.writeValueAsBytes(toTree(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record.getSchema().getName(), e);
        }
    }

    /** The record as a JSON string. */
    public static String toString(IndexedRecord record) {
        try {
            return MAPPER.writeValueAsString(toTree(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record.getSchema().getName(), e);
        }
    }

    /** The record as a Jackson object node. */
    public static ObjectNode toTree(IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), write(record.get(field.pos()), field.schema()));
        }
        return node;
    }

    /**
     * Parses one JSON object into a record of {@code type}.
     *
     * @throws IllegalArgumentException when the bytes are not one JSON object or the object does
     *     not fit the schema; the message names the field
     */
    public static <T extends SpecificRecord> T fromBytes(byte[] json, Class<T> type) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not JSON: "
                            + oneLine(
                                    e instanceof JsonProcessingException j
                                            ? j.getOriginalMessage()
                                            : e.getMessage()));
        }
        SpecificData data = MODELS.get(type);
        return type.cast(read(node, data.getSchema(type), data, ""));
    }

    private static JsonNode write(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION:
                return write(
                        value,
                        schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
            case RECORD:
                return toTree((IndexedRecord) value);
            case MAP:
                ObjectNode map = NODES.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    map.set(e.getKey().toString(), write(e.getValue(), schema.getValueType()));
                }
                return map;
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    array.add(write(item, schema.getElementType()));
                }
                return array;
            case STRING:
            case ENUM:
                return NODES.textNode(value.toString());
            case BYTES:
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.binaryNode(bytes);
            case FIXED:
                return NODES.binaryNode(((GenericData.Fixed) value).bytes());
            case INT:
                return NODES.numberNode((Integer) value);
            case LONG:
                return NODES.numberNode((Long) value);
            case FLOAT:
                return NODES.numberNode((Float) value);
            case DOUBLE:
                return NODES.numberNode((Double) value);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            default:
                return NODES.nullNode();
        }
    }

    private static Object read(JsonNode node, Schema schema, SpecificData data, String path) {
        switch (schema.getType()) {
            case RECORD:
                return record(node, schema, data, path);
            case UNION:
                return union(node, schema, data, path);
            case MAP:
                expect(node.isObject(), "an object", node, path);
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(
                            e.getKey(),
                            read(
                                    e.getValue(),
                                    schema.getValueType(),
                                    data,
                                    path + "." + e.getKey()));
                }
                return map;
            case ARRAY:
                expect(node.isArray(), "an array", node, path);
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(
                            read(node.get(i), schema.getElementType(), data, path + "[" + i + "]"));
                }
                return list;
            case STRING:
                expect(node.isTextual(), "a string", node, path);
                return node.textValue();
            case ENUM:
                expect(
                        node.isTextual() && schema.hasEnumSymbol(node.textValue()),
                        "one of " + schema.getEnumSymbols(),
                        node,
                        path);
                return data.createEnum(node.textValue(), schema);
            case BYTES:
                expect(node.isTextual() || node.isBinary(), "a base64 string", node, path);
                try {
                    return ByteBuffer.wrap(node.binaryValue());
                } catch (IOException e) {
                    throw new IllegalArgumentException(path + ": not base64: " + e.getMessage());
                }
            case INT:
                expect(node.isIntegralNumber() && node.canConvertToInt(), "an int", node, path);
                return node.intValue();
            case LONG:
                expect(node.isIntegralNumber() && node.canConvertToLong(), "a long", node, path);
                return node.longValue();
            case FLOAT:
                return (float) floating(node, path);
            case DOUBLE:
                return floating(node, path);
            case BOOLEAN:
                expect(node.isBoolean(), "true or false", node, path);
                return node.booleanValue();
            case NULL:
                expect(node.isNull(), "null", node, path);
                return null;
            default:
                throw new IllegalArgumentException(
                        path + ": the JSON format does not read Avro " + schema.getType());
        }
    }

    private static Object record(JsonNode node, Schema schema, SpecificData data, String path) {
        expect(node.isObject(), "a JSON object (" + schema.getName() + ")", node, path);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (schema.getField(name) == null) {
                throw new IllegalArgumentException(
                        at(path, name)
                                + ": unknown field of "
                                + schema.getName()
                                + " (fields: "
                                + schema.getFields().stream()
                                        .map(Schema.Field::name)
                                        .collect(Collectors.joining(", "))
                                + ")");
            }
        }
        IndexedRecord record = (IndexedRecord) data.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new IllegalArgumentException(
                            at(path, field.name())
                                    + ": missing ("
                                    + schema.getName()
                                    + " requires it)");
                }
                record.put(field.pos(), data.deepCopy(field.schema(), data.getDefaultValue(field)));
            } else {
                record.put(field.pos(), read(value, field.schema(), data, at(path, field.name())));
            }
        }
        return record;
    }

    private static Object union(JsonNode node, Schema schema, SpecificData data, String path) {
        if (node.isNull() && schema.getIndexNamed(Schema.Type.NULL.getName()) != null) {
            return null;
        }
        IllegalArgumentException first = null;
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return read(node, branch, data, path);
            } catch (IllegalArgumentException e) {
                first = first == null ? e : first;
            }
        }
        throw first != null
                ? first
                : new IllegalArgumentException(path + ": expected null, got " + describe(node));
    }

    private static double floating(JsonNode node, String path) {
        if (node.isTextual()) {
            switch (node.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        expect(node.isNumber(), "a number", node, path);
        return node.doubleValue();
    }

    private static void expect(boolean ok, String expected, JsonNode node, String path) {
        if (!ok) {
            throw new IllegalArgumentException(
                    (path.isEmpty() ? "record" : path)
                            + ": expected "
                            + expected
                            + ", got "
                            + describe(node));
        }
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + (text.length() > 40 ? "" : " " + text);
    }

    private static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }
}
