package io.streamctr.model.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.Optional;

/**
 * A block's parameter values as double arrays, and the dense layers the baselines are built of
 * (Linear, ReLU MLP) recomputed from them with loops in double arithmetic: the building blocks of
 * {@link BruteForceCtrModels}.
 */
final class BlockValues {

    private BlockValues() {}

    /** A child block by the name it was added under (DJL prefixes a two-digit position). */
    static Block child(Block parent, String name) {
        return find(parent, name)
                .orElseThrow(
                        () -> new IllegalArgumentException("no child " + name + " in " + parent));
    }

    /** The child so named, if any. */
    static Optional<Block> find(Block parent, String name) {
        return parent.getChildren().stream()
                .filter(c -> c.getKey().replaceFirst("^\\d+", "").equals(name))
                .map(Pair::getValue)
                .findFirst();
    }

    /** Children cross0, cross1, ... (prefix + index) up to the first missing index. */
    static int countIndexed(Block parent, String prefix) {
        int n = 0;
        while (find(parent, prefix + n).isPresent()) {
            n++;
        }
        return n;
    }

    /** The block's own parameter of that name, flattened row-major. */
    static double[] vector(Block block, String parameter) {
        float[] v = array(block, parameter).toFloatArray();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** The block's own 2-D parameter of that name, [rows][cols]. */
    static double[][] matrix(Block block, String parameter) {
        NDArray a = array(block, parameter);
        Shape s = a.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException(parameter + " is not a matrix: " + s);
        }
        int rows = (int) s.get(0);
        int cols = (int) s.get(1);
        float[] v = a.toFloatArray();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = v[i * cols + j];
            }
        }
        return out;
    }

    private static NDArray array(Block block, String parameter) {
        Parameter p = block.getDirectParameters().get(parameter);
        if (p == null) {
            throw new IllegalArgumentException(
                    "no parameter " + parameter + " in " + block.getClass().getSimpleName());
        }
        return p.getArray();
    }

    /** W x + b of a DJL Linear (weight [out, in], bias [out]). */
    static double[] linear(Linear layer, double[] x) {
        double[][] w = matrix(layer, "weight");
        double[] b = vector(layer, "bias");
        if (w[0].length != x.length) {
            throw new IllegalArgumentException(
                    "Linear expects " + w[0].length + " inputs, got " + x.length);
        }
        double[] out = new double[w.length];
        for (int o = 0; o < w.length; o++) {
            double sum = b[o];
            for (int i = 0; i < x.length; i++) {
                sum += w[o][i] * x[i];
            }
            out[o] = sum;
        }
        return out;
    }

    /**
     * The ReLU MLP built by {@code Mlp.builder()}: each Linear child applied in order, each
     * activation child (a LambdaBlock) taken as max(0, x).
     */
    static double[] reluMlp(SequentialBlock mlp, double[] x) {
        double[] h = x;
        for (Pair<String, Block> c : mlp.getChildren()) {
            if (c.getValue() instanceof Linear layer) {
                h = linear(layer, h);
            } else if (c.getValue() instanceof LambdaBlock) {
                h = relu(h);
            } else {
                throw new IllegalArgumentException("unexpected MLP layer " + c.getKey());
            }
        }
        return h;
    }

    /** Number of Linear layers of an MLP. */
    static int linearLayers(SequentialBlock mlp) {
        return (int) mlp.getChildren().values().stream().filter(b -> b instanceof Linear).count();
    }

    static double[] relu(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.max(0, x[i]);
        }
        return out;
    }

    /** [a ‖ b ‖ ...]. */
    static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** [nf][D] flattened row-major to [nf·D]. */
    static double[] flatten(double[][] fields) {
        return concat(fields);
    }

    /** The single value of a [1] output. */
    static double scalar(double[] x) {
        if (x.length != 1) {
            throw new IllegalArgumentException("expected one output, got " + x.length);
        }
        return x[0];
    }
}
