package io.streamctr.model.optfusion;

import ai.djl.ndarray.NDArray;
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
import io.streamctr.model.runtime.ScalarOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The fusion of one OptFusion block with k inputs (paper Sec. 3.3, Table 1): the four candidate
 * operations and their mix. Owns the CONCAT Linear(k·d → d) and the ATT scorer(s) of its reading.
 *
 * <p>Inputs may be absent (null): a connection cut in the retrain stage. ADD, PROD and ATT then
 * fuse the present inputs only (the paper: "Hard PROD skips disconnected inputs"); CONCAT sees
 * zeros in the absent slots, the same as dropping their weight columns. With no input present every
 * operation gives zeros.
 *
 * <p>PROD is scaled as {@link ProductScaling} says (by default each input at unit RMS, the product
 * brought back to the inputs' geometric-mean RMS), so that all four operations are of the inputs'
 * scale.
 *
 * <p>The inputs come as {@link FusionInputs}: CONCAT (a reshape of the slots' stack) and paper ATT
 * share one stack of them, ADD and PROD chain over the list. Measured on this CPU (1 torch thread,
 * B 4096), the per-input chains are faster than reductions over a stack [B, k, d] (torch's prod
 * backward takes its zero-safe path on ReLU outputs; a broadcast multiply's backward reduces over
 * two axes), so only the copies are shared.
 *
 * <p>Shapes: k inputs [B, d] (stacked [B, k, d]) → [B, d]. {@link OptFusionModel} calls {@link
 * #mix}; {@link #apply} is one operation; the plain DJL {@code forward} (k inputs, all present) is
 * ADD.
 */
public final class FusionBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    /**
     * Added in quadrature to the RMS that PROD divides by: an all-zero row (a dead ReLU block)
     * stays zero and its gradient bounded (at 1e-6 such rows gave non-finite gradients).
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
            this.attentionHidden =
                    addChildBlock("att_w1", Linear.builder().setUnits(width).build());
            this.attentionScore =
                    addChildBlock("att_w2", Linear.builder().setUnits(1).optBias(false).build());
        } else {
            this.attentionHidden = null;
            this.attentionScore = null;
            for (int i = 0; i < inputs; i++) {
                SequentialBlock scorer =
                        new SequentialBlock()
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

    /**
     * Σ_o weight_o · op_o(xs) with the weights as an array [4] (the search stage: softmax(β), with
     * gradient).
     */
    public NDArray mix(
            ParameterStore ps,
            List<NDArray> xs,
            NDArray weights,
            NDArray template,
            boolean training) {
        return mix(ps, inputsOf(xs, template), weights, training); // [B, d]
    }

    /**
     * Σ_o weight_o · op_o with the weights as an array [4] (softmax(β), with gradient): each output
     * times its weight, summed. Measured on this CPU (1 torch thread, B 4096), this is faster than
     * stacking the four outputs [B, 4, d] and contracting them (the stack's copy and the broadcast
     * reduction in its backward), and than folding ADD and paper ATT into one weighted sum Σ_i
     * (w_ADD + w_ATT · a_i) · x_i (ADD's backward is free as a chain of adds, not over a stack).
     */
    NDArray mix(ParameterStore ps, FusionInputs in, NDArray weights, boolean training) {
        NDArray out = null;
        for (FusionOp op : FusionOp.values()) {
            NDArray term = apply(ps, op, in, training).mul(weights.get(op.ordinal())); // [B, d]
            out = out == null ? term : out.add(term);
        }
        return out; // [B, d]
    }

    /** Σ_o weight_o · op_o(xs) with fixed weights; operations of weight 0 are not computed. */
    public NDArray mix(
            ParameterStore ps,
            List<NDArray> xs,
            float[] weights,
            NDArray template,
            boolean training) {
        return mix(ps, inputsOf(xs, template), weights, training); // [B, d]
    }

    /** Σ_o weight_o · op_o with fixed weights [4]; operations of weight 0 are not computed. */
    NDArray mix(ParameterStore ps, FusionInputs in, float[] weights, boolean training) {
        NDArray out = null;
        for (FusionOp op : FusionOp.values()) {
            float w = weights[op.ordinal()];
            if (w == 0f) {
                continue;
            }
            NDArray term = apply(ps, op, in, training); // [B, d]
            term = w == 1f ? term : ScalarOps.mul(term, w);
            out = out == null ? term : out.add(term);
        }
        return out == null ? in.zeros() : out; // [B, d]
    }

    /** One operation on the inputs (null = absent); template [B, d] gives the shape of zeros. */
    public NDArray apply(
            ParameterStore ps, FusionOp op, List<NDArray> xs, NDArray template, boolean training) {
        return apply(ps, op, inputsOf(xs, template), training); // [B, d]
    }

    private FusionInputs inputsOf(List<NDArray> xs, NDArray template) {
        if (xs.size() != inputs) {
            throw new IllegalArgumentException(
                    "fusion block of " + inputs + " inputs got " + xs.size());
        }
        return FusionInputs.of(xs, template);
    }

    /** One operation on the stacked inputs: [B, k, d] → [B, d]. */
    NDArray apply(ParameterStore ps, FusionOp op, FusionInputs in, boolean training) {
        if (in.count() != inputs) {
            throw new IllegalArgumentException(
                    "fusion block of " + inputs + " inputs got " + in.count());
        }
        if (in.presentCount() == 0) {
            return in.zeros(); // [B, d]
        }
        switch (op) {
            case ADD:
                {
                    List<NDArray> xs = in.presentList();
                    NDArray sum = xs.get(0);
                    for (int i = 1; i < xs.size(); i++) {
                        sum = sum.add(xs.get(i));
                    }
                    return sum; // [B, d]
                }
            case PROD:
                return product == ProductScaling.RMS
                        ? scaledProduct(in.presentList())
                        : rawProduct(in.presentList()); // [B, d]
            case CONCAT:
                {
                    NDArray slots = in.slots(); // [B, k, d]
                    NDArray all =
                            slots.reshape(
                                    slots.getShape().get(0), (long) inputs * width); // [B, k*d]
                    return concat.forward(ps, new NDList(all), training)
                            .singletonOrThrow(); // [B, d]
                }
            case ATT:
                return reading == AttentionReading.PAPER
                        ? paperAttention(ps, in.present(), training)
                        : codeAttention(ps, in, training);
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

    /**
     * p / rms(p) · exp(mean_i log r_i), p = ∏_i x_i / r_i, r_i = rms(x_i), per row ({@link
     * ProductScaling#RMS}): the present inputs [B, d] each → [B, d]. Input by input: a product over
     * a stack [B, k, d] is slower here (torch's prod backward takes its zero-safe path on ReLU
     * outputs).
     */
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
        NDArray scale = ScalarOps.div(logScale, (float) present.size()).exp(); // [B, 1]
        return product.div(rms(product)).mul(scale); // [B, d]
    }

    /** sqrt(mean_j x_j² + ε²) of each row: [B, d] → [B, 1]. */
    private static NDArray rms(NDArray x) {
        return x.square().mean(new int[] {1}, true).add(RMS_EPSILON * RMS_EPSILON).sqrt();
    }

    /** a_i = softmax_i(w2ᵀ ReLU(W1 x_i + b1)), x' = Σ_i a_i x_i: [B, k', d] → [B, d]. */
    private NDArray paperAttention(ParameterStore ps, NDArray stacked, boolean training) {
        NDArray hidden =
                Activation.relu(
                        attentionHidden
                                .forward(ps, new NDList(stacked), training)
                                .singletonOrThrow()); // [B, k', d]
        NDArray scores =
                attentionScore
                        .forward(ps, new NDList(hidden), training)
                        .singletonOrThrow(); // [B, k', 1]
        NDArray a = scores.softmax(1); // [B, k', 1]
        return stacked.mul(a).sum(new int[] {1}); // [B, d]
    }

    /**
     * x' = Σ_i softmax(MLP_i(x_i)) ⊙ x_i over the present inputs, each with its slot's scorer: →
     * [B, d].
     */
    private NDArray codeAttention(ParameterStore ps, FusionInputs in, boolean training) {
        List<NDArray> xs = in.presentList();
        NDArray out = null;
        for (int j = 0; j < xs.size(); j++) {
            NDArray x = xs.get(j); // [B, d]
            NDArray scores =
                    attentionScorers
                            .get(in.presentSlot(j))
                            .forward(ps, new NDList(x), training)
                            .singletonOrThrow(); // [B, d]
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
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
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
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        List<NDArray> xs = new ArrayList<>(in);
        return new NDList(apply(ps, FusionOp.ADD, xs, xs.get(0), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
