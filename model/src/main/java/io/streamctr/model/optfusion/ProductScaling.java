package io.streamctr.model.optfusion;

/**
 * How OptFusion's PROD fusion scales its Hadamard product of k inputs.
 *
 * <p>The raw product is homogeneous of degree k in its inputs' scale: k inputs of RMS s give an
 * output of RMS about s^k, while ADD, CONCAT and ATT give about s. With OptFusion's inputs at the
 * embedding scale (s ≈ 10⁻² at the start), PROD over the output block's 8 inputs is ≈ 10⁻¹⁰. In the
 * search, softmax(β) then mixes a PROD term of almost zero, so β_PROD acts as a down-scaling of the
 * other three operations rather than a measure of the product; a Hard model that keeps PROD alone
 * loses its signal and its gradients (the collapse in docs/evaluation.md).
 */
public enum ProductScaling {
    /** x' = x_1 ⊙ … ⊙ x_k, as the paper's Table 1 and the official code (degree k). */
    NONE,
    /**
     * x' = p / rms(p) · (r_1 ⋯ r_k)^{1/k} with p = x_1/r_1 ⊙ … ⊙ x_k/r_k, r_i the RMS of input i
     * over its d values, rms(p) that of p (per example, no parameters): the Hadamard product's
     * direction at the inputs' geometric-mean RMS, so it is of degree 1 like the other three
     * operations and neither vanishes nor explodes with many (or correlated) inputs. One input is
     * passed unchanged. The default.
     */
    RMS
}
