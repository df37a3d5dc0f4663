package io.streamctr.datasets;

import io.streamctr.schemas.ClickEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link ClickEvent}s with fresh mutable feature maps; what every adapter needs. */
public final class Events {

    private Events() {}

    /** An event with empty feature maps, ready for {@code getCategorical().put(...)}. */
    public static ClickEvent create(
            String eventId,
            String userId,
            String itemId,
            long eventTimeMillis,
            Integer label,
            String actionType) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setItemId(itemId)
                .setEventTime(eventTimeMillis)
                .setLabel(label)
                .setCategorical(new HashMap<>())
                .setNumeric(new HashMap<>())
                .setMultiValued(new HashMap<String, List<String>>())
                .setActionType(actionType)
                .build();
    }

    /**
     * Puts {@code value} under {@code field} unless it is empty (an empty field is a missing
     * value).
     */
    public static void putCategorical(ClickEvent event, String field, String value) {
        if (value != null && !value.isEmpty()) {
            event.getCategorical().put(field, value);
        }
    }

    /** Copies the non-empty values of a side-table row into the event's categorical features. */
    public static void putAll(ClickEvent event, Map<String, String> features) {
        features.forEach((k, v) -> putCategorical(event, k, v));
    }

    /**
     * 1 / 0 from a click column ({@code "1"}, {@code "0"}, {@code "1.0"}...); BadLineException
     * otherwise.
     */
    public static int binaryLabel(String text) {
        return switch (text.trim()) {
            case "1", "1.0" -> 1;
            case "0", "0.0" -> 0;
            default -> throw new BadLineException("label is not 0 or 1: '" + text + "'");
        };
    }

    /** Checks the number of fields of a split line. */
    public static void requireFields(String[] fields, int expected) {
        if (fields.length != expected) {
            throw new BadLineException("expected " + expected + " fields, got " + fields.length);
        }
    }
}
