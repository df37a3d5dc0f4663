package io.streamctr.model.train;

import ai.djl.ndarray.NDArray;

/**
 * The AdaGrad update of some rows of an embedding table (Duchi, Hazan and Singer, JMLR 2011, the
 * diagonal form; Wide &amp; Deep's deep part, Cheng et al., DLRS 2016, §3): per coordinate n += g²,
 * w −= η·g / (√n + ε). With L2 > 0 the gradient is g + L2·w. A batch adds to n the squares of its
 * events' own gradients (as the rule learning one event at a time would), not the square of their
 * sum, which would make a row that many events of a burst share learn as slowly as a row seen once.
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
     * @param squares the sum over the batch's events of each event's squared gradient [U, D] (g²
     *     when the batch is taken as one event); with L2 the accumulator adds squares + 2·L2·w·g +
     *     (L2·w)², the square of g + L2·w when squares = g²
     * @param n their squared-gradient sums [U, D], updated in place
     */
    static NDArray step(
            NDArray w,
            NDArray g,
            NDArray squares,
            NDArray n,
            float learningRate,
            float l2,
            float epsilon) {
        NDArray gradient = l2 > 0 ? g.add(w.mul(l2)) : g;
        n.addi(l2 > 0 ? squares.add(w.mul(2 * l2).muli(g)).addi(w.mul(l2).square()) : squares);
        return w.sub(gradient.mul(learningRate).divi(n.sqrt().addi(epsilon)));
    }
}
