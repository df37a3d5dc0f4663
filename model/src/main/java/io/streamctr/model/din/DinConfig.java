package io.streamctr.model.din;

import java.util.List;

/**
 * Configuration of {@link DinModel}.
 *
 * @param dim D, the model's embedding size (its own embedding table)
 * @param attentionHidden hidden units of the local activation unit (DIN paper: 80-40)
 * @param hidden hidden units of the prediction MLP (DIN paper: 200-80)
 * @param wide whether to add a first-order term over the categorical ids (as this project's DNN)
 */
public record DinConfig(
        int dim, List<Integer> attentionHidden, List<Integer> hidden, boolean wide) {

    public DinConfig {
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be > 0, got " + dim);
        }
        attentionHidden = List.copyOf(attentionHidden);
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h <= 0) {
                throw new IllegalArgumentException("hidden units must be > 0, got " + hidden);
            }
        }
    }

    /** The DIN paper's sizes, D = 64 (as InterFormer's default), with the wide term. */
    public static DinConfig defaults() {
        return new DinConfig(64, List.of(80, 40), List.of(200, 80), true);
    }

    /** A tiny configuration for tests. */
    public static DinConfig tiny() {
        return new DinConfig(8, List.of(8), List.of(8), true);
    }
}
