package io.streamctr.model.train;

import io.streamctr.model.features.FeatureBatch;

/**
 * The stream's running click rate as a logit offset added to every model's output: the model learns
 * the residual, so its score is the base rate from the first events on, whatever its own output
 * bias has learned so far (a 1 %-click stream needs a logit near −4.6, which Adam's 1e-3-sized
 * steps reach only after thousands of steps).
 *
 * <p>The rate is a decayed count with a prior (the Krichevsky–Trofimov estimator, one pseudo-event
 * at 1/2): r = (c + a·p0) / (n + a), with a = 1, p0 = 1/2, and n, c the events and clicks seen,
 * each multiplied by 2^(−1/h) per event (h the half-life in events). Event i of a batch gets the
 * rate of the events before it, those earlier in the same batch included, never its own label or a
 * later one's (CatBoost's ordered statistics, Prokhorenkova et al., NeurIPS 2018, §3.2, for the
 * base rate). {@link #offsets} reads, {@link #observe} counts the batch's labels after its step.
 */
final class BaseRate {

    /** a, the prior's weight in events. */
    static final double PRIOR_EVENTS = 1.0;

    /** p0, the prior rate. */
    static final double PRIOR_RATE = 0.5;

    private final int halfLife;
    private final double decay;
    private double events;
    private double clicks;

    /** A base rate with half-life {@code halfLife} events (> 0). */
    BaseRate(int halfLife) {
        if (halfLife <= 0) {
            throw new IllegalArgumentException(
                    "base-rate half-life must be > 0 events, got " + halfLife);
        }
        this.halfLife = halfLife;
        this.decay = Math.pow(2.0, -1.0 / halfLife);
    }

    int halfLife() {
        return halfLife;
    }

    /** Decayed labelled events counted so far. */
    double events() {
        return events;
    }

    /** Decayed clicks counted so far. */
    double clicks() {
        return clicks;
    }

    /** Puts back counts of {@link #events()} and {@link #clicks()} (a snapshot's). */
    void restore(double savedEvents, double savedClicks) {
        if (!(savedEvents >= 0)
                || !(savedClicks >= 0)
                || savedClicks > savedEvents
                || !Double.isFinite(savedEvents)) {
            throw new IllegalArgumentException(
                    "base-rate counts must be finite with 0 <= clicks <= events, got "
                            + savedClicks
                            + " clicks of "
                            + savedEvents
                            + " events");
        }
        events = savedEvents;
        clicks = savedClicks;
    }

    /** The rate's logit now, before any further event. */
    double logit() {
        return logit(events, clicks);
    }

    /**
     * Per row of the batch the logit of the rate before it (rows before it in the batch counted).
     * Reads only.
     */
    float[] offsets(FeatureBatch batch) {
        float[] out = new float[batch.size()];
        double n = events;
        double c = clicks;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) logit(n, c);
            int label = batch.label(i);
            if (label >= 0) {
                n = n * decay + 1;
                c = c * decay + label;
            }
        }
        return out;
    }

    /** Counts the batch's labelled rows, in order. */
    void observe(FeatureBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            int label = batch.label(i);
            if (label >= 0) {
                events = events * decay + 1;
                clicks = clicks * decay + label;
            }
        }
    }

    private static double logit(double n, double c) {
        double rate = (c + PRIOR_EVENTS * PRIOR_RATE) / (n + PRIOR_EVENTS);
        return Math.log(rate / (1 - rate));
    }
}
