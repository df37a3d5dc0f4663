package io.streamctr.model.optfusion;

/** OptFusion's candidate fusion operations (paper Table 1), in the order of β's columns. */
public enum FusionOp {
    /** Element-wise sum of the inputs. */
    ADD,
    /** Element-wise (Hadamard) product of the inputs. */
    PROD,
    /** Linear(k·d → d) on the concatenated inputs. */
    CONCAT,
    /** Attention-weighted sum of the inputs; see {@link AttentionReading}. */
    ATT
}
