package io.streamctr.datasets.adapter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Draws sampled negatives for positive-only data (reviews): items drawn uniformly, with a seeded
 * {@link Random}, from a pool, avoiding the positive item itself (up to 10 redraws). The pool is
 * fixed (all items of the data set) or grows with the items seen so far.
 */
final class NegativeSampler {

    private static final int REDRAWS = 10;

    private final List<String> pool;
    private final Set<String> inPool;
    private final int perPositive;
    private final Random random;

    /**
     * {@code pool} in a fixed order (sorted by the caller, so a seed gives the same draws on every
     * run).
     */
    NegativeSampler(Collection<String> pool, int perPositive, long seed) {
        if (perPositive < 0) {
            throw new IllegalArgumentException("option negatives must be >= 0, got " + perPositive);
        }
        this.pool = new ArrayList<>(pool);
        this.inPool = new HashSet<>(pool);
        this.perPositive = perPositive;
        this.random = new Random(seed);
    }

    /**
     * The negatives for one positive: {@code perPositive} items, none when the pool has fewer than
     * two.
     */
    List<String> draw(String positive) {
        List<String> negatives = new ArrayList<>(perPositive);
        for (int k = 0; k < perPositive && pool.size() > 1; k++) {
            String candidate = pool.get(random.nextInt(pool.size()));
            for (int tries = 0; candidate.equals(positive) && tries < REDRAWS; tries++) {
                candidate = pool.get(random.nextInt(pool.size()));
            }
            negatives.add(candidate);
        }
        return negatives;
    }

    /** Adds an item to the pool (a growing pool: the items seen so far). */
    void add(String item) {
        if (inPool.add(item)) {
            pool.add(item);
        }
    }
}
