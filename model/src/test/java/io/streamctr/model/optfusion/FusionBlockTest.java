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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** sqrt(mean v² + ε²). */
    private static double rms(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s / v.length + (double) FusionBlock.RMS_EPSILON * FusionBlock.RMS_EPSILON);
    }

    /**
     * {@link ProductScaling#RMS} from the raw product: p = raw / ∏ r_i, out = p / rms(p) · (∏
     * r_i)^(1/k) over the present inputs.
     */
    private static double[] scaledProduct(float[][] x, double[] raw) {
        int present = 0;
        double logScale = 0;
        for (float[] xi : x) {
            if (xi != null) {
                present++;
                logScale += Math.log(rms(toDouble(xi)));
            }
        }
        if (present <= 1) {
            return raw;
        }
        double[] p = new double[D];
        for (int j = 0; j < D; j++) {
            p[j] = raw[j] / Math.exp(logScale);
        }
        double norm = rms(p);
        double scale = Math.exp(logScale / present);
        for (int j = 0; j < D; j++) {
            p[j] = p[j] / norm * scale;
        }
        return p;
    }

    /** The brute-force op on one row: inputs x[i] (null = absent). */
    private static double[] expected(
            FusionOp op,
            FusionBlock block,
            AttentionReading reading,
            ProductScaling product,
            float[][] x) {
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
                if (product == ProductScaling.RMS) {
                    out = scaledProduct(x, out);
                }
            }
            case CONCAT -> {
                double[] cat = new double[k * D];
                for (int i = 0; i < k; i++) {
                    for (int j = 0; x[i] != null && j < D; j++) {
                        cat[i * D + j] = x[i][j];
                    }
                }
                out =
                        linear(
                                param(block.concatLinear(), 0),
                                param(block.concatLinear(), 1),
                                cat,
                                D);
            }
            case ATT -> {
                if (reading == AttentionReading.PAPER) {
                    List<Double> scores = new ArrayList<>();
                    List<float[]> present = new ArrayList<>();
                    for (float[] xi : x) {
                        if (xi == null) {
                            continue;
                        }
                        double[] h =
                                linear(
                                        param(block.attentionHidden(), 0),
                                        param(block.attentionHidden(), 1),
                                        toDouble(xi),
                                        D);
                        for (int j = 0; j < D; j++) {
                            h[j] = Math.max(0, h[j]);
                        }
                        scores.add(linear(param(block.attentionScore(), 0), null, h, 1)[0]);
                        present.add(xi);
                    }
                    double[] a =
                            softmax(scores.stream().mapToDouble(Double::doubleValue).toArray());
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
        check(k, reading, ProductScaling.RMS, withAbsent);
    }

    private static void check(
            int k, AttentionReading reading, ProductScaling product, boolean withAbsent) {
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            FusionBlock block = new FusionBlock(k, D, reading, product);
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
                    double[] want = expected(op, block, reading, product, row);
                    for (int j = 0; j < D; j++) {
                        assertThat((double) got[b * D + j])
                                .as("%s k=%d %s %s row %d dim %d", op, k, reading, product, b, j)
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

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8})
    void thePapersRawProductMatchesBruteForce(int k) {
        check(k, AttentionReading.PAPER, ProductScaling.NONE, false);
        check(k, AttentionReading.PAPER, ProductScaling.NONE, true);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void theScaledProductHasTheInputsScale(int k) {
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            FusionBlock block = new FusionBlock(k, 16, AttentionReading.PAPER, ProductScaling.RMS);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            Random r = new Random(k);
            List<NDArray> inputs = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                float[] v = new float[4 * 16];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) (0.01 * r.nextGaussian());
                }
                inputs.add(manager.create(v, new Shape(4, 16)));
            }
            NDArray template = manager.zeros(new Shape(4, 16));
            ParameterStore ps = new ParameterStore(manager, false);
            float raw =
                    rmsOf(
                            new FusionBlock(k, 16, AttentionReading.PAPER, ProductScaling.NONE)
                                    .apply(ps, FusionOp.PROD, inputs, template, false));
            float scaled = rmsOf(block.apply(ps, FusionOp.PROD, inputs, template, false));
            // k inputs of RMS 0.01: the raw product is ~0.01^k, the scaled one 0.01 (each row
            // exactly the geometric mean)
            assertThat((double) raw).isLessThan(Math.pow(0.01, k - 0.5));
            assertThat((double) scaled).isCloseTo(0.01, within(0.002));
            NDArray doubled =
                    block.apply(
                            ps,
                            FusionOp.PROD,
                            inputs.stream().map(x -> x.mul(2f)).toList(),
                            template,
                            false);
            assertThat((double) rmsOf(doubled))
                    .as("degree 1: twice the inputs, twice the output")
                    .isCloseTo(2 * scaled, within(2e-4));
        }
    }

    private static float rmsOf(NDArray x) {
        return (float) Math.sqrt(x.square().mean().getFloat());
    }
}
