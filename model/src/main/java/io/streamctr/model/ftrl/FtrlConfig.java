package io.streamctr.model.ftrl;

/**
 * Settings of the FTRL-Proximal learner (McMahan et al., KDD 2013, Algorithm 1): the per-coordinate
 * learning-rate schedule α / (β + √n), the L1 and L2 strengths, the size of the hashed coordinate
 * space and whether the crosses of {@link FtrlFeatures} are added.
 *
 * @param alpha α, the learning-rate scale (> 0)
 * @param beta β, the learning-rate smoothing (>= 0)
 * @param l1 λ1, L1 strength (>= 0); coordinates with |z| <= λ1 have weight 0
 * @param l2 λ2, L2 strength (>= 0)
 * @param bits log2 of the hashed coordinates, 1..30 (the bias is kept apart)
 * @param crosses whether the user × side value crosses are features
 */
public record FtrlConfig(
        double alpha, double beta, double l1, double l2, int bits, boolean crosses) {

    /** log2 of the coordinates by default: 2^22, as the anchor. */
    public static final int DEFAULT_BITS = 22;

    public FtrlConfig {
        require(alpha > 0 && Double.isFinite(alpha), "alpha must be finite and > 0, got " + alpha);
        require(beta >= 0 && Double.isFinite(beta), "beta must be finite and >= 0, got " + beta);
        require(l1 >= 0 && Double.isFinite(l1), "l1 must be finite and >= 0, got " + l1);
        require(l2 >= 0 && Double.isFinite(l2), "l2 must be finite and >= 0, got " + l2);
        require(bits >= 1 && bits <= 30, "bits must be in [1, 30], got " + bits);
    }

    /** The anchor's settings: α 0.05, β 1, λ1 0, λ2 1, 2^22 coordinates, crosses on. */
    public static FtrlConfig defaults() {
        return new FtrlConfig(0.05, 1.0, 0.0, 1.0, DEFAULT_BITS, true);
    }

    /** The number of hashed coordinates, 2^bits. */
    public int coordinates() {
        return 1 << bits;
    }

    /** This config with {@code bits} instead. */
    public FtrlConfig withBits(int bits) {
        return new FtrlConfig(alpha, beta, l1, l2, bits, crosses);
    }

    /** This config with the crosses on or off. */
    public FtrlConfig withCrosses(boolean crosses) {
        return new FtrlConfig(alpha, beta, l1, l2, bits, crosses);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
