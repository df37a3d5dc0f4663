package io.streamctr.model.dnn;

import java.util.List;

/**
 * Configuration of {@link DnnModel}.
 *
 * @param hidden units of each hidden layer of the MLP
 * @param wide whether to add a first-order (logistic-regression) term over the categorical ids,
 *     which learns fast from few events, as online learning needs
 */
public record DnnConfig(List<Integer> hidden, boolean wide) {

    public DnnConfig {
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h <= 0) {
                throw new IllegalArgumentException("hidden units must be > 0, got " + hidden);
            }
        }
    }

    /** 256-128 ReLU MLP with the wide term. */
    public static DnnConfig defaults() {
        return new DnnConfig(List.of(256, 128), true);
    }

    /** A tiny configuration for tests. */
    public static DnnConfig tiny() {
        return new DnnConfig(List.of(8), true);
    }
}
