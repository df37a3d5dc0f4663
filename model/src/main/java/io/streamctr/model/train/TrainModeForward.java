package io.streamctr.model.train;

import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;

/**
 * Marks a block whose forward in training mode computes something else than in inference mode
 * (dropout, batch statistics, sampling): for such a model the logits of a training forward are not
 * the batch's prequential scores, and {@link OnlineTrainer#forward} keeps a separate inference pass
 * (issue 18). DJL's {@link Dropout} and {@link BatchNorm} count without the mark.
 *
 * <p>A block that only passes {@code training} on to its children, or to {@code
 * ParameterStore#getValue} on one device, needs no mark: the value is the same, only the gradient
 * is recorded. OptFusion's straight-through step forwards exactly 0 or 1 in both modes.
 */
public interface TrainModeForward {

    /**
     * Whether no block in {@code block}'s tree (itself included) is a {@link TrainModeForward}, a
     * {@link Dropout} or a {@link BatchNorm}.
     */
    static boolean sameInBothModes(Block block) {
        if (block instanceof TrainModeForward
                || block instanceof Dropout
                || block instanceof BatchNorm) {
            return false;
        }
        return block.getChildren().values().stream().allMatch(TrainModeForward::sameInBothModes);
    }
}
