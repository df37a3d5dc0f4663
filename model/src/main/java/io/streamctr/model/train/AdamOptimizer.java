package io.streamctr.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) written with NDArray operations so that its moments are ordinary
 * arrays that can be checkpointed with the parameters (DJL's built-in Adam keeps them private).
 * Embedding tables and the other parameters have their own learning rate and L2, and the tables
 * their own rule ({@link EmbeddingOptimizer}): Adam, AdaGrad ({@link AdagradRows}) or FTRL ({@link
 * FtrlRows}). Each parameter has two state arrays of its shape, the "moments": Adam's first and
 * second moments; AdaGrad's (unused, zero) and its squared-gradient sum; FTRL's z and n.
 *
 * <p>Call {@link #update(long)} with gradient mode off: it updates the parameters in place and
 * zeroes their gradients. The moments live in the long-lived manager given at construction, never
 * in a per-batch scope.
 */
final class AdamOptimizer {

    private final List<Parameter> parameters;
    private final boolean[] isEmbedding;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final TrainerConfig config;
    private final NDManager manager;

    AdamOptimizer(
            List<Parameter> parameters,
            boolean[] isEmbedding,
            TrainerConfig config,
            NDManager manager) {
        this.parameters = parameters;
        this.isEmbedding = isEmbedding;
        this.config = config;
        this.manager = manager;
        zeroMoments();
    }

    /**
     * Closes the moments and starts again from zero ones, as a new optimizer would (weights
     * re-initialized).
     */
    void resetMoments() {
        firstMoments.forEach(NDArray::close);
        secondMoments.forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        zeroMoments();
    }

    private void zeroMoments() {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray array = parameters.get(i).getArray();
            firstMoments.add(
                    manager.zeros(array.getShape(), array.getDataType(), array.getDevice()));
            secondMoments.add(
                    manager.zeros(array.getShape(), array.getDataType(), array.getDevice()));
            startEmbeddingState(i);
        }
    }

    /**
     * The embedding rule's state of a table, where it is not zero: FTRL's z for the table's current
     * weights.
     */
    private void startEmbeddingState(int i) {
        if (isEmbedding[i] && config.embeddingOptimizer() == EmbeddingOptimizer.FTRL) {
            try (NDArray z =
                    FtrlRows.initialZ(
                            parameters.get(i).getArray(), config.embeddingLearningRate())) {
                firstMoments.get(i).set(z.toFloatArray());
            }
        }
    }

    /**
     * Starts the embedding tables' state afresh for their current weights, as this rule would at
     * construction (the dense parameters' Adam moments are kept): after a restore of a snapshot
     * that another embedding rule wrote, whose state means something else.
     */
    void restartEmbeddingState() {
        for (int i = 0; i < parameters.size(); i++) {
            if (isEmbedding[i]) {
                firstMoments.get(i).set(new float[Math.toIntExact(firstMoments.get(i).size())]);
                secondMoments.get(i).set(new float[Math.toIntExact(secondMoments.get(i).size())]);
                startEmbeddingState(i);
            }
        }
    }

    /** The embedding tables' update rule. */
    EmbeddingOptimizer embeddingOptimizer() {
        return config.embeddingOptimizer();
    }

    /**
     * One dense Adam update of every parameter from its gradient, as step t (1-based); zeroes the
     * gradients.
     */
    void update(long t) {
        update(t, null);
    }

    /**
     * One Adam update as step t (1-based); zeroes the gradients. With {@code touched}, the
     * embedding tables are updated lazily: only those rows (the ids the batch used) get a moment
     * and parameter update, from the gradient of the step's copies of them, as TensorFlow's
     * LazyAdam does; untouched rows keep their moments, which a dense update would decay. The other
     * parameters are always updated densely.
     */
    void update(long t, TouchedRows touched) {
        update(t, touched, 1f);
    }

    /**
     * As {@link #update(long, TouchedRows)}; AdaGrad and FTRL take the embedding tables' gradient
     * times {@code summedLossScale} (the labelled rows of the batch, whose mean loss was
     * differentiated: the gradient of the summed loss). Adam ignores it.
     */
    void update(long t, TouchedRows touched, float summedLossScale) {
        float b1 = config.beta1();
        float b2 = config.beta2();
        float correction1 = (float) (1 - Math.pow(b1, t));
        float correction2 = (float) (1 - Math.pow(b2, t));
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            float l2 = isEmbedding[i] ? config.embeddingL2() : config.l2();
            float lr = isEmbedding[i] ? config.embeddingLearningRate() : config.learningRate();
            if (isEmbedding[i] && config.embeddingOptimizer() != EmbeddingOptimizer.ADAM) {
                NDIndex index = touched == null ? null : new NDIndex("{}", touched.index());
                NDArray wr = index == null ? w : w.get(index); // [U, D]
                NDArray sr =
                        index == null
                                ? firstMoments.get(i)
                                : firstMoments.get(i).get(index); // [U, D]
                NDArray nr =
                        index == null
                                ? secondMoments.get(i)
                                : secondMoments.get(i).get(index); // [U, D]
                NDArray g =
                        (index == null ? w.getGradient() : touched.gradient(parameters.get(i)))
                                .mul(summedLossScale);
                // each event's squared gradient, summed: the accumulators of a per-event learner
                NDArray squares =
                        index == null
                                ? g.square()
                                : touched.squaredGradient(parameters.get(i))
                                        .mul(summedLossScale * summedLossScale);
                NDArray updated =
                        config.embeddingOptimizer() == EmbeddingOptimizer.FTRL
                                ? FtrlRows.step(wr, g, squares, sr, nr, lr)
                                : AdagradRows.step(wr, g, squares, nr, lr, l2, config.epsilon());
                if (index == null) {
                    w.set(updated.toFloatArray());
                } else {
                    firstMoments.get(i).set(index, sr);
                    secondMoments.get(i).set(index, nr);
                    w.set(index, updated);
                }
            } else if (isEmbedding[i] && touched != null) {
                NDIndex index = new NDIndex("{}", touched.index());
                NDArray wr = w.get(index); // [U, D]
                NDArray mr = firstMoments.get(i).get(index); // [U, D]
                NDArray vr = secondMoments.get(i).get(index); // [U, D]
                NDArray delta =
                        adamStep(
                                wr,
                                touched.gradient(parameters.get(i)),
                                mr,
                                vr,
                                l2,
                                lr,
                                correction1,
                                correction2);
                firstMoments.get(i).set(index, mr);
                secondMoments.get(i).set(index, vr);
                w.set(index, wr.subi(delta));
            } else {
                w.subi(
                        adamStep(
                                w,
                                w.getGradient(),
                                firstMoments.get(i),
                                secondMoments.get(i),
                                l2,
                                lr,
                                correction1,
                                correction2));
            }
        }
        zeroGradients();
    }

    /**
     * The Adam arithmetic on (a slice of) one parameter: updates the moments {@code m} and {@code
     * v} in place and returns the step to subtract from the weights.
     */
    private NDArray adamStep(
            NDArray w,
            NDArray g,
            NDArray m,
            NDArray v,
            float l2,
            float lr,
            float correction1,
            float correction2) {
        float b1 = config.beta1();
        float b2 = config.beta2();
        if (l2 > 0) {
            g = g.add(w.mul(l2));
        }
        m.muli(b1).addi(g.mul(1 - b1));
        v.muli(b2).addi(g.square().muli(1 - b2));
        NDArray denominator = v.div(correction2).sqrt().addi(config.epsilon());
        return m.mul(lr / correction1).divi(denominator);
    }

    /**
     * Whether any gradient (over the touched rows for embedding tables) is not finite. A NaN or
     * infinite gradient can come with a finite loss (e.g. the derivative of sqrt at 0); one such
     * update would turn the parameters into NaN for good.
     */
    boolean hasNonFiniteGradient(TouchedRows touched) {
        for (int i = 0; i < parameters.size(); i++) {
            if (!Float.isFinite(gradient(i, touched).sum().getFloat())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every parameter whose gradient (over the touched rows for embedding tables) is not finite,
     * one entry each: "name shape: n NaN, n inf", and for an embedding table the first few table
     * rows concerned; empty when all are finite. Slow (host copies); for the warning when a step is
     * skipped.
     */
    String nonFiniteGradientReport(TouchedRows touched) {
        StringBuilder report = new StringBuilder();
        long[] touchedRows = touched == null ? null : touched.rows();
        for (int i = 0; i < parameters.size(); i++) {
            NDArray g = gradient(i, touched);
            boolean rowsOfTable = isEmbedding[i] && touchedRows != null;
            float[] values = g.toFloatArray();
            long nan = 0;
            long inf = 0;
            List<Long> badRows = new ArrayList<>();
            long width =
                    g.getShape().dimension() > 1
                            ? g.getShape().size() / g.getShape().get(0)
                            : values.length;
            for (int j = 0; j < values.length; j++) {
                if (Float.isNaN(values[j])) {
                    nan++;
                } else if (Float.isInfinite(values[j])) {
                    inf++;
                } else {
                    continue;
                }
                long id = rowsOfTable ? touchedRows[(int) (j / width)] : j / width;
                if (isEmbedding[i] && badRows.size() < 8 && !badRows.contains(id)) {
                    badRows.add(id);
                }
            }
            if (nan + inf > 0) {
                report.append(report.length() == 0 ? "" : "; ")
                        .append(parameters.get(i).getName())
                        .append(' ')
                        .append(parameters.get(i).getArray().getShape())
                        .append(": ")
                        .append(nan)
                        .append(" NaN, ")
                        .append(inf)
                        .append(" inf");
                if (!badRows.isEmpty()) {
                    report.append(", rows ").append(badRows);
                }
            }
        }
        return report.toString();
    }

    /**
     * The gradient of parameter i; of an embedding table that of the step's copy of the touched
     * rows (only they can have one).
     */
    private NDArray gradient(int i, TouchedRows touched) {
        return isEmbedding[i] && touched != null
                ? touched.gradient(parameters.get(i))
                : parameters.get(i).getArray().getGradient();
    }

    /** Sets every gradient to zero (after an update, or when a step is skipped). */
    void zeroGradients() {
        for (Parameter p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    /**
     * First moments then second moments (the rules' two state arrays), in parameter order (views,
     * not copies).
     */
    NDList state() {
        NDList list = new NDList();
        list.addAll(firstMoments);
        list.addAll(secondMoments);
        return list;
    }

    /** Overwrites the moments with the values of {@link #state()} of another optimizer. */
    void load(NDList state) {
        int n = parameters.size();
        if (state.size() != 2 * n) {
            throw new IllegalArgumentException(
                    "optimizer state has " + state.size() + " arrays, expected " + 2 * n);
        }
        for (int i = 0; i < n; i++) {
            copyInto(state.get(i), firstMoments.get(i));
            copyInto(state.get(n + i), secondMoments.get(i));
        }
    }

    static void copyInto(NDArray source, NDArray target) {
        if (!source.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException(
                    "shape mismatch on restore: saved "
                            + source.getShape()
                            + ", model "
                            + target.getShape());
        }
        target.set(source.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
    }
}
