package io.streamctr.model.optfusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * The fusion of one OptFusion block with k inputs (paper Sec. 3.3, Table 1): the four candidate
 * operations and their mix. Owns the CONCAT Linear(k·d → d) and the ATT scorer(s) of its reading.
 *
 * <p>Inputs may be absent (null): a connection cut in the retrain stage. ADD, PROD and ATT then
 * fuse the present inputs only (the paper: "Hard PROD skips disconnected inputs"); CONCAT sees
 * zeros in the absent slots, the same as dropping their weight columns. With no input present
 * every operation gives zeros.
 *
 * <p>PROD is scaled as {@link ProductScaling} says (by default each input at unit RMS, the product
 * brought back to the inputs' geometric-mean RMS), so that all four operations are of the inputs'
 * scale.
 *
 * <p>Shapes: k inputs [B, d] → [B, d]. {@link OptFusionModel} calls {@link #mix} and
 * {@link #apply}; the plain DJL {@code forward} (k inputs, all present) is ADD.
 */
public final class FusionBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    /**
     * Added in quadrature to the RMS that PROD divides by: an all-zero row (a dead ReLU block) stays
     * zero and its gradient bounded (at 1e-6 such rows gave non-finite gradients).
     */
    static final float RMS_EPSILON = 1e-3f;

    private final int inputs;
    private final int width;
    private final AttentionReading reading;
    private final ProductScaling product;
    private final Linear concat;
    private final Linear attentionHidden;
    private final Linear attentionScore;
    private final List<SequentialBlock> attentionScorers = new ArrayList<>();

    /** A block whose PROD is {@link ProductScaling#RMS}. */
    public FusionBlock(int inputs, int width, AttentionReading reading) {
        this(inputs, width, reading, ProductScaling.RMS);
    }

    public FusionBlock(int inputs, int width, AttentionReading reading, ProductScaling product) {
        super(VERSION);
        this.inputs = inputs;
        this.width = width;
        this.reading = reading;
        this.product = java.util.Objects.requireNonNull(product, "product");
        this.concat = addChildBlock("concat", Linear.builder().setUnits(width).build());
        if (reading == AttentionReading.PAPER) {
            this.attentionHidden = addChildBlock("att_w1", Linear.builder().setUnits(width).build());
            this.attentionScore = addChildBlock("att_w2", Linear.builder().setUnits(1).optBias(false).build());
        } else {
            this.attentionHidden = null;
            this.attentionScore = null;
            for (int i = 0; i < inputs; i++) {
                SequentialBlock scorer = new SequentialBlock()
                        .add(Linear.builder().setUnits(width).build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(width).optBias(false).build());
                attentionScorers.add(addChildBlock("att" + i, scorer));
            }
        }
    }

    public int inputCount() {
        return inputs;
    }

    /** Σ_o weight_o · op_o(xs) with the weights as an array [4] (the search stage: softmax(β), with gradient). */
    public NDArray mix(ParameterStore ps, List<NDArray> xs, NDArray weights, NDArray template, boolean training) {
        NDArray out = null;
        for (FusionOp op : FusionOp.values()) {
            NDArray term = apply(ps, op, xs, template, training).mul(weights.get(op.ordinal())); // [B, d]
            out = out == null ? term : out.add(term);
        }
        return out; // [B, d]
    }

    /** Σ_o weight_o · op_o(xs) with fixed weights; operations of weight 0 are not computed. */
    public NDArray mix(ParameterStore ps, List<NDArray> xs, float[] weights, NDArray template, boolean training) {
        NDArray out = null;
        for (FusionOp op : FusionOp.values()) {
            float w = weights[op.ordinal()];
            if (w == 0f) {
                continue;
            }
            NDArray term = apply(ps, op, xs, template, training); // [B, d]
            term = w == 1f ? term : term.mul(w);
            out = out == null ? term : out.add(term);
        }
        return out == null ? template.zerosLike() : out; // [B, d]
    }

    /** One operation on the inputs (null = absent); template [B, d] gives the shape of zeros. */
    public NDArray apply(ParameterStore ps, FusionOp op, List<NDArray> xs, NDArray template, boolean training) {
        if (xs.size() != inputs) {
            throw new IllegalArgumentException("fusion block of " + inputs + " inputs got " + xs.size());
        }
        List<NDArray> present = new ArrayList<>();
        for (NDArray x : xs) {
            if (x != null) {
                present.add(x);
            }
        }
        if (present.isEmpty()) {
            return template.zerosLike(); // [B, d]
        }
        switch (op) {
            case ADD: {
                NDArray sum = present.get(0);
                for (int i = 1; i < present.size(); i++) {
                    sum = sum.add(present.get(i));
                }
                return sum; // [B, d]
            }
            case PROD:
                return product == ProductScaling.RMS ? scaledProduct(present) : rawProduct(present);
            case CONCAT: {
                NDList slots = new NDList();
                for (NDArray x : xs) {
                    slots.add(x == null ? template.zerosLike() : x);
                }
                NDArray all = slots.size() == 1 ? slots.get(0) : NDArrays.concat(slots, 1); // [B, k*d]
                return concat.forward(ps, new NDList(all), training).singletonOrThrow(); // [B, d]
            }
            case ATT:
                return reading == AttentionReading.PAPER ? paperAttention(ps, present, training) : codeAttention(ps, xs, training);
            default:
                throw new IllegalStateException("unknown fusion operation " + op);
        }
    }

    private static NDArray rawProduct(List<NDArray> present) {
        NDArray product = present.get(0);
        for (int i = 1; i < present.size(); i++) {
            product = product.mul(present.get(i));
        }
        return product; // [B, d]
    }

    /** p / rms(p) · exp(mean_i log r_i), p = ∏_i x_i / r_i, r_i = rms(x_i), per row ({@link ProductScaling#RMS}). */
    private static NDArray scaledProduct(List<NDArray> present) {
        if (present.size() == 1) {
            return present.get(0); // [B, d]
        }
        NDArray product = null;
        NDArray logScale = null;
        for (NDArray x : present) {
            NDArray r = rms(x); // [B, 1]
            NDArray unit = x.div(r); // [B, d]
            product = product == null ? unit : product.mul(unit);
            logScale = logScale == null ? r.log() : logScale.add(r.log()); // [B, 1]
        }
        NDArray scale = logScale.div((float) present.size()).exp(); // [B, 1]
        return product.div(rms(product)).mul(scale); // [B, d]
    }

    /** sqrt(mean_j x_j² + ε²) of each row: [B, d] → [B, 1]. */
    private static NDArray rms(NDArray x) {
        return x.square().mean(new int[] {1}, true).add(RMS_EPSILON * RMS_EPSILON).sqrt();
    }

    private NDArray paperAttention(ParameterStore ps, List<NDArray> present, boolean training) {
        NDArray stacked = NDArrays.stack(new NDList(present), 1); // [B, k', d]
        NDArray hidden = Activation.relu(attentionHidden.forward(ps, new NDList(stacked), training).singletonOrThrow()); // [B, k', d]
        NDArray scores = attentionScore.forward(ps, new NDList(hidden), training).singletonOrThrow(); // [B, k', 1]
        NDArray a = scores.softmax(1); // [B, k', 1]
        return stacked.mul(a).sum(new int[] {1}); // [B, d]
    }

    private NDArray codeAttention(ParameterStore ps, List<NDArray> xs, boolean training) {
        NDArray out = null;
        for (int i = 0; i < xs.size(); i++) {
            NDArray x = xs.get(i);
            if (x == null) {
                continue;
            }
            NDArray scores = attentionScorers.get(i).forward(ps, new NDList(x), training).singletonOrThrow(); // [B, d]
            NDArray term = scores.softmax(1).mul(x); // [B, d]
            out = out == null ? term : out.add(term);
        }
        return out; // [B, d]
    }

    Linear concatLinear() {
        return concat;
    }

    Linear attentionHidden() {
        return attentionHidden;
    }

    Linear attentionScore() {
        return attentionScore;
    }

    SequentialBlock attentionScorer(int input) {
        return attentionScorers.get(input);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        concat.initialize(manager, dataType, new Shape(1, (long) inputs * width));
        if (reading == AttentionReading.PAPER) {
            attentionHidden.initialize(manager, dataType, new Shape(1, 1, width));
            attentionScore.initialize(manager, dataType, new Shape(1, 1, width));
        } else {
            for (SequentialBlock scorer : attentionScorers) {
                scorer.initialize(manager, dataType, new Shape(1, width));
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        List<NDArray> xs = new ArrayList<>(in);
        return new NDList(apply(ps, FusionOp.ADD, xs, xs.get(0), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
