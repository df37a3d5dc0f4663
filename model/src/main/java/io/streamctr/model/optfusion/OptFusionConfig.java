package io.streamctr.model.optfusion;

import io.streamctr.model.train.SearchSchedule;

/**
 * Configuration of {@link OptFusionModel} (immutable).
 *
 * @param blocks n, the cross blocks and the deep blocks (the paper: 3)
 * @param auxiliaryCross whether the auxiliary cross block S0 is in the search space (the paper's
 *     Sec. 4.1.4 and the code: yes)
 * @param attention the reading of ATT
 * @param variant how the retrain stage uses β: Soft (softmax mix) or Hard (argmax only)
 * @param search the search stage on the stream: events, architecture learning rate, warm start
 * @param product how PROD scales its product (default {@link ProductScaling#RMS}; NONE is the
 *     paper's raw product, whose output vanishes over many inputs)
 */
public record OptFusionConfig(
        int blocks,
        boolean auxiliaryCross,
        AttentionReading attention,
        Variant variant,
        SearchSchedule search,
        ProductScaling product)
        implements java.io.Serializable {

    /** OptFusion-Soft or OptFusion-Hard (paper Sec. 3.4.2). */
    public enum Variant {
        SOFT,
        HARD
    }

    public OptFusionConfig {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks (n) must be >= 1, got " + blocks);
        }
        java.util.Objects.requireNonNull(attention, "attention");
        java.util.Objects.requireNonNull(variant, "variant");
        java.util.Objects.requireNonNull(search, "search");
        java.util.Objects.requireNonNull(product, "product");
    }

    /** A configuration whose PROD is {@link ProductScaling#RMS}. */
    public OptFusionConfig(
            int blocks,
            boolean auxiliaryCross,
            AttentionReading attention,
            Variant variant,
            SearchSchedule search) {
        this(blocks, auxiliaryCross, attention, variant, search, ProductScaling.RMS);
    }

    /**
     * n = 3 with S0, the paper's ATT; search for the first 20,000 labelled events with an
     * architecture learning rate of 0.01, then warm-start the retrain stage.
     */
    public static OptFusionConfig defaults(Variant variant) {
        return new OptFusionConfig(
                3, true, AttentionReading.PAPER, variant, new SearchSchedule(20_000, 0.01f, true));
    }

    /** n = 2, a 512-event search with a faster architecture learning rate: for tests. */
    public static OptFusionConfig tiny(Variant variant) {
        return new OptFusionConfig(
                2, true, AttentionReading.PAPER, variant, new SearchSchedule(512, 0.05f, true));
    }

    public OptFusionConfig withSearch(SearchSchedule newSearch) {
        return new OptFusionConfig(blocks, auxiliaryCross, attention, variant, newSearch, product);
    }

    public OptFusionConfig withAttention(AttentionReading reading) {
        return new OptFusionConfig(blocks, auxiliaryCross, reading, variant, search, product);
    }

    public OptFusionConfig withProduct(ProductScaling scaling) {
        return new OptFusionConfig(blocks, auxiliaryCross, attention, variant, search, scaling);
    }
}
