package io.streamctr.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.streamctr.model.blocks.CrossNetV2;
import io.streamctr.model.blocks.MultiHeadAttention;
import io.streamctr.model.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks of the analytic counts: a scalar reference implementation of a block, driven by the
 * block's own parameters, counts every multiply-add it makes; its output must match the block's (so
 * it does the block's work) and its count must equal the analytic forward count.
 */
class BruteForceFlopsTest {

    private NDManager manager;
    private ParameterStore ps;
    private final Random random = new Random(7);

    @BeforeEach
    void setUp() {
        DjlRuntime.engine().setRandomSeed(7);
        manager = DjlRuntime.engine().newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void multiHeadAttentionMatchesAScalarReferenceAndItsCount() {
        int b = 2;
        int tq = 3;
        int tk = 5;
        int dim = 8;
        int heads = 2;
        MultiHeadAttention mha = new MultiHeadAttention(dim, heads, false);
        mha.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(1, 1, dim),
                new Shape(1, 1, dim),
                new Shape(1, 1));
        float[] q = normal(b * tq * dim);
        float[] k = normal(b * tk * dim);
        float[] mask = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}; // the second row's keys are all padding
        NDArray out =
                mha.attend(
                        ps,
                        manager.create(q, new Shape(b, tq, dim)),
                        manager.create(k, new Shape(b, tk, dim)),
                        manager.create(mask, new Shape(b, tk)),
                        false);

        List<Linear> layers = linears(mha);
        long[] counter = new long[1];
        float[] queries = linear(q, b * tq, dim, layers.get(0), dim, counter);
        float[] keys = linear(k, b * tk, dim, layers.get(1), dim, counter);
        float[] values = linear(k, b * tk, dim, layers.get(2), dim, counter);
        int dh = dim / heads;
        float[] context = new float[b * tq * dim];
        for (int r = 0; r < b; r++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < tq; i++) {
                    double[] scores = new double[tk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tk; j++) { // padded keys are scored too, then masked
                        double s = 0;
                        for (int c = 0; c < dh; c++) {
                            s +=
                                    queries[(r * tq + i) * dim + h * dh + c]
                                            * keys[(r * tk + j) * dim + h * dh + c];
                            counter[0] += 2;
                        }
                        scores[j] = s / Math.sqrt(dh);
                        if (mask[r * tk + j] > 0) {
                            max = Math.max(max, scores[j]);
                        }
                    }
                    double sum = 0;
                    for (int j = 0; j < tk; j++) {
                        scores[j] = mask[r * tk + j] > 0 ? Math.exp(scores[j] - max) : 0;
                        sum += scores[j];
                    }
                    for (int c = 0; c < dh; c++) {
                        double v = 0;
                        for (int j = 0; j < tk; j++) {
                            v +=
                                    (sum > 0 ? scores[j] / sum : 0)
                                            * values[(r * tk + j) * dim + h * dh + c];
                            counter[0] += 2;
                        }
                        context[(r * tq + i) * dim + h * dh + c] = (float) v;
                    }
                }
            }
        }
        float[] expected = linear(context, b * tq, dim, layers.get(3), dim, counter);

        assertClose(out.toFloatArray(), expected);
        FlopCount.Builder analytic = FlopCount.builder();
        BlockFlops.multiHeadAttention(analytic, "mha", b, tq, tk, dim, heads);
        assertThat(analytic.build().forwardFlops()).isEqualTo(counter[0]);
    }

    @Test
    void lowRankCrossNetworkMatchesAScalarReferenceAndItsCount() {
        int b = 3;
        int width = 12;
        int layers = 2;
        int rank = 4;
        CrossNetV2 net = new CrossNetV2(width, layers, rank);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, width));
        float[] x0 = normal(b * width);
        NDArray out = net.cross(ps, manager.create(x0, new Shape(b, width)), false);

        List<Linear> linears = linears(net); // down_0, up_0, down_1, up_1
        long[] counter = new long[1];
        float[] x = x0.clone();
        for (int l = 0; l < layers; l++) {
            float[] h = linear(x, b, width, linears.get(2 * l), rank, counter);
            float[] wx = linear(h, b, rank, linears.get(2 * l + 1), width, counter);
            for (int i = 0; i < x.length; i++) {
                x[i] = x0[i] * wx[i] + x[i];
            }
        }

        assertClose(out.toFloatArray(), x);
        FlopCount.Builder analytic = FlopCount.builder();
        BlockFlops.crossNetV2(analytic, "cross", b, width, layers, rank);
        assertThat(analytic.build().forwardFlops()).isEqualTo(counter[0]);
    }

    /** x [rows, in] · Wᵀ + bias with the layer's parameters, counting 2 FLOPs per multiply-add. */
    private static float[] linear(
            float[] x, int rows, int in, Linear layer, int out, long[] counter) {
        float[] w = layer.getParameters().get("weight").getArray().toFloatArray(); // [out, in]
        float[] bias =
                layer.getParameters().keys().contains("bias")
                        ? layer.getParameters().get("bias").getArray().toFloatArray()
                        : null;
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[o * in + i];
                    counter[0] += 2;
                }
                y[r * out + o] = (float) s;
            }
        }
        return y;
    }

    private static List<Linear> linears(Block block) {
        List<Linear> out = new ArrayList<>();
        ModelFlops.collectLinears(block, out);
        return out;
    }

    private float[] normal(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i])
                    .isCloseTo(expected[i], within(1e-4f + 1e-4f * Math.abs(expected[i])));
        }
    }
}
