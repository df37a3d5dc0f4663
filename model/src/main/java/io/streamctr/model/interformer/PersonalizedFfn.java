package io.streamctr.model.interformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.streamctr.model.blocks.Mlp;
import java.util.List;

/**
 * Personalized FFN (InterFormer Eq. 8, appendix A.2.2): a D×D weight W learned from the
 * non-sequence summary and applied to every sequence token, S' = S·W. Here W = I +
 * MLP(flatten(X_sum)), whose last layer starts near zero (normal, std 1e-3), so the sequence passes
 * through almost unchanged at first: embeddings start near zero (a near-zero W would cut the
 * sequence off), and a random MLP would multiply the sequence by noise from every new user's random
 * embedding (measured: with a Xavier-initialized last layer the n2s ablation did not learn a
 * planted sequence-only label in 80 steps; it does with this initialization). Without
 * personalization (ablations without the non-sequence → sequence flow) W = I + Δ is one learned
 * matrix for every user: a plain linear FFN.
 *
 * <p>Shapes: X_sum [B, K, D], S [B, T, D] → S' [B, T, D]; the weight is [B, D, D] (or [D, D]).
 */
public final class PersonalizedFfn extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int summaryTokens;
    private final int dim;
    private final SequentialBlock weightMlp;
    private final Parameter staticDelta;

    /** Personalized when {@code personalized}; otherwise one shared weight. */
    public PersonalizedFfn(int summaryTokens, int dim, List<Integer> hidden, boolean personalized) {
        super(VERSION);
        this.summaryTokens = summaryTokens;
        this.dim = dim;
        if (personalized) {
            this.weightMlp =
                    addChildBlock(
                            "weight_mlp",
                            Mlp.builder()
                                    .setHidden(hidden)
                                    .optActivation(Mlp.Activation.SWISH)
                                    .optOutput(dim * dim)
                                    .build());
            // near-zero last layer: W starts as (almost) the identity for every user
            Block last = weightMlp.getChildren().get(weightMlp.getChildren().size() - 1).getValue();
            last.setInitializer(new NormalInitializer(1e-3f), Parameter.Type.WEIGHT);
            this.staticDelta = null;
        } else {
            this.weightMlp = null;
            this.staticDelta =
                    addParameter(
                            Parameter.builder()
                                    .setName("delta")
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(dim, dim))
                                    .optInitializer(new NormalInitializer(0.01f))
                                    .build());
        }
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (weightMlp != null) {
            weightMlp.initialize(manager, dataType, new Shape(1, (long) summaryTokens * dim));
        }
    }

    public boolean personalized() {
        return weightMlp != null;
    }

    /** The weight applied to the sequence: [B, D, D] when personalized, else [D, D]. */
    public NDArray weight(ParameterStore ps, NDArray summary, NDArray sequence, boolean training) {
        NDArray eye = sequence.getManager().eye(dim); // [D, D]
        if (weightMlp == null) {
            return eye.add(ps.getValue(staticDelta, sequence.getDevice(), training)); // [D, D]
        }
        long b = summary.getShape().get(0);
        NDArray flat = summary.reshape(b, (long) summaryTokens * dim); // [B, K*D]
        NDArray delta =
                weightMlp
                        .forward(ps, new NDList(flat), training)
                        .singletonOrThrow()
                        .reshape(b, dim, dim); // [B, D, D]
        return delta.add(eye); // [B, D, D]
    }

    /** S' = S·W for every token. */
    public NDArray apply(ParameterStore ps, NDArray summary, NDArray sequence, boolean training) {
        return sequence.matMul(weight(ps, summary, sequence, training)); // [B, T, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[1]};
    }
}
