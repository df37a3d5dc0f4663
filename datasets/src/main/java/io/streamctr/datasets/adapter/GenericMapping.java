package io.streamctr.datasets.adapter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The mapping file of the {@link GenericAdapter} (Java properties; the keys are listed there):
 * which field of a CSV/TSV line or a JSON-lines object is the user, the item, the time, the label,
 * and which are categorical, numeric and multi-valued features. A field is a column (header name,
 * or 1-based position without a header) for delimited files, and a key or dotted path ({@code
 * user.id}, {@code tags.0}) for JSON lines.
 *
 * <p>The mapped fields are numbered in a fixed order ({@link #fields()}): the readers resolve each
 * to a column or a path once, and the event builder asks for them by number.
 */
record GenericMapping(
        Format format,
        char separator,
        boolean header,
        String user,
        String item,
        String time,
        String timeFormat,
        String label,
        Set<String> positive,
        Double threshold,
        List<String> categorical,
        List<String> numeric,
        Map<String, String> multi,
        String action,
        String actionValue,
        String id) {

    /** How the lines of the file are written; null in a mapping: from the data file's name. */
    enum Format {
        DELIMITED,
        JSON
    }

    static final int USER = 0;
    static final int ITEM = 1;
    static final int TIME = 2;
    static final int LABEL = 3;
    static final int ACTION = 4;
    static final int ID = 5;
    static final int FIRST_FEATURE = 6;

    static GenericMapping load(Path file) {
        Properties p = new Properties();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mapping file " + file, e);
        }
        return of(p, file.toString());
    }

    static GenericMapping of(Properties p, String source) {
        String formatName = p.getProperty("format", "").strip().toLowerCase(Locale.ROOT);
        Format format =
                switch (formatName) {
                    case "" -> null;
                    case "csv", "tsv", "delimited" -> Format.DELIMITED;
                    case "json", "jsonl", "json-lines", "ndjson" -> Format.JSON;
                    default ->
                            throw new IllegalArgumentException(
                                    "format in "
                                            + source
                                            + " must be csv, tsv or json, got '"
                                            + formatName
                                            + "'");
                };
        String sep = p.getProperty("separator", formatName.equals("tsv") ? "tab" : ",").strip();
        char separator =
                switch (sep) {
                    case "tab", "\\t", "\t", "" -> '\t';
                    default -> {
                        if (sep.length() != 1) {
                            throw new IllegalArgumentException(
                                    "separator in "
                                            + source
                                            + " must be one character or 'tab', got '"
                                            + sep
                                            + "'");
                        }
                        yield sep.charAt(0);
                    }
                };
        String user = required(p, "user", source);
        String item = required(p, "item", source);
        String threshold = p.getProperty("label.threshold");
        Map<String, String> multi = new LinkedHashMap<>();
        String defaultSep = p.getProperty("multi.separator", "|");
        for (String field : list(p, "multi")) {
            multi.put(field, p.getProperty("multi.separator." + field, defaultSep));
        }
        try {
            return new GenericMapping(
                    format,
                    separator,
                    Boolean.parseBoolean(p.getProperty("header", "true").strip()),
                    user,
                    item,
                    blankToNull(p.getProperty("time")),
                    p.getProperty("time.format", "epoch-s").strip(),
                    blankToNull(p.getProperty("label")),
                    new HashSet<>(
                            Arrays.asList(
                                    p.getProperty("label.positive", "1,1.0,true").split(","))),
                    threshold == null ? null : Double.valueOf(threshold.strip()),
                    list(p, "categorical"),
                    list(p, "numeric"),
                    multi,
                    blankToNull(p.getProperty("action")),
                    blankToNull(p.getProperty("action.value")),
                    blankToNull(p.getProperty("id")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "label.threshold in " + source + " is not a number: " + threshold);
        }
    }

    /**
     * This mapping with the format given (when the mapping file leaves it to the data file's name).
     */
    GenericMapping withFormat(Format f) {
        return new GenericMapping(
                f,
                separator,
                header,
                user,
                item,
                time,
                timeFormat,
                label,
                positive,
                threshold,
                categorical,
                numeric,
                multi,
                action,
                actionValue,
                id);
    }

    /**
     * The mapped fields by number: user, item, time, label, action, id (null when not mapped), then
     * the categorical, numeric and multi-valued features in the mapping's order.
     */
    List<String> fields() {
        List<String> fields = new ArrayList<>(Arrays.asList(user, item, time, label, action, id));
        fields.addAll(categorical);
        fields.addAll(numeric);
        fields.addAll(multi.keySet());
        return Collections.unmodifiableList(fields);
    }

    private static String required(Properties p, String key, String source) {
        String v = blankToNull(p.getProperty(key));
        if (v == null) {
            throw new IllegalArgumentException(
                    "mapping "
                            + source
                            + " must name the "
                            + key
                            + " field ("
                            + key
                            + " = COLUMN)");
        }
        return v;
    }

    private static List<String> list(Properties p, String key) {
        String v = p.getProperty(key, "");
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
