/**
 * Analytic FLOP counts of the models' training steps and the machine's matrix-multiply rate, so a
 * benchmark can say what fraction of the hardware a training step uses.
 *
 * <h2>Counting rules</h2>
 *
 * <ul>
 *   <li>Only matrix-multiply-like operations are counted: Linear layers, batched products
 *       (attention scores and contexts, the PFFN's S·W, LCE's W·X, the DOT Gram matrix), and the
 *       products the code uses to select entries (DOT's upper triangle, the recent tokens): these
 *       run as real GEMMs, so they are counted as executed. A product [m, k] × [k, n] is 2·m·k·n
 *       FLOPs (a multiply and an add per term).
 *   <li>Element-wise work is not counted: activations, bias adds, masks, softmax, layer norm,
 *       rotary embeddings, gates, ADD/PROD fusion, pooling, the loss, and the optimizer (Adam is a
 *       few element-wise passes over every parameter it updates). Embedding lookups and their
 *       gradient scatter move memory and do no arithmetic worth counting. These show up as time,
 *       not FLOPs, so a model heavy in them reaches a lower fraction of the matmul rate.
 *   <li>Backward: a product whose two operands both need a gradient costs two products of the same
 *       size (dA = dC·Bᵀ, dB = Aᵀ·dC), so a training step is 3× the forward for it; a product with
 *       a constant operand (a selection matrix, the raw numeric input of a Linear) costs one.
 *   <li>Shapes are the ones the code runs: padded sequence positions are computed (and masked
 *       afterwards), so they count; blocks and operations the code skips (OptFusion's dead blocks
 *       and zero-weight operations after the freeze) do not.
 *   <li>A training step is one forward and one backward over the whole batch; a prediction (the
 *       learner scores every batch before training on it) is one more forward.
 * </ul>
 */
package io.streamctr.bench.perf;
