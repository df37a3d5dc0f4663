package io.streamctr.bench.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The floating-point operations of one forward pass and one training step of a model on one batch,
 * counted analytically over its matrix-multiply-like operations (see {@link Op} and the package
 * documentation for the counting rules). Immutable; built with {@link #builder()}.
 */
public final class FlopCount {

    /**
     * One matrix-multiply-like operation of the forward pass.
     *
     * @param name where it is in the model, '/'-separated (e.g. {@code
     *     layer0/sequence/attention/query})
     * @param forwardFlops 2·m·k·n summed over the product's batch: one multiply and one add per
     *     term
     * @param backwardProducts products of the same size the backward pass makes: 2 when both
     *     operands need a gradient (a layer's weight and an input that comes from parameters), 1
     *     when one operand is constant (a selection matrix, the raw numeric input)
     * @param weightShape for a learned {@code Linear} layer: {in, out}; null otherwise
     */
    public record Op(String name, long forwardFlops, int backwardProducts, long[] weightShape) {

        public Op {
            if (forwardFlops < 0) {
                throw new IllegalArgumentException(
                        "FLOPs must be >= 0, got " + forwardFlops + " for " + name);
            }
            if (backwardProducts < 0 || backwardProducts > 2) {
                throw new IllegalArgumentException(
                        "backward products must be 0, 1 or 2, got "
                                + backwardProducts
                                + " for "
                                + name);
            }
        }

        public long backwardFlops() {
            return forwardFlops * backwardProducts;
        }
    }

    private final List<Op> ops;

    private FlopCount(List<Op> ops) {
        this.ops = Collections.unmodifiableList(new ArrayList<>(ops));
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Op> ops() {
        return ops;
    }

    /** FLOPs of one forward pass (a prediction). */
    public long forwardFlops() {
        long sum = 0;
        for (Op op : ops) {
            sum += op.forwardFlops();
        }
        return sum;
    }

    /** FLOPs of the backward pass of a training step. */
    public long backwardFlops() {
        long sum = 0;
        for (Op op : ops) {
            sum += op.backwardFlops();
        }
        return sum;
    }

    /**
     * FLOPs of a training step: forward + backward (the optimizer's element-wise work is not
     * counted).
     */
    public long trainingFlops() {
        return forwardFlops() + backwardFlops();
    }

    /**
     * {in, out} of every learned Linear layer counted, once per use, in the order of the forward
     * pass.
     */
    public List<long[]> linearWeights() {
        List<long[]> shapes = new ArrayList<>();
        for (Op op : ops) {
            if (op.weightShape() != null) {
                shapes.add(op.weightShape().clone());
            }
        }
        return shapes;
    }

    /**
     * Training FLOPs per part of the model: ops grouped by the first {@code depth} components of
     * their names, skipping components that start with "layer" (so the layers of a stack add up),
     * in order of first appearance.
     */
    public Map<String, Long> trainingFlopsByPart(int depth) {
        Map<String, Long> parts = new LinkedHashMap<>();
        for (Op op : ops) {
            List<String> kept = new ArrayList<>();
            for (String part : op.name().split("/")) {
                if (!part.startsWith("layer") && kept.size() < depth) {
                    kept.add(part);
                }
            }
            parts.merge(String.join("/", kept), op.forwardFlops() + op.backwardFlops(), Long::sum);
        }
        return parts;
    }

    /** Collects the operations of a forward pass. */
    public static final class Builder {

        private final List<Op> ops = new ArrayList<>();
        private final List<String> scope = new ArrayList<>();

        private Builder() {}

        /** Names added until the matching {@link #pop()} are prefixed with this part. */
        public Builder push(String part) {
            scope.add(part);
            return this;
        }

        public Builder pop() {
            if (scope.isEmpty()) {
                throw new IllegalStateException("pop() without push()");
            }
            scope.remove(scope.size() - 1);
            return this;
        }

        /**
         * A learned Linear layer (weight {@code in × out}) applied to {@code rows} rows whose input
         * needs a gradient: 2·rows·in·out forward, twice that backward (input and weight
         * gradients). The bias add is element-wise and not counted.
         */
        public Builder linear(String name, long rows, long in, long out) {
            return add(new Op(qualified(name), 2 * rows * in * out, 2, new long[] {in, out}));
        }

        /**
         * A learned Linear layer on a constant input (raw numeric features): backward makes the
         * weight gradient only.
         */
        public Builder linearOnConstantInput(String name, long rows, long in, long out) {
            return add(new Op(qualified(name), 2 * rows * in * out, 1, new long[] {in, out}));
        }

        /** {@code batch} products [m, k] × [k, n], both operands needing a gradient. */
        public Builder matmul(String name, long batch, long m, long k, long n) {
            return add(new Op(qualified(name), 2 * batch * m * k * n, 2, null));
        }

        /**
         * {@code batch} products [m, k] × [k, n] where one operand is a constant (a selection
         * matrix).
         */
        public Builder matmulWithConstant(String name, long batch, long m, long k, long n) {
            return add(new Op(qualified(name), 2 * batch * m * k * n, 1, null));
        }

        private Builder add(Op op) {
            ops.add(op);
            return this;
        }

        private String qualified(String name) {
            return scope.isEmpty() ? name : String.join("/", scope) + "/" + name;
        }

        public FlopCount build() {
            if (!scope.isEmpty()) {
                throw new IllegalStateException("unbalanced push(): still inside " + scope);
            }
            return new FlopCount(ops);
        }
    }
}
