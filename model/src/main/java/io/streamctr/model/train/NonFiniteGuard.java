package io.streamctr.model.train;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a non-finite gradient out of a trainer's parameters. A NaN or infinite gradient can come
 * with a finite loss (e.g. the derivative of sqrt at 0), and one such update would turn the
 * parameters into NaN for good; so after the backward pass the trainer asks {@link #nonFinite} (the
 * weights' gradients, of embedding tables over the touched rows, and the α/β gradients while
 * searching) and, if so, {@link #skip}s the step: the gradients are zeroed, and a second pass over
 * the same batch says whether the fault is deterministic (the data or the model) or transient,
 * which the warning reports with every parameter concerned.
 */
final class NonFiniteGuard {

    /** The trainer's log, where skipped steps were always reported. */
    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);

    private final String modelName;
    private final AdamOptimizer weights;
    private final ArchitectureSearchStage searchStage;

    NonFiniteGuard(String modelName, AdamOptimizer weights, ArchitectureSearchStage searchStage) {
        this.modelName = modelName;
        this.weights = weights;
        this.searchStage = searchStage;
    }

    /**
     * Whether a weight gradient (embedding tables: the touched rows) or, while searching, an α/β
     * gradient is not finite.
     */
    boolean nonFinite(TouchedRows touched) {
        return weights.hasNonFiniteGradient(touched) || searchStage.hasNonFiniteGradient();
    }

    /**
     * Skips a step whose gradient is not finite: zeroes the gradients, runs {@code backwardAgain}
     * (forward and backward once more on the same batch, returning its touched rows), zeroes them
     * again and logs what it found.
     *
     * @param skippedSteps the steps skipped so far, this one included
     */
    void skip(
            TouchedRows touched,
            float loss,
            long step,
            long skippedSteps,
            Supplier<TouchedRows> backwardAgain) {
        String report =
                (weights.nonFiniteGradientReport(touched)
                                + " "
                                + searchStage.nonFiniteGradientReport())
                        .strip();
        zeroGradients();
        boolean repeats = nonFinite(backwardAgain.get());
        zeroGradients();
        LOG.warn(
                "model '{}': non-finite gradient with loss {} at step {} ({}); a second pass over"
                        + " the same batch {}; step skipped ({} skipped so far)",
                modelName,
                loss,
                step,
                report,
                repeats ? "gives it again" : "is finite",
                skippedSteps);
    }

    /** Zeroes the weights' gradients and, while searching, the architecture's. */
    void zeroGradients() {
        weights.zeroGradients();
        searchStage.zeroGradients();
    }
}
