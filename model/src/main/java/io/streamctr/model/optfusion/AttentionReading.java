package io.streamctr.model.optfusion;

/** The two readings of OptFusion's ATT fusion (see docs/models.md, OptFusion). */
public enum AttentionReading {
    /**
     * The paper's Table 1: one scalar score per input from a scorer shared by the inputs, a_i =
     * softmax_i(w2ᵀ ReLU(W1 x_i + b1)), x' = Σ_i a_i x_i.
     */
    PAPER,
    /**
     * The official code's: input i has its own Linear(d, d)–ReLU–Linear(d, d, no bias) scorer whose
     * output is softmaxed over the d dimensions, x' = Σ_i softmax(MLP_i(x_i)) ⊙ x_i.
     */
    CODE
}
