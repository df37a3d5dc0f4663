package io.streamctr.model.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the trainer updates the rows of the embedding tables (the dense parameters always use Adam).
 * Every rule is lazy: only the rows a batch touched are updated, from the gradient of the step's
 * copy of those rows ({@link TouchedRows}).
 *
 * <ul>
 *   <li>{@link #ADAM}: Adam with the global step's bias correction (TensorFlow's LazyAdam);
 *   <li>{@link #ADAGRAD}: per-coordinate AdaGrad (Duchi et al., JMLR 2011), as Wide &amp; Deep
 *       (Cheng et al., DLRS 2016, §3) trained its deep part: n += g², w −= η·g / (√n + ε);
 *   <li>{@link #FTRL}: FTRL-Proximal per coordinate (McMahan et al., KDD 2013, Algorithm 1), as
 *       Wide &amp; Deep trained its wide part, with its z started so that the weight is the
 *       initialization's ({@link FtrlRows}).
 * </ul>
 *
 * <p>AdaGrad and FTRL take the gradient of the batch's summed loss (the mean's times the labelled
 * rows), so their accumulators count per-event gradients as FTRL learning one event at a time does;
 * Adam, scale-invariant, keeps the mean's.
 */
public enum EmbeddingOptimizer {
    ADAM(1e-2f),
    ADAGRAD(5e-2f),
    FTRL(5e-2f);

    private final float defaultLearningRate;

    EmbeddingOptimizer(float defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    /**
     * The embedding learning rate (FTRL's α) the trainer uses with this rule unless told another.
     */
    public float defaultLearningRate() {
        return defaultLearningRate;
    }

    /** The option's spelling: {@code adam}, {@code adagrad} or {@code ftrl}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The rule named {@code name} (case-insensitive: adam, adagrad, ftrl). */
    public static EmbeddingOptimizer parse(String name) {
        for (EmbeddingOptimizer o : values()) {
            if (o.optionName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return o;
            }
        }
        throw new IllegalArgumentException(
                "unknown embedding optimizer '"
                        + name
                        + "'; expected one of "
                        + Arrays.stream(values()).map(EmbeddingOptimizer::optionName).toList());
    }
}
