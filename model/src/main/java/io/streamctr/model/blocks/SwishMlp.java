package io.streamctr.model.blocks;

import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.streamctr.model.runtime.ScalarOps;

import java.util.List;

/**
 * A multi-layer perceptron with Swish activations (InterFormer, appendix B: "We adopt the Swish
 * function for activation"): Linear + Swish per hidden layer, then a linear output layer.
 *
 * <p>Shapes: [*, in] → [*, out] (Linear acts on the last axis).
 */
public final class SwishMlp {

    private SwishMlp() {}

    /** Hidden layers with Swish (β = 1), then {@code outputs} linear units. */
    public static SequentialBlock of(List<Integer> hidden, int outputs) {
        SequentialBlock block = new SequentialBlock();
        for (int units : hidden) {
            block.add(Linear.builder().setUnits(units).build());
            block.add(new LambdaBlock(ScalarOps::swish, "Swish"));
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }
}
