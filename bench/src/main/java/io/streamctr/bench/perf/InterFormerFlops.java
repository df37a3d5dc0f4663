package io.streamctr.bench.perf;

import io.streamctr.model.blocks.DotInteraction;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.interformer.InterFormerConfig;

/**
 * The FLOP count of {@link io.streamctr.model.interformer.InterFormerModel} on a batch, read from
 * its config and the feature spec, following the model's forward pass block by block (every
 * ablation mode). Sequence tokens are counted at the full padded length T = C + L: the model
 * computes padded positions and masks them afterwards.
 *
 * <p>Shapes used (B = batch, F = non-sequence tokens, C = CLS, P = PMA seeds, R = recent tokens, L
 * = sequence length, S = sequences, D = the model's dim): MaskNet on B·L tokens; per layer the
 * Interaction Arch on n = F (+ C + P + R with the sequence → non-sequence flow) tokens, the
 * Sequence Arch (PFFN + self-attention) on T tokens; the summaries; the classifier on (C + C + P +
 * R)·D inputs.
 */
public final class InterFormerFlops {

    private InterFormerFlops() {}

    public static FlopCount count(InterFormerConfig config, FeatureSpec spec, long batch) {
        FlopCount.Builder b = FlopCount.builder();
        InterFormerConfig.Mode mode = config.mode();
        boolean sequenceArch = mode != InterFormerConfig.Mode.SOLE;
        int d = config.dim();
        int c = config.clsTokens();
        int features =
                spec.categoricalCount()
                        + spec.multiValuedCount()
                        + (spec.numericCount() > 0 ? 1 : 0);
        long length = spec.sequenceLength();
        long tokens = c + length;
        if (spec.numericCount() > 0) {
            b.linearOnConstantInput("dense", batch, spec.numericCount(), d);
        }
        int summaryTokens;
        if (!sequenceArch) {
            summaryTokens = spec.sequenceCount();
            for (int l = 0; l < config.layers(); l++) {
                b.push("layer" + l);
                interaction(b, config, batch, features + summaryTokens, features);
                b.pop();
            }
            b.push("layer" + config.layers());
            nonSequenceSummary(b, config, batch, features);
            b.pop();
        } else {
            summaryTokens = config.sequenceSummaryTokens();
            BlockFlops.maskNet(
                    b,
                    "masknet",
                    batch * length,
                    spec.sequenceCount(),
                    d,
                    config.maskNetReduction());
            int interactionInputs = features + (mode.sequenceToNonSequence() ? summaryTokens : 0);
            for (int l = 0; l < config.layers(); l++) {
                b.push("layer" + l);
                if (mode.nonSequenceToSequence()) {
                    nonSequenceSummary(b, config, batch, features);
                }
                if (mode.sequenceToNonSequence()) {
                    sequenceSummary(b, config, batch, tokens, length);
                }
                interaction(b, config, batch, interactionInputs, features);
                sequenceLayer(b, config, batch, tokens, mode.nonSequenceToSequence());
                b.pop();
            }
            b.push("layer" + config.layers());
            nonSequenceSummary(b, config, batch, features);
            sequenceSummary(b, config, batch, tokens, length);
            b.pop();
        }
        BlockFlops.mlp(
                b,
                "classifier",
                batch,
                (long) (c + summaryTokens) * d,
                config.classifierHidden(),
                1);
        return b.build();
    }

    /** NonSequenceSummary: LCE (F → C tokens) + self-gating. */
    private static void nonSequenceSummary(
            FlopCount.Builder b, InterFormerConfig config, long batch, int features) {
        b.push("nonseq_summary");
        BlockFlops.linearCompression(b, "lce", batch, features, config.clsTokens(), config.dim());
        BlockFlops.selfGating(b, "gating", batch, config.clsTokens(), config.dim());
        b.pop();
    }

    /**
     * SequenceSummary: PMA over all T tokens, the R most recent of the L behaviour tokens,
     * self-gating.
     */
    private static void sequenceSummary(
            FlopCount.Builder b, InterFormerConfig config, long batch, long tokens, long length) {
        b.push("seq_summary");
        BlockFlops.poolingByAttention(
                b, "pma", batch, config.pmaTokens(), tokens, config.dim(), config.heads());
        BlockFlops.recentTokens(b, "recent", batch, config.recentTokens(), length, config.dim());
        BlockFlops.selfGating(b, "gating", batch, config.sequenceSummaryTokens(), config.dim());
        b.pop();
    }

    /** InteractionArch: the module on n tokens, then the MLP back to F tokens. */
    private static void interaction(
            FlopCount.Builder b, InterFormerConfig config, long batch, int inputs, int outputs) {
        int d = config.dim();
        long width = (long) inputs * d;
        b.push("interaction");
        long featureWidth = width;
        switch (config.interaction()) {
            case DOT -> {
                BlockFlops.dotInteraction(b, "dot", batch, inputs, d);
                featureWidth = width + DotInteraction.pairs(inputs);
            }
            case DCNV2 ->
                    BlockFlops.crossNetV2(
                            b, "dcnv2", batch, width, config.crossLayers(), config.crossRank());
            case DHEN ->
                    BlockFlops.dhen(
                            b,
                            "dhen",
                            batch,
                            inputs,
                            d,
                            config.crossLayers(),
                            config.crossRank(),
                            config.interactionHidden());
            default ->
                    throw new IllegalStateException("unknown interaction " + config.interaction());
        }
        BlockFlops.mlp(
                b, "mlp", batch, featureWidth, config.interactionHidden(), (long) outputs * d);
        b.pop();
    }

    /**
     * SequenceArch: PFFN (weight MLP when personalized, then S·W on every token), self-attention
     * over T tokens.
     */
    private static void sequenceLayer(
            FlopCount.Builder b,
            InterFormerConfig config,
            long batch,
            long tokens,
            boolean personalized) {
        int d = config.dim();
        b.push("sequence");
        b.push("pffn");
        if (personalized) {
            BlockFlops.mlp(
                    b,
                    "weight_mlp",
                    batch,
                    (long) config.clsTokens() * d,
                    config.pffnHidden(),
                    (long) d * d);
        }
        b.matmul("apply", batch, tokens, d, d);
        b.pop();
        BlockFlops.multiHeadAttention(b, "attention", batch, tokens, tokens, d, config.heads());
        b.pop();
    }
}
