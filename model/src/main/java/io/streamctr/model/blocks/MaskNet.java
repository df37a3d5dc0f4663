package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Merges k behaviour sequences into one (InterFormer Eq. 6, after MaskNet, Wang et al. 2021): Ŝ =
 * [S_1 ‖ … ‖ S_k] on the embedding axis, an instance-guided mask MLP_mask(Ŝ) = W2·ReLU(W1·Ŝ + b1) +
 * b2 (hidden width r·k·D), then S = Linear_{kD→D}(Ŝ ⊙ MLP_mask(Ŝ)). Position j of the result merges
 * position j of every sequence; a sequence's padded positions enter as zeros, and positions padded
 * in every sequence come out as exactly zero.
 *
 * <p>Shapes: k sequences [B, L, D] and their masks [B, L] → merged [B, L, D] and the merged mask
 * [B, L] (1 where any sequence is valid).
 */
public final class MaskNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int sequences;
    private final int dim;
    private final int hiddenWidth;
    private final Linear maskHidden;
    private final Linear maskOutput;
    private final Linear combine;

    public MaskNet(int sequences, int dim, int reduction) {
        super(VERSION);
        if (sequences <= 0 || reduction <= 0) {
            throw new IllegalArgumentException(
                    "MaskNet needs >= 1 sequence and reduction ratio >= 1, got "
                            + sequences
                            + ", "
                            + reduction);
        }
        this.sequences = sequences;
        this.dim = dim;
        this.hiddenWidth = reduction * sequences * dim;
        this.maskHidden =
                addChildBlock("mask_hidden", Linear.builder().setUnits(hiddenWidth).build());
        this.maskOutput =
                addChildBlock(
                        "mask_output", Linear.builder().setUnits((long) sequences * dim).build());
        this.combine = addChildBlock("combine", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        maskHidden.initialize(manager, dataType, new Shape(1, (long) sequences * dim));
        maskOutput.initialize(manager, dataType, new Shape(1, hiddenWidth));
        combine.initialize(manager, dataType, new Shape(1, (long) sequences * dim));
    }

    /** Merges the sequences; returns the merged sequence [B, L, D] and merged mask [B, L]. */
    public NDList merge(
            ParameterStore ps, List<NDArray> values, List<NDArray> masks, boolean training) {
        if (values.size() != sequences || masks.size() != sequences) {
            throw new IllegalArgumentException(
                    "MaskNet built for " + sequences + " sequences, got " + values.size());
        }
        NDList parts = new NDList();
        NDArray union = masks.get(0);
        for (int s = 0; s < sequences; s++) {
            parts.add(values.get(s).mul(masks.get(s).expandDims(2))); // [B, L, D], padding zeroed
            union = union.maximum(masks.get(s)); // [B, L]
        }
        NDArray all = NDArrays.concat(parts, 2); // [B, L, k*D]
        NDArray hidden = Activation.relu(forward(ps, maskHidden, all, training)); // [B, L, r*k*D]
        NDArray mask = forward(ps, maskOutput, hidden, training); // [B, L, k*D]
        NDArray merged = forward(ps, combine, all.mul(mask), training); // [B, L, D]
        return new NDList(merged.mul(union.expandDims(2)), union); // [B, L, D], [B, L]
    }

    private static NDArray forward(ParameterStore ps, Linear layer, NDArray x, boolean training) {
        return layer.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return merge(
                ps,
                inputs.subList(0, sequences),
                inputs.subList(sequences, 2 * sequences),
                training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s, new Shape(s.get(0), s.get(1))};
    }
}
