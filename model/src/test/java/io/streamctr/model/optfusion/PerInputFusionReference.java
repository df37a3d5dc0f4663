package io.streamctr.model.optfusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.streamctr.model.blocks.CrossLayer;
import io.streamctr.model.blocks.FieldEmbedding;
import io.streamctr.model.runtime.ScalarOps;
import java.util.ArrayList;
import java.util.List;

/**
 * The OptFusion forward pass as it was written before the fusion was restructured: every input a
 * separate [B, d] tensor, a gate multiply per edge, ADD and PROD as chains of binary operations,
 * PROD's RMS per input, the search mix as four multiplies and three adds. It uses the model's own
 * blocks and parameters (through the public Block API and FusionBlock's package-private accessors),
 * so that the forward as now computed can be checked against it value for value and gradient for
 * gradient.
 *
 * <p>Shapes: FeatureBatch inputs → logits [B]; every block [B, d].
 */
final class PerInputFusionReference {

    private PerInputFusionReference() {}

    /** The model's logits [B] computed per input. */
    static NDArray forward(OptFusionModel model, ParameterStore ps, NDList in, boolean training) {
        FusionGraph graph = model.graph();
        FusionArchitecture arch = model.isArchitectureFrozen() ? model.architecture() : null;
        FieldEmbedding embedding = (FieldEmbedding) child(model, "embedding");
        NDArray fields = embedding.fields(ps, in, training); // [B, nf, D]
        long b = fields.getShape().get(0);
        NDArray x0 = fields.reshape(b, -1); // [B, d]
        NDArray gates = null;
        NDArray opWeights = null;
        if (arch == null) {
            gates =
                    StraightThroughStep.apply(
                            ps.getValue(
                                    model.architectureParameters().get(0),
                                    x0.getDevice(),
                                    training)); // [edges]
            opWeights =
                    ps.getValue(model.architectureParameters().get(1), x0.getDevice(), training)
                            .softmax(1); // [2n+1, 4]
        }
        NDArray[] outs = new NDArray[graph.nodes().size()];
        outs[0] = x0;
        NDArray logits = null;
        for (int t = 1; t < outs.length; t++) {
            if (arch != null && !arch.live(t)) {
                continue;
            }
            List<NDArray> xs = new ArrayList<>();
            for (int e : graph.inputEdges(t)) {
                NDArray source = outs[graph.edges().get(e).source()]; // [B, d]
                if (arch == null) {
                    xs.add(source.mul(gates.get(e))); // [B, d]
                } else {
                    xs.add(arch.kept(e) ? source : null);
                }
            }
            FusionGraph.Node node = graph.nodes().get(t);
            if (node.kind() == FusionGraph.Kind.AUX_CROSS) {
                NDArray x = xs.get(0) == null ? x0.zerosLike() : xs.get(0);
                outs[t] = ((CrossLayer) child(model, "s0")).cross(ps, x0, x, training); // [B, d]
                continue;
            }
            int row = graph.fusionRow(t);
            FusionBlock fusion = (FusionBlock) child(model, "fusion_" + node.name());
            NDArray fused =
                    arch == null
                            ? mix(fusion, model.config(), ps, xs, opWeights.get(row), x0, training)
                            : mix(
                                    fusion,
                                    model.config(),
                                    ps,
                                    xs,
                                    arch.opWeights(row),
                                    x0,
                                    training); // [B, d]
            switch (node.kind()) {
                case CROSS ->
                        outs[t] =
                                ((CrossLayer) child(model, "c" + node.index()))
                                        .cross(ps, x0, fused, training); // [B, d]
                case DEEP ->
                        outs[t] =
                                Activation.relu(
                                        ((Linear) child(model, "d" + node.index()))
                                                .forward(ps, new NDList(fused), training)
                                                .singletonOrThrow()); // [B, d]
                case OUTPUT ->
                        logits =
                                ((Linear) child(model, "o"))
                                        .forward(ps, new NDList(fused), training)
                                        .singletonOrThrow()
                                        .reshape(b); // [B]
                default -> throw new IllegalStateException("unexpected node " + node);
            }
        }
        return logits;
    }

