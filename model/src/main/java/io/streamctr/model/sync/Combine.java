package io.streamctr.model.sync;

/**
 * How the P replicas' values of one {@link StateArray} combine in a synchronisation round. Every
 * replica starts a round from the same agreed values A (those of the last round); replica p ships
 * its values v_p of the rows it changed since ({@link ReplicaDelta}); a row p did not change counts
 * as v_p = A.
 *
 * <ul>
 *   <li>{@link #MEAN}: A + Σ_p (v_p − A) / P, the plain mean of the P replicas' values, untouched
 *       rows counted as unchanged (parameter averaging: Zinkevich et al., NeurIPS 2010; McMahan et
 *       al., AISTATS 2017, FedAvg with equal weights). Chosen over "average over the replicas that
 *       touched the row" because it is the true model average (so a round is the brute-force mean
 *       of the replicas) and keeps a rarely seen row's step size that of one replica scaled by its
 *       share of the data, as a dense parameter's is; the other rule would give rare rows P× the
 *       step of frequent ones. Parameters, Adam's moments (they estimate the mean and mean square
 *       of the gradient, so their mean is again such an estimate) and the base rate's counts (a
 *       rate estimated on each replica's share of the stream) use it.
 *   <li>{@link #SUM}: A + Σ_p (v_p − A), each replica's increment added: for accumulators that
 *       count disjoint events — AdaGrad's and FTRL's squared-gradient sums n, FTRL's z (a sum of
 *       per-event terms g − σ·w), target-statistics counts and the training step — the combined
 *       accumulator is what one learner that saw every replica's events would hold (with the
 *       gradients taken at stale weights). Averaging them instead would shrink n by P and so raise
 *       the per-coordinate learning rate √P-fold at every round.
 *   <li>{@link #MAX}: the largest of A and the v_p: for time stamps (a target-statistics slot's
 *       last update).
 * </ul>
 */
public enum Combine {
    MEAN,
    SUM,
    MAX
}
