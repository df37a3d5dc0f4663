package io.streamctr.model.blocks;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * The hidden part of an MLP: {@code layers} × (Linear(width) + ReLU), no output layer; the deep
 * tower of DCN, DCNv2 and EDCN, whose output is fused with a cross tower.
 *
 * <p>Shapes: [B, in] → [B, width].
 */
public final class ReluStack {

    private ReluStack() {}

    public static SequentialBlock of(int layers, int width) {
        if (layers < 1 || width < 1) {
            throw new IllegalArgumentException("layers and width must be >= 1, got " + layers + " and " + width);
        }
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < layers; i++) {
            block.add(Linear.builder().setUnits(width).build());
            block.add(Activation.reluBlock());
        }
        return block;
    }
}