    /** A child block by the name it was added under (DJL prefixes a two-digit position). */
    static Block child(Block parent, String name) {
        return parent.getChildren().stream()
                .filter(c -> c.getKey().replaceFirst("^\\d+", "").equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no child " + name))
                .getValue();
    }

    /** Σ_o weight_o · op_o(xs), weights [4] with gradient. */
    static NDArray mix(
            FusionBlock block,
            OptFusionConfig config,
            ParameterStore ps,
            List<NDArray> xs,
            NDArray weights,
            NDArray template,
            boolean training) {
        NDArray out = null;
        for (FusionOp op : FusionOp.values()) {
            NDArray term =
                    apply(block, config, ps, op, xs, template, training)
                            .mul(weights.get(op.ordinal())); // [B, d]
            out = out == null ? term : out.add(term);
        }
        return out; // [B, d]
    }

    /** Σ_o weight_o · op_o(xs) with fixed weights; operations of weight 0 are not computed. */
    static NDArray mix(
            FusionBlock block,
            OptFusionConfig config,
            ParameterStore ps,
            List<NDArray> xs,
            float[] weights,
            NDArray template,
            boolean training) {
        NDArray out = null;
        for (FusionOp op : FusionOp.values()) {
            float w = weights[op.ordinal()];
            if (w == 0f) {
                continue;
            }
            NDArray term = apply(block, config, ps, op, xs, template, training); // [B, d]
            term = w == 1f ? term : ScalarOps.mul(term, w);
            out = out == null ? term : out.add(term);
        }
        return out == null ? template.zerosLike() : out; // [B, d]
    }

    /** One operation on k inputs [B, d] (null = absent) → [B, d]. */
    static NDArray apply(
            FusionBlock block,
            OptFusionConfig config,
            ParameterStore ps,
            FusionOp op,
            List<NDArray> xs,
            NDArray template,
            boolean training) {
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
            case ADD:
                {
                    NDArray sum = present.get(0);
                    for (int i = 1; i < present.size(); i++) {
                        sum = sum.add(present.get(i));
                    }
                    return sum; // [B, d]
                }
            case PROD:
                return config.product() == ProductScaling.RMS
                        ? scaledProduct(present)
                        : rawProduct(present);
            case CONCAT:
                {
                    NDList slots = new NDList();
                    for (NDArray x : xs) {
                        slots.add(x == null ? template.zerosLike() : x);
                    }
                    NDArray all =
                            slots.size() == 1
                                    ? slots.get(0)
                                    : NDArrays.concat(slots, 1); // [B, k*d]
                    return block.concatLinear()
                            .forward(ps, new NDList(all), training)
                            .singletonOrThrow(); // [B, d]
                }
            case ATT:
                return config.attention() == AttentionReading.PAPER
                        ? paperAttention(block, ps, present, training)
                        : codeAttention(block, ps, xs, training);
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

    private static NDArray rms(NDArray x) {
        return x.square()
                .mean(new int[] {1}, true)
                .add(FusionBlock.RMS_EPSILON * FusionBlock.RMS_EPSILON)
                .sqrt();
    }

    private static NDArray paperAttention(
            FusionBlock block, ParameterStore ps, List<NDArray> present, boolean training) {
        NDArray stacked = NDArrays.stack(new NDList(present), 1); // [B, k', d]
        NDArray hidden =
                Activation.relu(
                        block.attentionHidden()
                                .forward(ps, new NDList(stacked), training)
                                .singletonOrThrow()); // [B, k', d]
        NDArray scores =
                block.attentionScore()
                        .forward(ps, new NDList(hidden), training)
                        .singletonOrThrow(); // [B, k', 1]
        NDArray a = scores.softmax(1); // [B, k', 1]
        return stacked.mul(a).sum(new int[] {1}); // [B, d]
    }

    private static NDArray codeAttention(
            FusionBlock block, ParameterStore ps, List<NDArray> xs, boolean training) {
        NDArray out = null;
        for (int i = 0; i < xs.size(); i++) {
            NDArray x = xs.get(i);
            if (x == null) {
                continue;
            }
            NDArray scores =
                    block.attentionScorer(i)
                            .forward(ps, new NDList(x), training)
                            .singletonOrThrow(); // [B, d]
            NDArray term = scores.softmax(1).mul(x); // [B, d]
            out = out == null ? term : out.add(term);
        }
        return out; // [B, d]
    }
}
