package io.streamctr.model.interformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.streamctr.model.blocks.HashedEmbedding;
import io.streamctr.model.blocks.InputEmbedding;
import io.streamctr.model.blocks.MaskNet;
import io.streamctr.model.blocks.Mlp;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * InterFormer (Zeng et al., arXiv 2411.09852; docs/models.md): interleaved non-sequence and
 * sequence learning with bidirectional information flow.
 *
 * <ul>
 *   <li>Preprocessing (section 4.1): non-sequence tokens X⁽⁰⁾ = one token per categorical field,
 *       one per multi-valued field (masked mean of its values), one for all numeric fields (Linear
 *       over their concatenation); each behaviour sequence embedded as item + side embedding,
 *       merged by a {@link MaskNet}; the non-sequence summary is prepended as CLS tokens.
 *   <li>Per layer l: Cross Arch summaries X_sum⁽ˡ⁾ ({@link NonSequenceSummary}) and S_sum⁽ˡ⁾
 *       ({@link SequenceSummary}); X⁽ˡ⁺¹⁾ = {@link InteractionArch}([X⁽ˡ⁾ ‖ S_sum⁽ˡ⁾]); S⁽ˡ⁺¹⁾ =
 *       {@link SequenceArch}(X_sum⁽ˡ⁾, S⁽ˡ⁾).
 *   <li>Output: a Swish MLP over [flatten(X_sum⁽ᴸ⁾) ‖ flatten(S_sum⁽ᴸ⁾)] → 1 logit, plus the
 *       optional wide term.
 * </ul>
 *
 * The {@link InterFormerConfig.Mode} switches cut the flows for the paper's Figure 2 ablation.
 *
 * <p>Shapes (B = batch, F = non-sequence tokens, C = CLS tokens, L = sequence length, D = dim):
 * inputs in {@link FeatureBatch} order → logits [B]. Sequence tokens [B, C + L, D].
 */
