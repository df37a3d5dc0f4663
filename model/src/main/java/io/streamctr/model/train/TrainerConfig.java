package io.streamctr.model.train;

/**
 * Hyper-parameters of the online trainer: Adam on the dense parameters, an {@link
 * EmbeddingOptimizer} on the embedding tables, each with its own learning rate and L2 (as the
 * OptFusion code does), and the running base rate added to the output ({@link BaseRate}).
 *
 * @param learningRate Adam step size of the dense (non-embedding) parameters
 * @param embeddingLearningRate step size of the embedding tables' rule (FTRL's α)
 * @param l2 L2 penalty coefficient of the dense parameters (added to the gradient)
 * @param embeddingL2 L2 penalty coefficient of the embedding tables (added to the gradient; not
 *     FTRL's, whose λ2 is its own, {@link FtrlRows#L2})
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's (and AdaGrad's) denominator guard
 * @param seed seed of the parameter initialization
 * @param embeddingOptimizer the embedding tables' update rule
 * @param baseRateHalfLife half-life in events of the running click rate whose logit is added to the
 *     model's output; 0 for none
 * @param perEventSquares whether AdaGrad and FTRL add to a row's accumulator the squares of each
 *     event's own gradient of it (as FTRL learning one event at a time does) instead of the square
 *     of the batch's summed gradient; costs a copy of each row per event that uses it
 */
public record TrainerConfig(
        float learningRate,
        float embeddingLearningRate,
        float l2,
        float embeddingL2,
        float beta1,
        float beta2,
        float epsilon,
        long seed,
        EmbeddingOptimizer embeddingOptimizer,
        int baseRateHalfLife,
        boolean perEventSquares)
        implements java.io.Serializable {

    /** The embedding rule of {@link #defaults()}. */
    public static final EmbeddingOptimizer DEFAULT_EMBEDDING_OPTIMIZER = EmbeddingOptimizer.ADAGRAD;

    /** The base rate's half-life in {@link #defaults()}, in events (0: none). */
    public static final int DEFAULT_BASE_RATE_HALF_LIFE = 10_000;

    public TrainerConfig {
        if (!(learningRate > 0) || !(embeddingLearningRate > 0)) {
            throw new IllegalArgumentException(
                    "learning rates must be > 0, got "
                            + learningRate
                            + " and "
                            + embeddingLearningRate);
        }
        if (l2 < 0 || embeddingL2 < 0) {
            throw new IllegalArgumentException(
                    "L2 coefficients must be >= 0, got " + l2 + " and " + embeddingL2);
        }
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(
                    "Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (embeddingOptimizer == null) {
            throw new IllegalArgumentException("embedding optimizer must not be null");
        }
        if (baseRateHalfLife < 0) {
            throw new IllegalArgumentException(
                    "base-rate half-life must be >= 0 events (0: none), got " + baseRateHalfLife);
        }
    }

    /** Adam on everything, no base rate: the trainer's rule before the embedding rules existed. */
    public TrainerConfig(
            float learningRate,
            float embeddingLearningRate,
            float l2,
            float embeddingL2,
            float beta1,
            float beta2,
            float epsilon,
            long seed) {
        this(
                learningRate,
                embeddingLearningRate,
                l2,
                embeddingL2,
                beta1,
                beta2,
                epsilon,
                seed,
                EmbeddingOptimizer.ADAM,
                0,
                false);
    }

    /**
     * Dense Adam at 5e-4, the default embedding rule at its default rate, the default base rate.
     * 5e-4 rather than Adam's usual 1e-3: with the freshness levers it was as good or better for
     * all six deep models on all four dev streams and kept every iPinYou NE below FTRL's
     * (docs/freshness.md, "The dense learning rate").
     */
    public static TrainerConfig defaults() {
        return new TrainerConfig(
                5e-4f,
                DEFAULT_EMBEDDING_OPTIMIZER.defaultLearningRate(),
                0f,
                0f,
                0.9f,
                0.999f,
                1e-8f,
                42L,
                DEFAULT_EMBEDDING_OPTIMIZER,
                DEFAULT_BASE_RATE_HALF_LIFE,
                false);
    }

    /**
     * The trainer as it was before the embedding rules and the base rate: Adam everywhere (1e-3,
     * 1e-2), no offset.
     */
    public static TrainerConfig adam() {
        return new TrainerConfig(1e-3f, 1e-2f, 0f, 0f, 0.9f, 0.999f, 1e-8f, 42L);
    }

    public TrainerConfig withLearningRates(float dense, float embedding) {
        return new TrainerConfig(
                dense,
                embedding,
                l2,
                embeddingL2,
                beta1,
                beta2,
                epsilon,
                seed,
                embeddingOptimizer,
                baseRateHalfLife,
                perEventSquares);
    }

    public TrainerConfig withSeed(long newSeed) {
        return new TrainerConfig(
                learningRate,
                embeddingLearningRate,
                l2,
                embeddingL2,
                beta1,
                beta2,
                epsilon,
                newSeed,
                embeddingOptimizer,
                baseRateHalfLife,
                perEventSquares);
    }

    /**
     * This config with another embedding rule, at that rule's {@link
     * EmbeddingOptimizer#defaultLearningRate()} (set another with {@link #withLearningRates} after
     * this).
     */
    public TrainerConfig withEmbeddingOptimizer(EmbeddingOptimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("embedding optimizer must not be null");
        }
        return new TrainerConfig(
                learningRate,
                optimizer.defaultLearningRate(),
                l2,
                embeddingL2,
                beta1,
                beta2,
                epsilon,
                seed,
                optimizer,
                baseRateHalfLife,
                perEventSquares);
    }

    /** This config with the base rate's half-life (events; 0 for no base-rate offset). */
    public TrainerConfig withBaseRateHalfLife(int halfLife) {
        return new TrainerConfig(
                learningRate,
                embeddingLearningRate,
                l2,
                embeddingL2,
                beta1,
                beta2,
                epsilon,
                seed,
                embeddingOptimizer,
                halfLife,
                perEventSquares);
    }

    /**
     * This config with AdaGrad's and FTRL's accumulators adding each event's squared gradient (or
     * the square of the batch's summed gradient).
     */
    public TrainerConfig withPerEventSquares(boolean perEvent) {
        return new TrainerConfig(
                learningRate,
                embeddingLearningRate,
                l2,
                embeddingL2,
                beta1,
                beta2,
                epsilon,
                seed,
                embeddingOptimizer,
                baseRateHalfLife,
                perEvent);
    }
}
