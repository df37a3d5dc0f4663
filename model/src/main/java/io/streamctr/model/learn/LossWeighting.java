package io.streamctr.model.learn;

import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;

/**
 * The weight of a labelled example's log loss in an online learner's update, given the model's
 * current score p of it (detached: a constant of the gradient).
 */
public enum LossWeighting {

    /** Every weight 1: the plain log loss. */
    NONE {
        @Override
        public double weight(Example example, double p) {
            return 1.0;
        }
    },

    /**
     * Fake-negative weighting (FNW; Ktena et al., RecSys 2019, "Addressing delayed feedback for
     * continuous training with neural networks in CTR prediction", section 4.3). With fake
     * negatives every impression is trained at once as a negative and its click once more as a
     * positive, so the training data's click rate is b = p / (1 + p) of the true p; importance
     * weights p(y | x) / b(y | x) make the loss that of the true distribution: a positive weighs 1
     * + p, a (fake) negative (1 − p)·(1 + p), p the model's current score, so the model learns p
     * itself (its scores are served as they are, not calibrated). Only joined examples ({@link
     * JoinedLabels#isJoined}) are weighted; an event that came with its label weighs 1.
     */
    FAKE_NEGATIVE {
        @Override
        public double weight(Example example, double p) {
            ClickEvent e = example.getEvent();
            if (!JoinedLabels.isJoined(e)) {
                return 1.0;
            }
            double q = Math.max(0.0, Math.min(1.0, p));
            return e.getLabel() == 1 ? 1.0 + q : (1.0 - q) * (1.0 + q);
        }
    };

    /** The weight of {@code example}'s log loss when the model scores it {@code p}. */
    public abstract double weight(Example example, double p);
}
