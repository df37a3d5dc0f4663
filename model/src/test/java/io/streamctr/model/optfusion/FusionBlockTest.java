package io.streamctr.model.optfusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.streamctr.model.runtime.DjlRuntime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Each fusion operation against a brute-force computation in plain Java on tiny tensors. */
class FusionBlockTest {

    private static final int B = 2;
    private static final int D = 3;

    private static float[][][] randomInputs(int k, long seed) {
        Random r = new Random(seed);
        float[][][] x = new float[k][B][D];
        for (float[][] xi : x) {
            for (float[] row : xi) {
                for (int j = 0; j < D; j++) {
                    row[j] = (float) (r.nextDouble() * 2 - 1);
                }
            }
        }
        return x;
    }

    private static float[] param(Block block, int index) {
        return block.getParameters().get(index).getValue().getArray().toFloatArray();
    }

    /** y = W x + b for a DJL Linear weight [out, in] (row-major); b may be null. */
    private static double[] linear(float[] w, float[] b, double[] x, int out) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b == null ? 0 : b[o];
            for (int i = 0; i < x.length; i++) {
                s += w[o * x.length + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }

    private static double[] softmax(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        double[] e = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            e[i] = Math.exp(v[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < v.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** The brute-force op on one row: inputs x[i] (null = absent). */
    private static double[] expected(FusionOp op, FusionBlock block, AttentionReading reading, float[][] x) {
        int k = x.length;
        double[] out = new double[D];
        switch (op) {
            case ADD -> {
                for (float[] xi : x) {
                    for (int j = 0; xi != null && j < D; j++) {
                        out[j] += xi[j];
                    }
                }
            }
            case PROD -> {
                boolean any = false;
                java.util.Arrays.fill(out, 1);
                for (float[] xi : x) {
                    for (int j = 0; xi != null && j < D; j++) {
                        out[j] *= xi[j];
                    }
                    any |= xi != null;
                }
                if (!any) {
                    java.util.Arrays.fill(out, 0);
                }
            }
            case CONCAT -> {
                double[] cat = new double[k * D];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; x[i] != null && j < D; j++) {
                        cat[i * D + j] = x[i][j];
                    }
                }
                out = linear(param(block.concatLinear(), 0), param(block.concatLinear(), 1), cat, D);
            }
            case ATT -> {
                if (reading == AttentionReading.PAPER) {
                    List<Double> scores = new ArrayList<>();
                    List<float[]> present = new ArrayList<>();
                    for (float[] xi : x) {
                        if (xi == null) {
                            continue;
                        }
                        double[] h = linear(param(block.attentionHidden(), 0), param(block.attentionHidden(), 1), toDouble(xi), D);
                        for (int j = 0; j < D; j++) {
                            h[j] = Math.max(0, h[j]);
                        }
                        scores.add(linear(param(block.attentionScore(), 0), null, h, 1)[0]);
                        present.add(xi);
                    }
                    double[] a = softmax(scores.stream().mapToDouble(Double::doubleValue).toArray());
                    for (int i = 0; i < present.size(); i++) {
                        for (int j = 0; j < D; j++) {
                            out[j] += a[i] * present.get(i)[j];
                        }
                    }
                } else {
                    for (int i = 0; i < k; i++) {
                        if (x[i] == null) {
                            continue;
                        }
                        Block scorer = block.attentionScorer(i);
                        double[] h = linear(param(scorer, 0), param(scorer, 1), toDouble(x[i]), D);
                        for (int j = 0; j < D; j++) {
                            h[j] = Math.max(0, h[j]);
                        }
                        double[] a = softmax(linear(param(scorer, 2), null, h, D));
                        for (int j = 0; j < D; j++) {
                            out[j] += a[j] * x[i][j];
                        }
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
        return out;
    }

    private static void check(int k, AttentionReading reading, boolean withAbsent) {
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            FusionBlock block = new FusionBlock(k, D, reading);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, D));
            float[][][] x = randomInputs(k, 31L * k + reading.ordinal());
            List<NDArray> inputs = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                boolean absent = withAbsent && i % 2 == 1;
                float[] flat = new float[B * D];
                for (int b = 0; b < B; b++) {
                    System.arraycopy(x[i][b], 0, flat, b * D, D);
                }
                inputs.add(absent ? null : manager.create(flat, new Shape(B, D)));
            }
            NDArray template = manager.zeros(new Shape(B, D));
            ParameterStore ps = new ParameterStore(manager, false);
            for (FusionOp op : FusionOp.values()) {
                float[] got = block.apply(ps, op, inputs, template, false).toFloatArray();
                for (int b = 0; b < B; b++) {
                    float[][] row = new float[k][];
                    for (int i = 0; i < k; i++) {
                        row[i] = inputs.get(i) == null ? null : x[i][b];
                    }
                    double[] want = expected(op, block, reading, row);
                    for (int j = 0; j < D; j++) {
                        assertThat((double) got[b * D + j]).as("%s k=%d %s row %d dim %d", op, k, reading, b, j)
                                .isCloseTo(want[j], within(1e-5));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8})
    void operationsMatchBruteForceWithThePapersAttention(int k) {
        check(k, AttentionReading.PAPER, false);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8})
    void operationsMatchBruteForceWithTheCodesAttention(int k) {
        check(k, AttentionReading.CODE, false);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8})
    void absentInputsAreSkippedOrZeroed(int k) {
        check(k, AttentionReading.PAPER, true);
        check(k, AttentionReading.CODE, true);
    }
}
