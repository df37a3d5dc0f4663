package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.streamctr.model.blocks.HashedEmbedding;
import io.streamctr.model.runtime.DjlRuntime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AdaGrad and FTRL on an embedding table, through the trainer's optimizer, against a scalar
 * reference of each rule written from the papers: a table of 6 rows × 3, 4 steps, each step a
 * random gradient on a random subset of rows (the touched rows), scaled by the step's labelled rows
 * as the trainer scales it. Untouched rows and their state must not move.
 */
class EmbeddingRulesTest {

    private static final int ROWS = 6;
    private static final int DIM = 3;
    private static final int STEPS = 4;
    private static final float SCALE = 8f;
    private static final double TOLERANCE = 1e-5;

    /** What the reference keeps per coordinate. */
    private static final class Reference {
        final double[] w;
        final double[] z = new double[ROWS * DIM];
        final double[] n = new double[ROWS * DIM];

        Reference(float[] initial, EmbeddingOptimizer rule, double alpha) {
            w = new double[initial.length];
            for (int i = 0; i < initial.length; i++) {
                w[i] = initial[i];
                if (rule == EmbeddingOptimizer.FTRL) {
                    z[i] =
                            -w[i]
                                    * (FtrlRows.BETA / alpha
                                            + FtrlRows.L2); // the weight is the initialization's
                }
            }
        }

        /** McMahan et al. 2013, Algorithm 1, one coordinate. */
        void ftrl(int i, double g, double alpha) {
            double sigma = (Math.sqrt(n[i] + g * g) - Math.sqrt(n[i])) / alpha;
            z[i] += g - sigma * w[i];
            n[i] += g * g;
            w[i] =
                    Math.abs(z[i]) <= FtrlRows.L1
                            ? 0
                            : -(z[i] - Math.signum(z[i]) * FtrlRows.L1)
                                    / ((FtrlRows.BETA + Math.sqrt(n[i])) / alpha + FtrlRows.L2);
        }

        /** Duchi et al. 2011, diagonal AdaGrad, one coordinate. */
        void adagrad(int i, double g, double eta, double epsilon) {
            n[i] += g * g;
            w[i] -= eta * g / (Math.sqrt(n[i]) + epsilon);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = EmbeddingOptimizer.class,
            names = {"ADAGRAD", "FTRL"})
    void theRuleMatchesItsScalarReferenceOnTheTouchedRowsOnly(EmbeddingOptimizer rule) {
        DjlRuntime.configure();
        float lr = 0.05f;
        TrainerConfig config =
                TrainerConfig.defaults().withEmbeddingOptimizer(rule).withLearningRates(1e-3f, lr);
        Random random = new Random(3);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // as the trainer updates
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            Parameter table =
                    Parameter.builder()
                            .setName(HashedEmbedding.PARAMETER_NAME)
                            .setType(Parameter.Type.WEIGHT)
                            .build();
            float[] initial = new float[ROWS * DIM];
            for (int i = 0; i < initial.length; i++) {
                initial[i] = (float) (random.nextGaussian() * 0.1);
            }
            table.setArray(manager.create(initial, new Shape(ROWS, DIM)));
            table.getArray().setRequiresGradient(true);
            AdamOptimizer optimizer =
                    new AdamOptimizer(List.of(table), new boolean[] {true}, config, manager);
            Reference reference = new Reference(initial, rule, lr);

            for (int t = 1; t <= STEPS; t++) {
                long[] touched = t % 2 == 0 ? new long[] {0, 2, 5} : new long[] {1, 2, 3};
                float[] coefficients = new float[ROWS * DIM];
                for (long row : touched) {
                    for (int d = 0; d < DIM; d++) {
                        coefficients[(int) row * DIM + d] = (float) random.nextGaussian() * 0.3f;
                    }
                }
                try (NDManager step = manager.newSubManager()) {
                    gradient(
                            table,
                            step.create(
                                    coefficients, new Shape(ROWS, DIM))); // d(sum(w ⊙ C))/dw = C
                    optimizer.update(t, TouchedRows.wholeTables(touched, step), SCALE);
                }
                for (long row : touched) {
                    for (int d = 0; d < DIM; d++) {
                        int i = (int) row * DIM + d;
                        double g = coefficients[i] * SCALE;
                        if (rule == EmbeddingOptimizer.FTRL) {
                            reference.ftrl(i, g, lr);
                        } else {
                            reference.adagrad(i, g, lr, config.epsilon());
                        }
                    }
                }
                float[] w = table.getArray().toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertThat((double) w[i])
                            .as("rule %s, step %d, coordinate %d", rule, t, i)
                            .isCloseTo(reference.w[i], within(TOLERANCE));
                }
                float[] n = optimizer.state().get(1).toFloatArray();
                for (int i = 0; i < n.length; i++) {
                    assertThat((double) n[i])
                            .as("n, step %d, coordinate %d", t, i)
                            .isCloseTo(reference.n[i], within(TOLERANCE));
                }
            }
            float[] w = table.getArray().toFloatArray();
            for (int d = 0; d < DIM; d++) {
                assertThat(w[4 * DIM + d])
                        .as("row 4, never touched")
                        .isEqualTo(initial[4 * DIM + d]);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    @Test
    void ftrlStartsFromTheInitialWeights() {
        DjlRuntime.configure();
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            NDArray w = manager.create(new float[] {0.02f, -0.01f, 0f});
            NDArray z = FtrlRows.initialZ(w, 0.05f);
            NDArray n = manager.zeros(new Shape(3));
            NDArray unchanged =
                    FtrlRows.step(w, manager.zeros(new Shape(3)), z, n, 0.05f); // g = 0: no move
            assertThat(unchanged.toFloatArray())
                    .containsExactly(new float[] {0.02f, -0.01f, 0f}, within(1e-7f));
        }
    }

    @Test
    void theRulesAreNamedAsTheJobOptionSpellsThem() {
        assertThat(EmbeddingOptimizer.parse("adagrad")).isEqualTo(EmbeddingOptimizer.ADAGRAD);
        assertThat(EmbeddingOptimizer.parse(" FTRL ")).isEqualTo(EmbeddingOptimizer.FTRL);
        assertThat(EmbeddingOptimizer.ADAM.optionName()).isEqualTo("adam");
        assertThatThrownBy(() -> EmbeddingOptimizer.parse("sgd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown embedding optimizer 'sgd'")
                .hasMessageContaining("[adam, adagrad, ftrl]");
    }

    /** Gives {@code table} the gradient {@code coefficients} (backward of sum(w ⊙ C)). */
    private static void gradient(Parameter table, NDArray coefficients) {
        JniUtils.zeroGrad((PtNDArray) table.getArray());
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray loss = table.getArray().mul(coefficients).sum();
            JniUtils.backward(
                    (PtNDArray) loss,
                    (PtNDArray) coefficients.getManager().ones(loss.getShape()),
                    false,
                    false);
        } finally {
            JniUtils.setGradMode(previous);
        }
        assertThat(table.getArray().getGradient().getDataType()).isEqualTo(DataType.FLOAT32);
    }
}
