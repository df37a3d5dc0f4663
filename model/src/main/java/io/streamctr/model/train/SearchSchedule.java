package io.streamctr.model.train;

/**
 * The one-shot search on a stream: how many labelled events it lasts, the architecture parameters'
 * Adam step size, and whether the model weights carry over into the retrain stage.
 *
 * @param searchEvents labelled events trained on before the architecture is frozen (0 = freeze at
 *     once)
 * @param architectureLearningRate Adam step size of the architecture parameters (no weight decay)
 * @param warmStart true: the retrain stage starts from the searched weights (the official code);
 *     false: the weights are re-initialized and their Adam moments reset
 */
public record SearchSchedule(long searchEvents, float architectureLearningRate, boolean warmStart)
        implements java.io.Serializable {

    public SearchSchedule {
        if (searchEvents < 0) {
            throw new IllegalArgumentException("searchEvents must be >= 0, got " + searchEvents);
        }
        if (!(architectureLearningRate > 0)) {
            throw new IllegalArgumentException(
                    "architectureLearningRate must be > 0, got " + architectureLearningRate);
        }
    }
}
