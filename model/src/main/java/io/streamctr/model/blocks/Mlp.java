package io.streamctr.model.blocks;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.streamctr.model.runtime.ScalarOps;
import java.util.List;
import java.util.Objects;

/**
 * Builds a multi-layer perceptron, in DJL's builder style: Linear + activation per hidden layer,
 * then, if asked for, a linear output layer.
 *
 * <pre>{@code
 * Mlp.builder().setHidden(List.of(256, 128)).optOutput(1).build();                  // ReLU MLP → 1 logit
 * Mlp.builder().setHidden(hidden).optActivation(Mlp.Activation.SWISH).optOutput(n).build();
 * Mlp.builder().setHidden(Collections.nCopies(3, width)).build();                   // a deep tower, no output layer
 * }</pre>
 *
 * <p>Shapes: [*, in] → [*, out], out = the output units, or the last hidden layer's without one
 * (Linear acts on the last axis).
 */
public final class Mlp {

    /** The activation after each hidden layer. */
    public enum Activation {
        /** max(0, x). */
        RELU,
        /**
         * x·σ(x), β = 1 (InterFormer, appendix B: "We adopt the Swish function for activation").
         */
        SWISH;

        Block block() {
            return this == RELU
                    ? ai.djl.nn.Activation.reluBlock()
                    : new LambdaBlock(ScalarOps::swish, "Swish");
        }
    }

    private Mlp() {}

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Hidden layers (required, may be empty when there is an output layer), activation, output
     * layer.
     */
    public static final class Builder {

        private List<Integer> hidden;
        private Activation activation = Activation.RELU;
        private int outputs;

        private Builder() {}

        /** Units of each hidden layer, in order. */
        public Builder setHidden(List<Integer> units) {
            for (int u : units) {
                if (u < 1) {
                    throw new IllegalArgumentException("hidden units must be >= 1, got " + units);
                }
            }
            this.hidden = List.copyOf(units);
            return this;
        }

        /** The activation after each hidden layer; ReLU unless set. */
        public Builder optActivation(Activation a) {
            this.activation = Objects.requireNonNull(a, "activation");
            return this;
        }

        /** A linear output layer of this many units after the hidden layers; none unless set. */
        public Builder optOutput(int units) {
            if (units < 1) {
                throw new IllegalArgumentException("output units must be >= 1, got " + units);
            }
            this.outputs = units;
            return this;
        }

        public SequentialBlock build() {
            if (hidden == null) {
                throw new IllegalStateException("setHidden is required");
            }
            if (hidden.isEmpty() && outputs == 0) {
                throw new IllegalStateException("an MLP needs a hidden or an output layer");
            }
            SequentialBlock block = new SequentialBlock();
            for (int units : hidden) {
                block.add(Linear.builder().setUnits(units).build());
                block.add(activation.block());
            }
            if (outputs > 0) {
                block.add(Linear.builder().setUnits(outputs).build());
            }
            return block;
        }
    }
}
