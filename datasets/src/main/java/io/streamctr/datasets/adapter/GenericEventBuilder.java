package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link ClickEvent} of one {@link GenericRow} as its {@link GenericMapping} says: the
 * half of the generic adapter that does not depend on how the line is written. An empty user, an
 * empty time or label (when mapped), a time or number that does not parse: a bad line.
 */
final class GenericEventBuilder {

    private final GenericMapping m;
    private final DateTimeFormatter pattern;
    private final int numericStart;
    private final int multiStart;
    private final String[] multiSeparators;

    GenericEventBuilder(GenericMapping m) {
        this.m = m;
        String f = m.timeFormat();
        try {
            this.pattern =
                    f.equals("epoch-s") || f.equals("epoch-ms") || f.equals("iso")
                            ? null
                            : DateTimeFormatter.ofPattern(f);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "time.format '"
                            + f
                            + "' is neither epoch-s, epoch-ms, iso nor a date pattern: "
                            + e.getMessage());
        }
        this.numericStart = GenericMapping.FIRST_FEATURE + m.categorical().size();
        this.multiStart = numericStart + m.numeric().size();
        this.multiSeparators = m.multi().values().toArray(new String[0]);
    }

    /**
     * The event of {@code row}, line {@code lineNumber} of {@code file}; without a time field, the
     * time is the line number - 1 (ms).
     */
    ClickEvent build(GenericRow row, Path file, long lineNumber) {
        String userId = row.text(GenericMapping.USER);
        if (userId.isEmpty()) {
            throw new BadLineException("empty user (" + m.user() + ")");
        }
        String itemId = row.text(GenericMapping.ITEM);
        long eventTime =
                m.time() == null
                        ? lineNumber - 1
                        : parseTime(required(row, GenericMapping.TIME, m.time(), "time"));
        Integer label =
                m.label() == null
                        ? null
                        : parseLabel(required(row, GenericMapping.LABEL, m.label(), "label"));
        String actionType = m.action() != null ? row.text(GenericMapping.ACTION) : m.actionValue();
        String eventId =
                m.id() != null
                        ? required(row, GenericMapping.ID, m.id(), "id")
                        : TextFiles.stem(file) + ":" + lineNumber;
        ClickEvent e = Events.create(eventId, userId, itemId, eventTime, label, actionType);
        for (int i = 0; i < m.categorical().size(); i++) {
            Events.putCategorical(
                    e, m.categorical().get(i), row.text(GenericMapping.FIRST_FEATURE + i));
        }
        for (int i = 0; i < m.numeric().size(); i++) {
            String name = m.numeric().get(i);
            String v = row.text(numericStart + i);
            if (!v.isEmpty()) {
                try {
                    e.getNumeric().put(name, Float.parseFloat(v));
                } catch (NumberFormatException ex) {
                    throw new BadLineException(name + " is not a number: '" + v + "'");
                }
            }
        }
        int k = 0;
        for (String name : m.multi().keySet()) {
            e.getMultiValued().put(name, row.values(multiStart + k, multiSeparators[k]));
            k++;
        }
        return e;
    }

    private static String required(GenericRow row, int field, String name, String what) {
        String v = row.text(field);
        if (v.isEmpty()) {
            throw new BadLineException("empty " + what + " (" + name + ")");
        }
        return v;
    }

    private Integer parseLabel(String v) {
        if (m.threshold() != null) {
            try {
                return Double.parseDouble(v) >= m.threshold() ? 1 : 0;
            } catch (NumberFormatException e) {
                throw new BadLineException("label " + m.label() + " is not a number: '" + v + "'");
            }
        }
        return m.positive().contains(v.strip()) ? 1 : 0;
    }

    private long parseTime(String v) {
        try {
            return switch (m.timeFormat()) {
                case "epoch-s" -> Math.multiplyExact((long) Double.parseDouble(v), 1000L);
                case "epoch-ms" -> (long) Double.parseDouble(v);
                case "iso" ->
                        v.length() == 10
                                ? LocalDate.parse(v)
                                        .atStartOfDay()
                                        .toInstant(ZoneOffset.UTC)
                                        .toEpochMilli()
                                : v.endsWith("Z")
                                        ? Instant.parse(v).toEpochMilli()
                                        : v.matches(".*[+-]\\d\\d:\\d\\d$")
                                                ? OffsetDateTime.parse(v).toInstant().toEpochMilli()
                                                : LocalDateTime.parse(v)
                                                        .toInstant(ZoneOffset.UTC)
                                                        .toEpochMilli();
                default -> LocalDateTime.parse(v, pattern).toInstant(ZoneOffset.UTC).toEpochMilli();
            };
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new BadLineException(
                    "time " + m.time() + " is not " + m.timeFormat() + ": '" + v + "'");
        }
    }

    /** Splits a multi-valued text on its separator, dropping empty parts. */
    static List<String> split(String v, String separator) {
        if (v.isEmpty()) {
            return new ArrayList<>();
        }
        List<String> values = new ArrayList<>();
        for (String s : TextFiles.split(v, separator)) {
            if (!s.isEmpty()) {
                values.add(s);
            }
        }
        return values;
    }
}
