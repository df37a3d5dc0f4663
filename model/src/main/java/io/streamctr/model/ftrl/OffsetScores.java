package io.streamctr.model.ftrl;

/**
 * What {@link FtrlLearner#scoreThenLearn(java.util.List, float[], float[])} gives for each event of
 * a batch, in order: the click probability σ(offset + weight · scaled + residual), the residual
 * (FTRL's bias plus its weights) and the weight of the scaled logit that event was scored with.
 *
 * @param scores click probabilities [B]
 * @param residuals FTRL's part of each logit [B], before the event's own update
 * @param weights the weight of each event's scaled logit [B] (1 where it is not learned)
 */
public record OffsetScores(float[] scores, float[] residuals, float[] weights) {}
