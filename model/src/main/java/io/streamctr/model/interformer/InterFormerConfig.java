package io.streamctr.model.interformer;

import java.util.List;

/**
 * Configuration of {@link InterFormerModel}. Defaults follow the paper's appendix B.2 where it
 * gives a value (4 CLS, 2 PMA, 2 recent tokens; DHEN of DOT + DCN with low rank 32; Swish;
 * classifier 1024-512-256-128) and docs/models.md otherwise (D = 64, 4 heads, 3 layers).
 *
 * @param dim D, the model's embedding size (its own embedding table; not the spec's D)
 * @param layers stacked InterFormer layers
 * @param heads attention heads of the Sequence Arch and of PMA
 * @param clsTokens CLS tokens = tokens of the non-sequence summary (LCE output)
 * @param pmaTokens PMA seed queries in the sequence summary
 * @param recentTokens most recent sequence tokens in the sequence summary
 * @param interaction the Interaction Arch's module
 * @param crossLayers cross layers of the DCNv2 module (alone or inside DHEN)
 * @param crossRank low rank of the cross layers (0 = full rank)
 * @param interactionHidden hidden units of the Interaction Arch MLP (back to the token shape)
 * @param pffnHidden hidden units of the PFFN's weight-generating MLP
 * @param maskNetReduction MaskNet's hidden width as a multiple of its input width
 * @param classifierHidden hidden units of the classifier MLP
 * @param mode which arches exchange information (paper Figure 2)
 * @param wide whether to add a first-order term over the categorical ids (not in the paper; as in
 *     this project's DNN, it learns fast from few events, which online learning needs)
 */
public record InterFormerConfig(
        int dim,
        int layers,
        int heads,
        int clsTokens,
        int pmaTokens,
        int recentTokens,
        Interaction interaction,
        int crossLayers,
        int crossRank,
        List<Integer> interactionHidden,
        List<Integer> pffnHidden,
        int maskNetReduction,
        List<Integer> classifierHidden,
        Mode mode,
        boolean wide) {

    /** The Interaction Arch's module (paper section 3.2). */
    public enum Interaction {
        DOT,
        DCNV2,
        DHEN
    }

    /**
     * Information exchange between the arches (paper Figure 2): {@code SOLE} no Sequence Arch, the
     * sequences mean-pooled into the interaction; {@code SEP} both arches, no exchange; {@code N2S}
     * non-sequence → sequence only (PFFN and CLS tokens); {@code S2N} sequence → non-sequence only
     * (the sequence summary in the interaction); {@code INT} both directions.
     */
    public enum Mode {
        SOLE,
        SEP,
        N2S,
        S2N,
        INT;

        /** The non-sequence summary personalizes the Sequence Arch (PFFN weight, CLS tokens). */
        public boolean nonSequenceToSequence() {
            return this == N2S || this == INT;
        }

        /** The sequence summary enters the Interaction Arch. */
        public boolean sequenceToNonSequence() {
            return this == S2N || this == INT;
        }
    }

    public InterFormerConfig {
        positive("dim", dim);
        positive("layers", layers);
        positive("heads", heads);
        positive("clsTokens", clsTokens);
        positive("pmaTokens", pmaTokens);
        positive("recentTokens", recentTokens);
        positive("crossLayers", crossLayers);
        positive("maskNetReduction", maskNetReduction);
        if (crossRank < 0) {
            throw new IllegalArgumentException(
                    "crossRank must be >= 0 (0 = full rank), got " + crossRank);
        }
        if (dim % heads != 0 || (dim / heads) % 2 != 0) {
            throw new IllegalArgumentException(
                    "dim / heads must be an even integer (rotary embeddings), got dim "
                            + dim
                            + ", heads "
                            + heads);
        }
        if (interaction == null || mode == null) {
            throw new IllegalArgumentException(
                    "interaction and mode are required, got " + interaction + ", " + mode);
        }
        interactionHidden = List.copyOf(interactionHidden);
        pffnHidden = List.copyOf(pffnHidden);
        classifierHidden = List.copyOf(classifierHidden);
    }

    /** The paper's configuration (appendix B.2, docs/models.md), plus the wide term. */
    public static InterFormerConfig defaults() {
        return new InterFormerConfig(
                64,
                3,
                4,
                4,
                2,
                2,
                Interaction.DHEN,
                2,
                32,
                List.of(512),
                List.of(),
                2,
                List.of(1024, 512, 256, 128),
                Mode.INT,
                true);
    }

    /** A tiny configuration for tests and smoke runs. */
    public static InterFormerConfig tiny() {
        return new InterFormerConfig(
                8,
                2,
                2,
                2,
                1,
                1,
                Interaction.DHEN,
                1,
                4,
                List.of(16),
                List.of(),
                1,
                List.of(16),
                Mode.INT,
                true);
    }

    public InterFormerConfig withMode(Mode newMode) {
        return new InterFormerConfig(
                dim,
                layers,
                heads,
                clsTokens,
                pmaTokens,
                recentTokens,
                interaction,
                crossLayers,
                crossRank,
                interactionHidden,
                pffnHidden,
                maskNetReduction,
                classifierHidden,
                newMode,
                wide);
    }

    public InterFormerConfig withInteraction(Interaction newInteraction) {
        return new InterFormerConfig(
                dim,
                layers,
                heads,
                clsTokens,
                pmaTokens,
                recentTokens,
                newInteraction,
                crossLayers,
                crossRank,
                interactionHidden,
                pffnHidden,
                maskNetReduction,
                classifierHidden,
                mode,
                wide);
    }

    public InterFormerConfig withWide(boolean newWide) {
        return new InterFormerConfig(
                dim,
                layers,
                heads,
                clsTokens,
                pmaTokens,
                recentTokens,
                interaction,
                crossLayers,
                crossRank,
                interactionHidden,
                pffnHidden,
                maskNetReduction,
                classifierHidden,
                mode,
                newWide);
    }

    /** Tokens of the sequence summary: CLS ‖ PMA ‖ recent. */
    public int sequenceSummaryTokens() {
        return clsTokens + pmaTokens + recentTokens;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
