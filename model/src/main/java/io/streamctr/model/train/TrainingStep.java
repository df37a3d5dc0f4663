package io.streamctr.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import io.streamctr.model.features.FeatureBatch;

/**
 * One training step split at its forward pass ({@link OnlineTrainer#forward}), so that the
 * forward's logits score the batch before the step ends (issue 18): the weights are not updated
 * yet, so those logits are the prequential ones, and a caller can compute what the loss needs from
 * them (the residual FTRL part's offsets and logit scales, set on the batch) before {@link
 * #finish()}. Holds the batch's {@link NDScope}, its arrays and the forward's graph until {@link
 * #close()}.
 *
 * <p>Without a graph (the model's forward depends on the mode, or the batch has no labelled row)
 * the logits are an inference forward's and {@link #finish()} is {@link OnlineTrainer#train}.
 */
public final class TrainingStep implements AutoCloseable {

    private final OnlineTrainer trainer;
    private final FeatureBatch batch;
    private final float[] logits;
    private final NDScope scope;
    private final NDManager batchManager;
    private final TouchedRows touched;
    private final NDArray own;
    private boolean finished;
    private boolean closed;

    /** A step whose logits came from an inference forward; {@link #finish()} trains in full. */
    TrainingStep(OnlineTrainer trainer, FeatureBatch batch, float[] logits) {
        this(trainer, batch, logits, null, null, null, null);
    }

    /** A step holding its training forward: {@code own} [B] with its graph, in its scope. */
    TrainingStep(
            OnlineTrainer trainer,
            FeatureBatch batch,
            float[] logits,
            NDScope scope,
            NDManager batchManager,
            TouchedRows touched,
            NDArray own) {
        this.trainer = trainer;
        this.batch = batch;
        this.logits = logits;
        this.scope = scope;
        this.batchManager = batchManager;
        this.touched = touched;
        this.own = own;
    }

    /**
     * The model's own logits [B] of the batch with the weights before this step, without the
     * base-rate offsets ({@link OnlineTrainer#baseRateOffsets}); a copy.
     */
    public float[] logits() {
        return logits.clone();
    }

    /**
     * Whether the logits came from the training forward (one pass) rather than an inference pass.
     */
    public boolean onePass() {
        return own != null;
    }

    /**
     * Ends the step: the loss with the batch's offsets and logit scales as set now, backward, the
     * non-finite guard and the update, as {@link OnlineTrainer#train} does; then closes the step.
     */
    public TrainResult finish() {
        if (finished || closed) {
            throw new IllegalStateException("the training step has already finished or closed");
        }
        finished = true;
        TrainResult result;
        if (own == null) {
            result = trainer.trainStep(batch);
        } else {
            boolean previous = JniUtils.isGradMode();
            try {
                JniUtils.setGradMode(true);
                result = trainer.update(batch, batchManager, touched, own);
            } finally {
                JniUtils.setGradMode(previous);
                close();
            }
        }
        return trainer.afterStep(batch, result);
    }

    /** Frees the step's arrays; without {@link #finish()} the model is not updated. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (batchManager != null) {
            batchManager.close();
            scope.close();
        }
    }
}
