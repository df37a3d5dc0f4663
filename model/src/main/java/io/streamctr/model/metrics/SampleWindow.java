package io.streamctr.model.metrics;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last W (score, label, user id) samples in a ring buffer; the oldest is overwritten first.
 * Figures are computed from the buffer on demand, O(W log W), summing in arrival order (and gAUC in
 * user-id order) so that a restored window gives bit-identical figures.
 */
final class SampleWindow {

    private final float[] scores;
    private final int[] labels;

    /** The sample's user id, or {@code null}; references only, the strings are shared. */
    private final String[] userIds;

    private int next;
    private int count;

    SampleWindow(int capacity) {
        scores = new float[capacity];
        labels = new int[capacity];
        userIds = new String[capacity];
    }

    int capacity() {
        return scores.length;
    }

    int count() {
        return count;
    }

    void add(float score, int label, String userId) {
        scores[next] = score;
        labels[next] = label;
        userIds[next] = userId;
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
        // AUC and gAUC do not depend on order: the filled part of the ring is the window
        Double auc = BinaryMetrics.auc(scores, labels, 0, count);
        GroupAuc groupAuc = GroupAuc.of(scores, labels, userIds, 0, count);
        return MetricsSnapshot.fromSums(
                        count, positives, auc, crossEntropy.value(), predictions.value())
                .withGroupAuc(groupAuc);
    }

    /** {@code buckets} equal-width score buckets over [0, 1], Σp summed in arrival order. */
    List<CalibrationBucket> calibration(int buckets) {
        long[] counts = new long[buckets];
        long[] positives = new long[buckets];
        CompensatedSum[] sums = new CompensatedSum[buckets];
        for (int b = 0; b < buckets; b++) {
            sums[b] = new CompensatedSum();
        }
        for (int i = 0; i < count; i++) {
            int at = indexOfOldestPlus(i);
            int b = CalibrationBucket.indexOf(scores[at], buckets);
            counts[b]++;
            positives[b] += labels[at];
            sums[b].add(scores[at]);
        }
        List<CalibrationBucket> result = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            result.add(
                    new CalibrationBucket(
                            (double) b / buckets,
                            (double) (b + 1) / buckets,
                            counts[b],
                            positives[b],
                            sums[b].value()));
        }
        return result;
    }

    /**
     * Writes the samples oldest first: count, scores, labels packed eight to a byte, then the user
     * ids as a dictionary in order of first appearance (size, each as UTF-8 length and bytes) and
     * one variable-length dictionary index + 1 per sample (0 for no user).
     */
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
        Map<String, Integer> dictionary = new HashMap<>();
        List<String> ordered = new ArrayList<>();
        int[] indexes = new int[count];
        for (int i = 0; i < count; i++) {
            String user = userIds[indexOfOldestPlus(i)];
            if (user != null) {
                Integer index = dictionary.get(user);
                if (index == null) {
                    index = ordered.size();
                    dictionary.put(user, index);
                    ordered.add(user);
                }
                indexes[i] = index + 1;
            }
        }
        out.writeInt(ordered.size());
        for (String user : ordered) {
            byte[] utf8 = user.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        for (int index : indexes) {
            ScoreCounts.writeVarLong(out, index);
        }
    }

    /**
     * Reads what {@link #writeTo} wrote, checking each sample as {@link StreamingMetrics#add} does.
     *
     * @param withUsers false for the format version 1, which has no user ids
     */
    static SampleWindow readFrom(DataInput in, int capacity, boolean withUsers) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException(
                    "Expected a window of 0.." + capacity + " samples, got " + count);
        }
        float[] scores = new float[count];
        for (int i = 0; i < count; i++) {
            scores[i] = in.readFloat();
        }
        int[] labels = new int[count];
        int packed = 0;
        for (int i = 0; i < count; i++) {
            if (i % 8 == 0) {
                packed = in.readUnsignedByte();
            }
            labels[i] = (packed >>> (i % 8)) & 1;
            StreamingMetrics.checkSample(scores[i], labels[i]);
        }
        String[] users = new String[count];
        if (withUsers) {
            readUsers(in, users);
        }
        SampleWindow window = new SampleWindow(capacity);
        for (int i = 0; i < count; i++) {
            window.add(scores[i], labels[i], users[i]);
        }
        return window;
    }

    private static void readUsers(DataInput in, String[] users) throws IOException {
        int distinct = in.readInt();
        if (distinct < 0 || distinct > users.length) {
            throw new IllegalArgumentException(
                    "Expected 0.."
                            + users.length
                            + " distinct users in the window, got "
                            + distinct);
        }
        String[] dictionary = new String[distinct];
        for (int u = 0; u < distinct; u++) {
            int length = in.readInt();
            if (length < 0 || length > (1 << 20)) {
                throw new IllegalArgumentException(
                        "Expected a user id of 0..1 MiB, got " + length + " bytes");
            }
            byte[] utf8 = new byte[length];
            in.readFully(utf8);
            dictionary[u] = new String(utf8, StandardCharsets.UTF_8);
        }
        boolean[] used = new boolean[distinct];
        for (int i = 0; i < users.length; i++) {
            long index = ScoreCounts.readVarLong(in);
            if (index > distinct) {
                throw new IllegalArgumentException(
                        "Expected a user index of 0.."
                                + distinct
                                + ", got "
                                + index
                                + " at sample "
                                + i);
            }
            if (index > 0) {
                users[i] = dictionary[(int) index - 1];
                used[(int) index - 1] = true;
            }
        }
        for (int u = 0; u < distinct; u++) {
            if (!used[u]) {
                throw new IllegalArgumentException(
                        "Expected every user id in the window to be used, user " + u + " is not");
            }
        }
    }

    private int indexOfOldestPlus(int offset) {
        int at = next - count + offset;
        return at < 0 ? at + scores.length : at;
    }
}
