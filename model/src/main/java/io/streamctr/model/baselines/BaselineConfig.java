package io.streamctr.model.baselines;

/**
 * Configuration shared by the baselines (immutable).
 *
 * @param layers cross layers and hidden layers of the deep tower (the paper: 3)
 * @param width units of each hidden layer; 0 means d = nf·D, the flattened embedding width, as the
 *     paper does after EDCN ("three-layer MLP with dim_emb × num_field neurons")
 */
public record BaselineConfig(int layers, int width) implements java.io.Serializable {

    public BaselineConfig {
        if (layers < 1) {
            throw new IllegalArgumentException("layers must be >= 1, got " + layers);
        }
        if (width < 0) {
            throw new IllegalArgumentException("width must be >= 0 (0 = d), got " + width);
        }
    }

    /** Three layers of width d (the paper's setting). */
    public static BaselineConfig defaults() {
        return new BaselineConfig(3, 0);
    }

    /** One layer of width 8: for tests. */
    public static BaselineConfig tiny() {
        return new BaselineConfig(1, 8);
    }

    /** The hidden width for a flattened embedding of width d. */
    public int widthFor(int d) {
        return width == 0 ? d : width;
    }
}
