package io.streamctr.model.ftrl;

import java.util.HashMap;
import java.util.Map;

/**
 * McMahan et al. (KDD 2013) Algorithm 1 written out plainly for the tests: doubles, one map entry
 * per coordinate (key -1 is the bias), binary features given as coordinate sets.
 */
final class ReferenceFtrl {

    private final double alpha;
    private final double beta;
    private final double l1;
    private final double l2;
    private final Map<Integer, Double> z = new HashMap<>();
    private final Map<Integer, Double> n = new HashMap<>();
    private final Map<Integer, Double> alphas = new HashMap<>();

    ReferenceFtrl(double alpha, double beta, double l1, double l2) {
        this.alpha = alpha;
        this.beta = beta;
        this.l1 = l1;
        this.l2 = l2;
    }

    /** Coordinate {@code i} learns with its own α. */
    ReferenceFtrl withAlpha(int i, double a) {
        alphas.put(i, a);
        return this;
    }

    private double alpha(int i) {
        return alphas.getOrDefault(i, alpha);
    }

    /** p for the features, then (when label is not null) the update; returns p. */
    double step(int[] coordinates, Integer label) {
        return step(coordinates, label, 0.0, Map.of());
    }

    /**
     * As {@link #step(int[], Integer)} with a logit {@code offset} added and real-valued features
     * (key → value; their weight starts at 1: z = −(β/α + λ2) when first seen).
     */
    double step(int[] coordinates, Integer label, double offset, Map<Integer, Double> real) {
        Map<Integer, Double> xs = new HashMap<>();
        xs.put(-1, 1.0);
        for (int c : coordinates) {
            xs.put(c, 1.0);
        }
        for (Map.Entry<Integer, Double> e : real.entrySet()) {
            z.putIfAbsent(e.getKey(), -(beta / alpha(e.getKey()) + l2));
            xs.put(e.getKey(), e.getValue());
        }
        double dot = offset;
        for (Map.Entry<Integer, Double> e : xs.entrySet()) {
            dot += w(e.getKey()) * e.getValue();
        }
        double p = 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, dot))));
        if (label == null) {
            return p;
        }
        Map<Integer, Double> weights = new HashMap<>();
        for (int i : xs.keySet()) {
            weights.put(i, w(i));
        }
        for (Map.Entry<Integer, Double> e : xs.entrySet()) {
            int i = e.getKey();
            double g = (p - label) * e.getValue();
            double ni = n.getOrDefault(i, 0.0);
            double sigma = (Math.sqrt(ni + g * g) - Math.sqrt(ni)) / alpha(i);
            z.put(i, z.getOrDefault(i, 0.0) + g - sigma * weights.get(i));
            n.put(i, ni + g * g);
        }
        return p;
    }

    /** The current weight of coordinate {@code i}. */
    double weight(int i) {
        return w(i);
    }

    private double w(int i) {
        double zi = z.getOrDefault(i, 0.0);
        if (Math.abs(zi) <= l1) {
            return 0;
        }
        double ni = n.getOrDefault(i, 0.0);
        return -(zi - Math.signum(zi) * l1) / ((beta + Math.sqrt(ni)) / alpha(i) + l2);
    }
}
