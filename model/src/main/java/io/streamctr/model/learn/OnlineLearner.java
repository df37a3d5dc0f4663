package io.streamctr.model.learn;

import io.streamctr.schemas.Example;
import java.util.List;

/**
 * One model learning online, prequentially: {@link #process} scores every example of a batch before
 * learning from it, then learns from the labelled ones. What "before" means is the learner's: a
 * mini-batch deep model scores the whole batch with the weights before it ({@link DeepLearner}); a
 * per-event learner scores example i with the weights after examples 0..i−1 ({@link
 * io.streamctr.model.ftrl.FtrlLearner}). No example's own label, nor any later example's, ever
 * reaches its score.
 *
 * <p>{@link #snapshot()} / {@link #restore(byte[])} carry the whole learner state (the Flink job
 * keeps it in operator state), so a restored learner continues as if never stopped. Not
 * thread-safe: one learner is driven by one thread.
 */
public interface OnlineLearner extends AutoCloseable {

    /** The registered model name. */
    String modelName();

    /** Scores the batch's examples (in order), then learns from the labelled ones. */
    LearnedBatch process(List<Example> batch);

    /**
     * As {@link #process(List)}, each labelled example's log loss times {@code weighting}'s weight
     * for it ({@link LossWeighting#NONE}: every weight 1, the same as {@link #process(List)}).
     */
    default LearnedBatch process(List<Example> batch, LossWeighting weighting) {
        if (weighting != LossWeighting.NONE) {
            throw new UnsupportedOperationException(
                    "learner '" + modelName() + "' does not weight its loss (" + weighting + ")");
        }
        return process(batch);
    }

    /**
     * Issue 16: the label of impression {@code impressionId} is final and its joined example has
     * been processed (or will not be: a fake-negative learner's window negative), so what the
     * learner kept of the impression as it was scored can go. Nothing for an impression it keeps
     * nothing of.
     */
    default void release(String impressionId) {}

    /**
     * Click probabilities of the batch's examples (in order) with the state as it is, learning
     * nothing: every example is scored as if unlabelled (its label, if any, is ignored, also by the
     * in-batch fresh parts), and the state is left unchanged. What a service that only scores calls
     * ({@link io.streamctr.model.pkg.Scorer}).
     */
    float[] score(List<Example> batch);

    /**
     * The model version: updates made so far (training steps, or labelled events for a per-event
     * learner).
     */
    long step();

    /** Updates skipped because the loss or a gradient was not finite. */
    long skippedSteps();

    /** The learner's state as bytes. */
    byte[] snapshot();

    /**
     * Replaces the state with a {@link #snapshot()}'s; IllegalArgumentException when it cannot be
     * this learner's.
     */
    void restore(byte[] snapshot);

    @Override
    void close();
}
