package io.streamctr.model.train;

/**
 * What one training call did.
 *
 * @param step the training step after the call (the model version)
 * @param loss mean binary cross-entropy over the labelled rows before the update (NaN when skipped)
 * @param labelled rows that had a label
 * @param skipped true when no update was made (no labelled row, or a non-finite loss)
 */
public record TrainResult(long step, float loss, int labelled, boolean skipped) {}
