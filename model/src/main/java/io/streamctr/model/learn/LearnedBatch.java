package io.streamctr.model.learn;

/**
 * What {@link OnlineLearner#process} did with one batch.
 *
 * @param scores click probabilities, one per example, in batch order
 * @param version the model version the scores were made with (the step before the batch's update)
 * @param loss mean log loss of the update over the labelled examples (NaN when nothing was learned)
 * @param labelled examples that had a label
 * @param skipped true when a labelled batch made no update (a non-finite loss or gradient)
 */
public record LearnedBatch(
        float[] scores, long version, float loss, int labelled, boolean skipped) {}
