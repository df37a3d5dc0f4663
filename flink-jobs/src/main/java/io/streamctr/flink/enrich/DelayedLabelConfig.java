package io.streamctr.flink.enrich;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the label join (issue 16) labels impressions: a click within {@code window} of event time
 * after the impression makes it a positive, the window's end without one a negative; {@code
 * trainOn} says when each is trained on; {@code lateClicks} what a click after the window does.
 *
 * @param window the attribution window, > 0
 * @param trainOn when joined examples are emitted for training
 * @param lateClicks the policy for clicks after the window
 */
public record DelayedLabelConfig(Duration window, TrainOn trainOn, LateClicks lateClicks)
        implements Serializable {

    /** The defaults of the job's options: a 10 min window, positives trained at the click. */
    public static final DelayedLabelConfig DEFAULT =
            new DelayedLabelConfig(
                    Duration.ofMinutes(10), TrainOn.WINDOW_CLOSE, LateClicks.DEAD_LETTER);

    public DelayedLabelConfig {
        if (window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("the attribution window must be > 0, got " + window);
        }
        if (trainOn == null || lateClicks == null) {
            throw new IllegalArgumentException("train-on and late-clicks must not be null");
        }
    }

    /** The window in milliseconds. */
    public long windowMs() {
        return window.toMillis();
    }
}
