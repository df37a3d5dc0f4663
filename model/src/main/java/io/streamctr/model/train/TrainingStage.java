package io.streamctr.model.train;

/** Where a trainer is in its model's life. */
public enum TrainingStage {
    /** A model without architecture search: one stage. */
    FIXED,
    /** One-shot architecture search: weights and architecture parameters step together. */
    SEARCH,
    /** The architecture is frozen; only the weights train. */
    RETRAIN
}
