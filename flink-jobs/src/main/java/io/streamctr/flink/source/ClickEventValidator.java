package io.streamctr.flink.source;

import io.streamctr.schemas.ClickEvent;

import java.util.List;
import java.util.Map;

/** Checks a decoded event before the job uses it; returns the reason it is unusable, or null. */
public final class ClickEventValidator {

    private ClickEventValidator() {}

    /** Null when the event is usable, else a reason for the dead-letter record. */
    public static String problem(ClickEvent e) {
        if (isBlank(e.getEventId())) {
            return "missing event id";
        }
        if (isBlank(e.getUserId())) {
            return "missing user id";
        }
        if (isBlank(e.getItemId())) {
            return "missing item id";
        }
        if (e.getEventTime() < 0) {
            return "negative event time " + e.getEventTime();
        }
        Integer label = e.getLabel();
        if (label != null && label != 0 && label != 1) {
            return "label " + label + " is not 0 or 1";
        }
        for (Map.Entry<String, Float> n : e.getNumeric().entrySet()) {
            if (n.getValue() == null || !Float.isFinite(n.getValue())) {
                return "numeric feature '" + n.getKey() + "' is not finite: " + n.getValue();
            }
        }
        for (Map.Entry<String, List<String>> m : e.getMultiValued().entrySet()) {
            if (m.getValue() == null) {
                return "multi-valued feature '" + m.getKey() + "' is null";
            }
        }
        return null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
