package io.streamctr.model.metrics;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The last W (score, label) samples in a ring buffer; the oldest is overwritten first. Figures are
 * computed from the buffer on demand, O(W log W), summing in arrival order so that a restored
 * window gives bit-identical figures.
 */
final class SampleWindow {

    private final float[] scores;
    private final int[] labels;
    private int next;
    private int count;

    SampleWindow(int capacity) {
        scores = new float[capacity];
        labels = new int[capacity];
    }

    int capacity() {
        return scores.length;
    }

    int count() {
        return count;
    }

    void add(float score, int label) {
        scores[next] = score;
        labels[next] = label;
        next = next + 1 == scores.length ? 0 : next + 1;
        if (count < scores.length) {
            count++;
        }
    }

    MetricsSnapshot snapshot() {
        if (count == 0) {
            return MetricsSnapshot.EMPTY;
        }
        CompensatedSum crossEntropy = new CompensatedSum();
        CompensatedSum predictions = new CompensatedSum();
        long positives = 0;
        for (int i = 0; i < count; i++) {
            int at = indexOfOldestPlus(i);
            crossEntropy.add(BinaryMetrics.crossEntropy(scores[at], labels[at]));
            predictions.add(scores[at]);
            positives += labels[at];
        }
        // AUC does not depend on order: the filled part of the ring is the window
        Double auc = BinaryMetrics.auc(scores, labels, 0, count);
        return MetricsSnapshot.fromSums(count, positives, auc, crossEntropy.value(), predictions.value());
    }

    /** Writes the samples oldest first: count, scores, then labels packed eight to a byte. */
    void writeTo(DataOutput out) throws IOException {
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeFloat(scores[indexOfOldestPlus(i)]);
        }
        for (int i = 0; i < count; i += 8) {
            int packed = 0;
            for (int bit = 0; bit < 8 && i + bit < count; bit++) {
                packed |= labels[indexOfOldestPlus(i + bit)] << bit;
            }
            out.writeByte(packed);
        }
    }

    /** Reads what {@link #writeTo} wrote, checking each sample as {@link StreamingMetrics#add} does. */
    static SampleWindow readFrom(DataInput in, int capacity) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException(
                    "Expected a window of 0.." + capacity + " samples, got " + count);
        }
        float[] scores = new float[count];
        for (int i = 0; i < count; i++) {
            scores[i] = in.readFloat();
        }
        SampleWindow window = new SampleWindow(capacity);
        int packed = 0;
        for (int i = 0; i < count; i++) {
            if (i % 8 == 0) {
                packed = in.readUnsignedByte();
            }
            int label = (packed >>> (i % 8)) & 1;
            StreamingMetrics.checkSample(scores[i], label);
            window.add(scores[i], label);
        }
        return window;
    }

    private int indexOfOldestPlus(int offset) {
        int at = next - count + offset;
        return at < 0 ? at + scores.length : at;
    }
}
