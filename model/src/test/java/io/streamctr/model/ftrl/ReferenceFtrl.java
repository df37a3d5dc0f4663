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

    ReferenceFtrl(double alpha, double beta, double l1, double l2) {
        this.alpha = alpha;
        this.beta = beta;
        this.l1 = l1;
        this.l2 = l2;
    }

    /** p for the features, then (when label is not null) the update; returns p. */
    double step(int[] coordinates, Integer label) {
        int[] xs = new int[coordinates.length + 1];
        xs[0] = -1;
        System.arraycopy(coordinates, 0, xs, 1, coordinates.length);
        double dot = 0;
        for (int i : xs) {
            dot += w(i);
        }
        double p = 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, dot))));
        if (label == null) {
            return p;
        }
        Map<Integer, Double> weights = new HashMap<>();
        for (int i : xs) {
            weights.put(i, w(i));
        }
        for (int i : xs) {
            double g = p - label;
            double ni = n.getOrDefault(i, 0.0);
            double sigma = (Math.sqrt(ni + g * g) - Math.sqrt(ni)) / alpha;
            z.put(i, z.getOrDefault(i, 0.0) + g - sigma * weights.get(i));
            n.put(i, ni + g * g);
        }
        return p;
    }

    private double w(int i) {
        double zi = z.getOrDefault(i, 0.0);
        if (Math.abs(zi) <= l1) {
            return 0;
        }
        double ni = n.getOrDefault(i, 0.0);
        return -(zi - Math.signum(zi) * l1) / ((beta + Math.sqrt(ni)) / alpha + l2);
    }
}