public final class InterFormerModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final FeatureSpec spec;
    private final InterFormerConfig config;
    private final int features;
    private final InputEmbedding embedding;
    private final Linear dense;
    private final MaskNet maskNet;
    private final Parameter learnedCls;
    private final List<NonSequenceSummary> nonSequenceSummaries = new ArrayList<>();
    private final List<SequenceSummary> sequenceSummaries = new ArrayList<>();
    private final List<InteractionArch> interactions = new ArrayList<>();
    private final List<SequenceArch> sequenceArches = new ArrayList<>();
    private final SequentialBlock classifier;
    private final HashedEmbedding wide;

    public InterFormerModel(FeatureSpec spec, InterFormerConfig config) {
        super(VERSION);
        this.spec = spec;
        this.config = config;
        InterFormerConfig.Mode mode = config.mode();
        boolean sequenceArch = mode != InterFormerConfig.Mode.SOLE;
        int d = config.dim();
        int c = config.clsTokens();
        this.features =
                spec.categoricalCount()
                        + spec.multiValuedCount()
                        + (spec.numericCount() > 0 ? 1 : 0);
        this.embedding = addChildBlock("embedding", new InputEmbedding(spec, d));
        this.dense =
                spec.numericCount() > 0
                        ? addChildBlock("dense", Linear.builder().setUnits(d).build())
                        : null;
        this.maskNet =
                sequenceArch
                        ? addChildBlock(
                                "masknet",
                                new MaskNet(spec.sequenceCount(), d, config.maskNetReduction()))
                        : null;
        this.learnedCls =
                sequenceArch && !mode.nonSequenceToSequence()
                        ? addParameter(
                                Parameter.builder()
                                        .setName("cls")
                                        .setType(Parameter.Type.WEIGHT)
                                        .optShape(new Shape(c, d))
                                        .optInitializer(new NormalInitializer(0.1f))
                                        .build())
                        : null;
        int summaryTokens = sequenceArch ? config.sequenceSummaryTokens() : spec.sequenceCount();
        int interactionInputs =
                features + (mode.sequenceToNonSequence() || !sequenceArch ? summaryTokens : 0);
        for (int l = 0; l <= config.layers(); l++) {
            boolean last = l == config.layers();
            // summaries are built only where a flow (or the classifier) reads them
            nonSequenceSummaries.add(
                    last || mode.nonSequenceToSequence()
                            ? addChildBlock(
                                    "nonseq_summary_" + l, new NonSequenceSummary(features, c, d))
                            : null);
            sequenceSummaries.add(
                    sequenceArch && (last || mode.sequenceToNonSequence())
                            ? addChildBlock(
                                    "seq_summary_" + l,
                                    new SequenceSummary(
                                            c,
                                            config.pmaTokens(),
                                            config.recentTokens(),
                                            d,
                                            config.heads()))
                            : null);
            if (!last) {
                interactions.add(
                        addChildBlock(
                                "interaction_" + l,
                                new InteractionArch(interactionInputs, features, config)));
                sequenceArches.add(
                        sequenceArch
                                ? addChildBlock(
                                        "sequence_" + l,
                                        new SequenceArch(
                                                c,
                                                d,
                                                config.heads(),
                                                config.pffnHidden(),
                                                mode.nonSequenceToSequence()))
                                : null);
            }
        }
        this.classifier =
                addChildBlock(
                        "classifier",
                        Mlp.builder()
                                .setHidden(config.classifierHidden())
                                .optActivation(Mlp.Activation.SWISH)
                                .optOutput(1)
                                .build());
        this.wide =
                config.wide()
                        ? addChildBlock("wide", new HashedEmbedding(spec.embeddingRows(), 1))
                        : null;
    }

    public InterFormerConfig config() {
        return config;
    }

    /** Width of the classifier input: the final non-sequence and sequence summaries, flattened. */
    int classifierInputWidth() {
        int summaryTokens = maskNet != null ? config.sequenceSummaryTokens() : spec.sequenceCount();
        return (config.clsTokens() + summaryTokens) * config.dim();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int d = config.dim();
        Shape token = new Shape(1, 1, d);
        embedding.initialize(manager, dataType, new Shape(1));
        if (dense != null) {
            dense.initialize(manager, dataType, new Shape(1, spec.numericCount()));
        }
        if (maskNet != null) {
            maskNet.initialize(manager, dataType, token);
        }
        for (NonSequenceSummary s : nonSequenceSummaries) {
            if (s != null) {
                s.initialize(manager, dataType, new Shape(1, features, d));
            }
        }
        for (SequenceSummary s : sequenceSummaries) {
            if (s != null) {
                s.initialize(manager, dataType, token, new Shape(1, 1));
            }
        }
        for (InteractionArch a : interactions) {
            a.initialize(manager, dataType, token);
        }
        for (SequenceArch a : sequenceArches) {
            if (a != null) {
                a.initialize(manager, dataType, token, token, new Shape(1, 1));
            }
        }
        classifier.initialize(manager, dataType, new Shape(1, classifierInputWidth()));
        if (wide != null) {
            wide.initialize(manager, dataType, new Shape(1));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        FeatureInputs in = FeatureInputs.of(inputs);
        NDArray cat = in.categorical(); // [B, Fc]
        long b = in.batchSize();
        NDArray x = nonSequenceTokens(ps, in, training); // [B, F, D]
        InterFormerConfig.Mode mode = config.mode();
        NDArray xSum;
        NDArray sSum;
        if (maskNet == null) {
            NDArray pooled =
                    embedding.pooledSequences(ps, in, training); // [B, S, D]: the "sole" ablation
            for (InteractionArch interaction : interactions) {
                x =
                        interaction.apply(
                                ps,
                                NDArrays.concat(new NDList(x, pooled), 1),
                                training); // [B, F, D]
            }
            xSum =
                    nonSequenceSummaries
                            .get(config.layers())
                            .summarize(ps, x, training); // [B, C, D]
            sSum = pooled; // [B, S, D]
        } else {
            NDList merged = mergedSequence(ps, in, training); // [B, L, D], [B, L]
            NDArray summary =
                    mode.nonSequenceToSequence()
                            ? nonSequenceSummaries.get(0).summarize(ps, x, training)
                            : null; // [B, C, D]
            NDArray cls =
                    summary != null
                            ? summary
                            : ps.getValue(learnedCls, cat.getDevice(), training)
                                    .expandDims(0)
                                    .repeat(0, b); // [B, C, D]
            NDArray s = NDArrays.concat(new NDList(cls, merged.get(0)), 1); // [B, C+L, D]
            NDArray mask =
                    NDArrays.concat(
                            new NDList(
                                    cat.getManager().ones(new Shape(b, config.clsTokens())),
                                    merged.get(1)),
                            1); // [B, C+L]
            for (int l = 0; l < config.layers(); l++) {
                if (l > 0 && mode.nonSequenceToSequence()) {
                    summary = nonSequenceSummaries.get(l).summarize(ps, x, training); // [B, C, D]
                }
                NDArray z =
                        mode.sequenceToNonSequence()
                                ? NDArrays.concat(
                                        new NDList(
                                                x,
                                                sequenceSummaries
                                                        .get(l)
                                                        .summarize(ps, s, mask, training)),
                                        1) // [B, F+C+P+R, D]
                                : x; // [B, F, D]
                NDArray nextX = interactions.get(l).apply(ps, z, training); // [B, F, D]
                s = sequenceArches.get(l).apply(ps, summary, s, mask, training); // [B, C+L, D]
                x = nextX;
            }
            xSum =
                    nonSequenceSummaries
                            .get(config.layers())
                            .summarize(ps, x, training); // [B, C, D]
            sSum =
                    sequenceSummaries
                            .get(config.layers())
                            .summarize(ps, s, mask, training); // [B, C+P+R, D]
        }
        NDArray top =
                NDArrays.concat(
                        new NDList(xSum.reshape(b, -1), sSum.reshape(b, -1)),
                        1); // [B, classifier input]
        NDArray logits =
                classifier
                        .forward(ps, new NDList(top), training)
                        .singletonOrThrow()
                        .reshape(b); // [B]
        if (wide != null) {
            logits = logits.add(wide.embed(ps, cat, training).sum(new int[] {1, 2})); // [B]
        }
        return new NDList(logits);
    }

    /** X⁽⁰⁾: categorical tokens, multi-valued bag tokens, one dense token. */
    private NDArray nonSequenceTokens(ParameterStore ps, FeatureInputs in, boolean training) {
        NDList tokens = new NDList();
        tokens.add(embedding.categorical(ps, in, training)); // [B, Fc, D]
        if (spec.multiValuedCount() > 0) {
            tokens.add(embedding.bags(ps, in, training)); // [B, M, D]
        }
        if (dense != null) {
            tokens.add(
                    dense.forward(ps, new NDList(in.numeric()), training)
                            .singletonOrThrow()
                            .expandDims(1)); // [B, 1, D]
        }
        return NDArrays.concat(tokens, 1); // [B, F, D]
    }

    private NDList mergedSequence(ParameterStore ps, FeatureInputs in, boolean training) {
        List<NDArray> values = new ArrayList<>();
        List<NDArray> masks = new ArrayList<>();
        for (int s = 0; s < spec.sequenceCount(); s++) {
            values.add(embedding.sequence(ps, in, s, training)); // [B, L, D]
            masks.add(in.sequenceMask(s)); // [B, L]
        }
        return maskNet.merge(ps, values, masks, training); // [B, L, D], [B, L]
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(FeatureInputs.batchSize(inputShapes))};
    }
}
