package io.streamctr.datasets;

import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of one read of a data set: adapter options by key (e.g. {@code threshold=4.0}, {@code
 * negatives=4}, {@code mapping=FILE}) and the bad-line limit. An adapter reads the keys it knows;
 * {@link #get} names the key and the value in its error messages.
 */
public final class DatasetOptions {

    private final Map<String, String> values;
    private final long maxBadLines;

    public DatasetOptions(Map<String, String> values, long maxBadLines) {
        this.values = new TreeMap<>(values);
        this.maxBadLines = maxBadLines;
    }

    /** No options, no bad-line limit. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(Map.of(), -1);
    }

    public static DatasetOptions of(Map<String, String> values) {
        return new DatasetOptions(values, -1);
    }

    public long maxBadLines() {
        return maxBadLines;
    }

    /** A fresh bad-line counter with this read's limit. */
    public BadLines newBadLines() {
        return new BadLines(maxBadLines);
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public String get(String key) {
        return values.get(key);
    }

    public long getLong(String key, long fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option " + key + " must be an integer, got '" + v + "'");
        }
    }

    public double getDouble(String key, double fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option " + key + " must be a number, got '" + v + "'");
        }
    }

    @Override
    public String toString() {
        return values + ", max bad lines " + maxBadLines;
    }
}
