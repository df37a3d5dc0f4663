package io.streamctr.flink.source;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import java.util.List;
import java.util.Map;

/**
 * Checks a decoded event before the job uses it; returns the reason it is unusable, or null.
 * Rejected: missing or blank ids, ids with control characters, negative event times or times more
 * than {@link #MAX_FUTURE_MS} ahead of the wall clock, a label outside {0, 1}, non-finite numeric
 * features, null or oversized multi-valued features, an IMPRESSION or CLICK with a label, a CLICK
 * without the id of its impression. Unicode ids are fine.
 */
public final class ClickEventValidator {

    /** Event times further in the future than this (vs. the wall clock) are rejected: 7 days. */
    public static final long MAX_FUTURE_MS = 7L * 24 * 3600 * 1000;

    /** Values allowed in one multi-valued feature. */
    public static final int MAX_VALUES_PER_FIELD = 10_000;

    /** Length allowed for an id. */
    public static final int MAX_ID_LENGTH = 1_024;

    private ClickEventValidator() {}

    /** Null when the event is usable, else a reason for the dead-letter record. */
    public static String problem(ClickEvent e) {
        String idProblem = idProblem("event id", e.getEventId());
        if (idProblem == null) {
            idProblem = idProblem("user id", e.getUserId());
        }
        if (idProblem == null) {
            idProblem = idProblem("item id", e.getItemId());
        }
        if (idProblem != null) {
            return idProblem;
        }
        if (e.getEventTime() < 0) {
            return "negative event time " + e.getEventTime();
        }
        long now = System.currentTimeMillis();
        if (e.getEventTime() > now + MAX_FUTURE_MS) {
            return "event time "
                    + e.getEventTime()
                    + " is more than 7 days ahead of the wall clock ("
                    + now
                    + ")";
        }
        Integer label = e.getLabel();
        if (label != null && label != 0 && label != 1) {
            return "label " + label + " is not 0 or 1";
        }
        String kindProblem = kindProblem(e);
        if (kindProblem != null) {
            return kindProblem;
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
            if (m.getValue().size() > MAX_VALUES_PER_FIELD) {
                return "multi-valued feature '"
                        + m.getKey()
                        + "' has "
                        + m.getValue().size()
                        + " values, more than "
                        + MAX_VALUES_PER_FIELD;
            }
        }
        return null;
    }

    /** An impression has no label yet; a click names its impression and carries no label. */
    private static String kindProblem(ClickEvent e) {
        EventKind kind = e.getKind();
        if (kind == EventKind.IMPRESSION && e.getLabel() != null) {
            return "an IMPRESSION has no label (its CLICK, or the window's end, makes one), got "
                    + e.getLabel();
        }
        if (kind == EventKind.CLICK) {
            if (e.getLabel() != null) {
                return "a CLICK carries no label (it is the positive), got " + e.getLabel();
            }
            return idProblem("impression id of the CLICK", e.getImpressionId());
        }
        return null;
    }

    private static String idProblem(String what, String id) {
        if (id == null || id.isBlank()) {
            return "missing " + what;
        }
        if (id.length() > MAX_ID_LENGTH) {
            return what + " longer than " + MAX_ID_LENGTH + " characters";
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return what
                        + " contains control character U+"
                        + String.format("%04X", (int) id.charAt(i));
            }
        }
        return null;
    }
}
