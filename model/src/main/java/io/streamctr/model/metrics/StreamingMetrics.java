package io.streamctr.model.metrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The metrics accumulator of one model on a stream: lifetime figures over every sample ever added
 * and window figures over the last W samples, both as in TorchRec's {@code RecMetric} (lifetime and
 * window variants) with the definitions of {@link BinaryMetrics}: exact AUC, NE (He et al. 2014;
 * TorchRec {@code ne.py}), log loss, calibration Σp/Σy, CTR and mean prediction.
 *
 * <p>Lifetime AUC keeps, per distinct score, the counts of positives and negatives (see {@code
 * ScoreCounts}: sorted runs merged log-structured, with the Mann–Whitney U updated as samples
 * arrive), about 20 bytes per distinct score. With {@code lifetimeAucBits} = b > 0 the scores are
 * first rounded to multiples of 2^-b, so at most 2^b + 1 distinct scores are kept however long the
 * stream (b = 16: at most ~1.3 MB), and the lifetime AUC is the exact AUC of the rounded scores;
 * {@link #lifetimeAucErrorBound()} bounds its distance to the exact AUC of the scores as given by
 * half the share of positive–negative pairs whose rounded scores tie. With b = 0 it is exact and
 * memory grows with the distinct float scores (at most about 1.07·10^9 lie in [0, 1]; 10^6 cost
 * about 20 MB). Adding costs O(log² D) amortised per sample for D distinct scores and {@link
 * #lifetime()} is O(1) after sorting at most 1024 buffered samples. Lifetime sums of cross entropy
 * and predictions are Kahan-compensated doubles. The window keeps its W samples in a ring buffer
 * and {@link #window()} costs O(W log W). The window also keeps each sample's user id (a reference
 * to the caller's string) for gAUC (see {@link GroupAuc}), which is a window figure only.
 *
 * <p>{@link #toBytes()} and {@link #fromBytes(byte[])} hold the whole state in a compact versioned
 * binary form (for Flink operator state); a restored accumulator gives bit-identical snapshots and
 * continues identically. Not thread-safe.
 */
public final class StreamingMetrics {

    /**
     * Version 3 adds the lifetime AUC's rounding bits; 2 adds the window's user ids; 1 and 2 are
     * still read (exact).
     */
    private static final byte FORMAT_VERSION = 3;

    private static final byte FORMAT_VERSION_WITHOUT_ROUNDING = 2;
    private static final byte FORMAT_VERSION_WITHOUT_USERS = 1;

    /** Most rounding bits of the lifetime AUC's scores (a float has a 24-bit significand). */
    public static final int MAX_LIFETIME_AUC_BITS = 24;

    /** The number of equal-width score buckets of {@link #windowCalibration()}. */
    public static final int CALIBRATION_BUCKETS = 10;

    private final SampleWindow window;
    private final int lifetimeAucBits;
    private final float lifetimeAucScale;
    private final ScoreCounts scoreCounts;
    private final CompensatedSum crossEntropy;
    private final CompensatedSum predictions;
    private long count;
    private long positives;

    /**
     * @param windowSize W, the number of most recent samples the window figures cover; at least 1
     * @throws IllegalArgumentException when {@code windowSize < 1}
     */
    public StreamingMetrics(int windowSize) {
        this(windowSize, 0);
    }

    /**
     * @param windowSize W, the number of most recent samples the window figures cover; at least 1
     * @param lifetimeAucBits b: the lifetime AUC is over scores rounded to multiples of 2^-b
     *     (bounded memory); 0 = exact scores (memory grows with the distinct scores)
     * @throws IllegalArgumentException when {@code windowSize < 1} or b is outside [0, 24]
     */
    public StreamingMetrics(int windowSize, int lifetimeAucBits) {
        this(
                new SampleWindow(checkWindowSize(windowSize)),
                checkBits(lifetimeAucBits),
                new ScoreCounts(),
                new CompensatedSum(),
                new CompensatedSum(),
                0,
                0);
    }

    private StreamingMetrics(
            SampleWindow window,
            int lifetimeAucBits,
            ScoreCounts scoreCounts,
            CompensatedSum crossEntropy,
            CompensatedSum predictions,
            long count,
            long positives) {
        this.window = window;
        this.lifetimeAucBits = lifetimeAucBits;
        this.lifetimeAucScale = (float) Math.scalb(1.0, lifetimeAucBits);
        this.scoreCounts = scoreCounts;
        this.crossEntropy = crossEntropy;
        this.predictions = predictions;
        this.count = count;
        this.positives = positives;
    }

    /**
     * Adds one sample to the lifetime and the window.
     *
     * @param score the predicted click probability, finite and within [0, 1]
     * @param label 1 for a click, 0 otherwise
     * @throws IllegalArgumentException naming the bad value; nothing is added then
     */
    public void add(float score, int label) {
        add(score, label, null);
    }

    /**
     * Adds one sample of a user to the lifetime and the window; the window's gAUC groups samples by
     * {@code userId}.
     *
     * @param score the predicted click probability, finite and within [0, 1]
     * @param label 1 for a click, 0 otherwise
     * @param userId the user the sample belongs to, or {@code null} to leave it out of gAUC
     * @throws IllegalArgumentException naming the bad value; nothing is added then
     */
    public void add(float score, int label, String userId) {
        checkSample(score, label);
        float canonical = score + 0.0f; // -0.0 becomes 0.0: one score, one key
        scoreCounts.add(
                lifetimeAucBits == 0
                        ? canonical
                        : Math.round(canonical * lifetimeAucScale) / lifetimeAucScale,
                label);
        crossEntropy.add(BinaryMetrics.crossEntropy(canonical, label));
        predictions.add(canonical);
        count++;
        positives += label;
        window.add(canonical, label, userId);
    }

    /**
     * Adds {@code scores[i], labels[i]} in order. The whole batch is checked first, so a bad sample
     * adds nothing; a batch larger than W leaves its last W samples in the window.
     *
     * @throws IllegalArgumentException when the lengths differ or a sample is bad
     */
    public void addAll(float[] scores, int[] labels) {
        checkLengths(scores, labels);
        addAll(scores, labels, new String[scores.length]);
    }

    /**
     * Adds {@code scores[i], labels[i]} of user {@code userIds[i]} in order, as {@link
     * #addAll(float[], int[])}.
     *
     * @throws IllegalArgumentException when the lengths differ or a sample is bad
     */
    public void addAll(float[] scores, int[] labels, String[] userIds) {
        checkLengths(scores, labels);
        if (userIds.length != scores.length) {
            throw new IllegalArgumentException(
                    "Expected as many user ids as scores, got "
                            + userIds.length
                            + " user ids and "
                            + scores.length
                            + " scores");
        }
        for (int i = 0; i < scores.length; i++) {
            checkSample(scores[i], labels[i], i);
        }
        for (int i = 0; i < scores.length; i++) {
            add(scores[i], labels[i], userIds[i]);
        }
    }

    /** Figures over every sample ever added. */
    public MetricsSnapshot lifetime() {
        Double auc =
                BinaryMetrics.aucFromTwiceU(scoreCounts.twiceU(), positives, count - positives);
        return MetricsSnapshot.fromSums(
                count, positives, auc, crossEntropy.value(), predictions.value());
    }

    /**
     * How far the lifetime AUC can be from the exact AUC of the scores as given: 0 when exact
     * ({@code lifetimeAucBits} 0); else half the share of positive–negative pairs whose rounded
     * scores are equal (each such pair counts ½, its exact share is 0, ½ or 1); null while the
     * lifetime AUC is undefined. O(D) for D distinct (rounded) scores.
     */
    public Double lifetimeAucErrorBound() {
        long negatives = count - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return lifetimeAucBits == 0
                ? 0.0
                : 0.5 * scoreCounts.tiedPairs() / ((double) positives * negatives);
    }

    /** The rounding bits of the lifetime AUC's scores; 0 = exact. */
    public int lifetimeAucBits() {
        return lifetimeAucBits;
    }

    /** Figures over the last {@link #windowCount()} samples, gAUC included. */
    public MetricsSnapshot window() {
        return window.snapshot();
    }

    /**
     * The window's samples in {@value #CALIBRATION_BUCKETS} equal-width score buckets over [0, 1],
     * lowest first: predicted against observed CTR per bucket. Empty buckets have a count of 0.
     */
    public List<CalibrationBucket> windowCalibration() {
        return window.calibration(CALIBRATION_BUCKETS);
    }

    /** W, the most samples the window holds. */
    public int windowSize() {
        return window.capacity();
    }

    /** The samples now in the window: {@code min(W, count())}. */
    public int windowCount() {
        return window.count();
    }

    /** The samples added over the lifetime. */
    public long count() {
        return count;
    }

    /** The whole state in a compact binary form led by a format version byte. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeByte(lifetimeAucBits);
            out.writeInt(window.capacity());
            out.writeLong(count);
            out.writeLong(positives);
            out.writeDouble(crossEntropy.sum());
            out.writeDouble(crossEntropy.compensation());
            out.writeDouble(predictions.sum());
            out.writeDouble(predictions.compensation());
            scoreCounts.writeTo(out);
            window.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores an accumulator from {@link #toBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are of another format version, truncated, too
     *     long or inconsistent
     */
    public static StreamingMetrics fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION
                    && version != FORMAT_VERSION_WITHOUT_ROUNDING
                    && version != FORMAT_VERSION_WITHOUT_USERS) {
                throw new IllegalArgumentException(
                        "Expected metrics state format version "
                                + FORMAT_VERSION_WITHOUT_USERS
                                + ", "
                                + FORMAT_VERSION_WITHOUT_ROUNDING
                                + " or "
                                + FORMAT_VERSION
                                + ", got "
                                + version);
            }
            int bits = version == FORMAT_VERSION ? checkBits(in.readByte()) : 0;
            int windowSize = in.readInt();
            long count = in.readLong();
            long positives = in.readLong();
            CompensatedSum crossEntropy = new CompensatedSum(in.readDouble(), in.readDouble());
            CompensatedSum predictions = new CompensatedSum(in.readDouble(), in.readDouble());
            ScoreCounts scoreCounts = ScoreCounts.readFrom(in);
            SampleWindow window =
                    SampleWindow.readFrom(
                            in,
                            checkWindowSize(windowSize),
                            version != FORMAT_VERSION_WITHOUT_USERS);
            if (in.available() > 0) {
                throw new IllegalArgumentException(
                        "Expected the metrics state to end, got " + in.available() + " more bytes");
            }
            checkConsistent(count, positives, scoreCounts, window);
            return new StreamingMetrics(
                    window, bits, scoreCounts, crossEntropy, predictions, count, positives);
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "Truncated metrics state of " + bytes.length + " bytes", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading from memory failed", e);
        }
    }

    private static void checkLengths(float[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(
                    "Expected as many labels as scores, got "
                            + labels.length
                            + " labels and "
                            + scores.length
                            + " scores");
        }
    }

    static void checkSample(float score, int label) {
        checkSample(score, label, -1);
    }

    private static void checkSample(float score, int label, int index) {
        String at = index < 0 ? "" : " at index " + index;
        if (!(score >= 0.0f && score <= 1.0f)) {
            throw new IllegalArgumentException(
                    "Expected a score within [0, 1]" + at + ", got " + score);
        }
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException(
                    "Expected a label of 0 or 1" + at + ", got " + label);
        }
    }

    private static int checkBits(int bits) {
        if (bits < 0 || bits > MAX_LIFETIME_AUC_BITS) {
            throw new IllegalArgumentException(
                    "lifetime AUC bits must be in [0, " + MAX_LIFETIME_AUC_BITS + "], got " + bits);
        }
        return bits;
    }

    private static int checkWindowSize(int windowSize) {
        if (windowSize < 1) {
            throw new IllegalArgumentException(
                    "Expected a window size of at least 1, got " + windowSize);
        }
        return windowSize;
    }

    private static void checkConsistent(
            long count, long positives, ScoreCounts scoreCounts, SampleWindow window) {
        long countedPositives = scoreCounts.totalPositives();
        long countedNegatives = scoreCounts.totalNegatives();
        if (countedPositives != positives
                || countedPositives + countedNegatives != count
                || window.count() != Math.min(count, window.capacity())) {
            throw new IllegalArgumentException(
                    "Inconsistent metrics state: count="
                            + count
                            + ", positives="
                            + positives
                            + ", score counts hold "
                            + countedPositives
                            + " positives and "
                            + countedNegatives
                            + " negatives, window holds "
                            + window.count()
                            + " of "
                            + window.capacity());
        }
    }
}
