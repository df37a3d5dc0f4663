package io.streamctr.model.train;

/**
 * Hyper-parameters of the online trainer: Adam with a separate learning rate and L2 for the
 * embedding tables and for the rest (as the OptFusion code does).
 *
 * @param learningRate Adam step size of the dense (non-embedding) parameters
 * @param embeddingLearningRate Adam step size of the embedding tables
 * @param l2 L2 penalty coefficient of the dense parameters (added to the gradient)
 * @param embeddingL2 L2 penalty coefficient of the embedding tables
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's denominator guard
 * @param seed seed of the parameter initialization
 */
public record TrainerConfig(
        float learningRate,
        float embeddingLearningRate,
        float l2,
        float embeddingL2,
        float beta1,
        float beta2,
        float epsilon,
        long seed) implements java.io.Serializable {

    public TrainerConfig {
        if (!(learningRate > 0) || !(embeddingLearningRate > 0)) {
            throw new IllegalArgumentException("learning rates must be > 0, got " + learningRate + " and " + embeddingLearningRate);
        }
        if (l2 < 0 || embeddingL2 < 0) {
            throw new IllegalArgumentException("L2 coefficients must be >= 0, got " + l2 + " and " + embeddingL2);
        }
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
    }

    public static TrainerConfig defaults() {
        return new TrainerConfig(1e-3f, 1e-2f, 0f, 0f, 0.9f, 0.999f, 1e-8f, 42L);
    }

    public TrainerConfig withLearningRates(float dense, float embedding) {
        return new TrainerConfig(dense, embedding, l2, embeddingL2, beta1, beta2, epsilon, seed);
    }

    public TrainerConfig withSeed(long newSeed) {
        return new TrainerConfig(learningRate, embeddingLearningRate, l2, embeddingL2, beta1, beta2, epsilon, newSeed);
    }
}
