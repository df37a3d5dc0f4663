package io.streamctr.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * One line of a JSON-lines file as a map of its top-level fields, and the values found in it by a
 * dotted path. A line is strict JSON (read with Jackson) or, as in the older Amazon dumps, a Python
 * dict literal ({@link PythonLiteral}): a line that starts with <code>{'</code>, or that Jackson
 * rejects but the Python reader takes. Values are {@link Map}s, {@link List}s, {@link String}s,
 * {@link Number}s, {@link Boolean}s and null.
 */
public final class JsonRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private JsonRecords() {}

    /**
     * The object on {@code line}; BadLineException when it is neither a JSON object nor a Python
     * dict.
     */
    public static Map<String, Object> parse(String line) {
        String text = line.strip();
        if (text.startsWith("\uFEFF")) { // a byte-order mark before the first line
            text = text.substring(1).strip();
        }
        if (!text.startsWith("{")) {
            throw new BadLineException("not a JSON object: the line does not start with '{'");
        }
        if (!looksLikePython(text)) {
            try {
                return JSON.readValue(text, OBJECT);
            } catch (JsonProcessingException json) {
                try {
                    return asObject(PythonLiteral.parse(text));
                } catch (BadLineException python) {
                    throw new BadLineException("not JSON: " + json.getOriginalMessage());
                }
            }
        }
        return asObject(PythonLiteral.parse(text));
    }

    private static boolean looksLikePython(String text) {
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '\'';
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new BadLineException("not a JSON object or Python dict");
    }

    /**
     * The value at {@code path} in {@code record}: keys separated by dots ({@code user.id}), a
     * number indexing a list ({@code categories.0}); a whole key that contains dots is found first.
     * Null when any step is missing.
     */
    public static Object get(Map<String, Object> record, String path) {
        if (record.containsKey(path)) {
            return record.get(path);
        }
        Object current = record;
        for (String step : path.split("\\.", -1)) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list) {
                int index = index(step);
                current = index >= 0 && index < list.size() ? list.get(index) : null;
            } else {
                return null;
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static int index(String step) {
        try {
            return Integer.parseInt(step);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A scalar as text: strings as they are, integers without a decimal point, other numbers as
     * Java prints them (a whole double as {@code 12345678.0}, not {@code 1.2345678E7}), booleans as
     * {@code true}/{@code false}, null as the empty string (a missing value). BadLineException for
     * an object or a list, naming {@code what}.
     */
    public static String text(Object value, String what) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Double d
                && d == Math.rint(d)
                && !Double.isInfinite(d)
                && Math.abs(d) < 1e15) {
            return d.longValue() + ".0";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new BadLineException(
                what
                        + " is a"
                        + (value instanceof List ? " list" : "n object")
                        + ", not a single value");
    }
}
