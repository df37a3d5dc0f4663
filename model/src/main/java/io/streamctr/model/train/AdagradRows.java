package io.streamctr.model.train;

import ai.djl.ndarray.NDArray;

/**
 * The AdaGrad update of some rows of an embedding table (Duchi, Hazan and Singer, JMLR 2011, the
 * diagonal form; Wide &amp; Deep's deep part, Cheng et al., DLRS 2016, §3): per coordinate n += g²,
 * w −= η·g / (√n + ε). With L2 > 0 the gradient is g + L2·w.
 *
 * <p>Shapes: w, g, n [U, D] (U the touched rows).
 */
final class AdagradRows {

    private AdagradRows() {}

    /**
     * Updates the accumulator {@code n} in place and returns the new rows (a new array).
     *
     * @param w the rows' current weights [U, D]
     * @param g their gradient (of the batch's summed loss) [U, D]
     * @param n their squared-gradient sums [U, D], updated in place
     */
    static NDArray step(
            NDArray w, NDArray g, NDArray n, float learningRate, float l2, float epsilon) {
        NDArray gradient = l2 > 0 ? g.add(w.mul(l2)) : g;
        n.addi(gradient.square());
        return w.sub(gradient.mul(learningRate).divi(n.sqrt().addi(epsilon)));
    }
}
