package io.streamctr.cli.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How many impressions wait for their label (open attribution windows) each time an impression
 * arrives: the maximum, the mean, and the curve over the stream in a few segments, to show that the
 * join's pending state stays bounded (window × rate) as the stream goes on (issue 16, item 4).
 */
public final class PendingCounts {

    /**
     * One segment of the stream: the impressions up to its end, the event time there, the pending
     * count there and the largest in the segment.
     */
    public record Point(long impressions, long eventTime, int pending, int maxInSegment) {}

    private int[] pending = new int[1024];
    private long[] times = new long[1024];
    private int size;
    private int max;
    private double sum;

    /** Records {@code count} pending impressions just after one arrived at {@code eventTime}. */
    public void record(long eventTime, int count) {
        if (size == pending.length) {
            pending = Arrays.copyOf(pending, size * 2);
            times = Arrays.copyOf(times, size * 2);
        }
        pending[size] = count;
        times[size] = eventTime;
        size++;
        max = Math.max(max, count);
        sum += count;
    }

    /** The impressions recorded. */
    public long impressions() {
        return size;
    }

    /** The most impressions pending at once; 0 before any. */
    public int max() {
        return max;
    }

    /** The mean pending count seen by an arriving impression; 0 before any. */
    public double mean() {
        return size == 0 ? 0 : sum / size;
    }

    /** The stream cut into {@code segments} equal runs of impressions (fewer if it is shorter). */
    public List<Point> curve(int segments) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be >= 1, got " + segments);
        }
        List<Point> points = new ArrayList<>();
        int from = 0;
        for (int s = 1; s <= segments && from < size; s++) {
            int to = (int) ((long) size * s / segments);
            if (to <= from) {
                continue;
            }
            int segmentMax = 0;
            for (int i = from; i < to; i++) {
                segmentMax = Math.max(segmentMax, pending[i]);
            }
            points.add(new Point(to, times[to - 1], pending[to - 1], segmentMax));
            from = to;
        }
        return points;
    }
}
