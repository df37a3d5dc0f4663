package io.streamctr.flink;

import java.util.Collection;
import java.util.Optional;

/**
 * The known key nearest to a mistyped one, by edit distance (Levenshtein: insertions, deletions and
 * substitutions of one character), for "did you mean" suggestions.
 */
public final class ClosestKey {

    private ClosestKey() {}

    /**
     * The candidate nearest to {@code key}, if one is within a third of the key's length (at least
     * 2 edits): a typo, not an unrelated key.
     */
    static Optional<String> among(String key, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = Math.max(2, key.length() / 3);
        return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
    }

    /** The Levenshtein distance of two strings. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
