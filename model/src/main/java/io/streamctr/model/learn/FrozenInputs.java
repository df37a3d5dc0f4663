package io.streamctr.model.learn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link DeepLearner} computed itself for each impression it scored whose label comes later
 * (issue 16: "trained on the features as they were at impression time"): the impression's fresh
 * features (target statistics, sequence lengths) and the residual and deep-logit weight of its
 * per-event FTRL part, kept by impression id until its joined example has been trained on and the
 * caller {@linkplain OnlineLearner#release releases} it. Without them the joined example would be
 * trained on statistics read when it is trained, not when it was scored.
 *
 * <p>Bounded: the callers release each impression when its label is final (so the entries are the
 * impressions whose attribution window is open: window × rate); beyond {@code capacity} the oldest
 * entry is dropped (counted in {@link #evicted()}) and its joined example falls back to features
 * computed when it is trained. Part of the learner's snapshot. Not thread-safe.
 */
final class FrozenInputs {

    /** Impressions kept at most: 2^20 (about 100 MB with 8 fresh features). */
    static final int DEFAULT_CAPACITY = 1 << 20;

    private static final byte VERSION = 1;

    private final int width;
    private final int capacity;
    private final LinkedHashMap<String, float[]> rows = new LinkedHashMap<>();
    private long evicted;

    /**
     * @param width floats per impression: the fresh features X, then the residual and the weight
     * @param capacity impressions kept at most (the oldest is dropped beyond)
     */
    FrozenInputs(int width, int capacity) {
        if (width < 1 || capacity < 1) {
            throw new IllegalArgumentException(
                    "width and capacity must be >= 1, got " + width + " and " + capacity);
        }
        this.width = width;
        this.capacity = capacity;
    }

    /** Keeps an impression's row (a copy of {@code width} floats from {@code values[offset]}). */
    void keep(String impressionId, float[] values, int offset) {
        float[] row = new float[width];
        System.arraycopy(values, offset, row, 0, width);
        rows.put(impressionId, row);
        if (rows.size() > capacity) {
            Iterator<String> oldest = rows.keySet().iterator();
            oldest.next();
            oldest.remove();
            evicted++;
        }
    }

    /** The impression's row, or null when none is kept. */
    float[] get(String impressionId) {
        return rows.get(impressionId);
    }

    /** Drops the impression's row (nothing when none is kept). */
    void release(String impressionId) {
        rows.remove(impressionId);
    }

    /** Impressions kept. */
    int size() {
        return rows.size();
    }

    /** Rows dropped because the capacity was reached. */
    long evicted() {
        return evicted;
    }

    void clear() {
        rows.clear();
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(width);
            out.writeLong(evicted);
            out.writeInt(rows.size());
            for (Map.Entry<String, float[]> e : rows.entrySet()) {
                out.writeUTF(e.getKey());
                for (float v : e.getValue()) {
                    out.writeFloat(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces the rows with those of {@link #toBytes()}; IllegalArgumentException if not ours. */
    void restore(byte[] bytes) {
        LinkedHashMap<String, float[]> read = new LinkedHashMap<>();
        long readEvicted;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            int w = in.readInt();
            if (version != VERSION || w != width) {
                throw new IllegalArgumentException(
                        "frozen inputs of version "
                                + version
                                + " with "
                                + w
                                + " floats per impression; this learner has version "
                                + VERSION
                                + " with "
                                + width);
            }
            readEvicted = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                float[] row = new float[width];
                for (int k = 0; k < width; k++) {
                    row[k] = in.readFloat();
                }
                read.put(id, row);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "frozen inputs are truncated (" + bytes.length + " bytes)", e);
        }
        rows.clear();
        rows.putAll(read);
        evicted = readEvicted;
    }
}
