package io.streamctr.model.blocks;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

import java.util.List;

/**
 * A multi-layer perceptron: Linear + ReLU per hidden layer, then a linear output layer.
 *
 * <p>Shapes: [B, in] → [B, out].
 */
public final class Mlp {

    private Mlp() {}

    /** Hidden layers with ReLU, then {@code outputs} linear units. */
    public static SequentialBlock of(List<Integer> hidden, int outputs) {
        SequentialBlock block = new SequentialBlock();
        for (int units : hidden) {
            block.add(Linear.builder().setUnits(units).build());
            block.add(Activation.reluBlock());
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }
}
