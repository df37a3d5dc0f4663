package io.streamctr.model.optfusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.SearchSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fusion forward of {@link OptFusionModel} as it is now computed ({@link FusionInputs}: the
 * inputs stacked at most once per block and shared by CONCAT and ATT, and by C_i and D_i when they
 * read the same blocks; PROD's divisions by [B, 1] factors as multiplications) against the
 * per-input computation it replaced ({@link PerInputFusionReference}), on the same blocks and
 * parameters: the logits and, in the search stage, the gradients of α, β and every weight; Soft and
 * Hard frozen with cut inputs.
 */
class FusionEquivalenceTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);
    private static final int BATCH = 16;

    /** Absolute below 1, relative above (float rounding of a gradient of 30 is ~1e-6 of it). */
    private static final double TOLERANCE = 1e-5;

    static int SEED = Integer.getInteger("fusion.seed", 42);

    private static OptFusionConfig config(
            AttentionReading reading, ProductScaling product, OptFusionConfig.Variant variant) {
        return new OptFusionConfig(
                3, true, reading, variant, new SearchSchedule(1_000_000, 0.01f, true), product);
    }

    /** α with some edges cut (negative) and some kept; β random rows. */
    private static void setArchitecture(OptFusionModel model, long seed) {
        Random r = new Random(seed);
        NDArray alpha = model.architectureParameters().get(0).getArray();
        float[] a = new float[Math.toIntExact(alpha.size())];
        for (int e = 0; e < a.length; e++) {
            a[e] = e % 3 == 1 ? -0.4f - r.nextFloat() : 0.1f + r.nextFloat();
        }
        alpha.set(a);
        NDArray beta = model.architectureParameters().get(1).getArray();
        float[] b = new float[Math.toIntExact(beta.size())];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        beta.set(b);
    }

    /**
     * The logits and the gradients of the loss Σ_b w_b · logit_b (fixed w), per parameter in order.
     */
    private record Run(float[] logits, List<float[]> gradients) {}

    private static Run run(
            OptFusionModel model,
            NDManager manager,
            NDList inputs,
            NDArray lossWeights,
            boolean reference) {
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray logits =
                reference
                        ? PerInputFusionReference.forward(model, ps, inputs, true)
                        : model.forward(ps, inputs, true).singletonOrThrow(); // [B]
        NDArray loss = logits.mul(lossWeights).sum();
        JniUtils.backward(
                (PtNDArray) loss, (PtNDArray) manager.ones(loss.getShape()), false, false);
        List<float[]> gradients = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            gradients.add(gradient(p.getValue().getArray()));
        }
        return new Run(logits.toFloatArray(), gradients);
    }

    /**
     * A model initialized from the engine seed {@link #SEED}, so that two are equal; α, β set,
     * frozen if asked.
     */
    private static OptFusionModel model(
            NDManager manager,
            AttentionReading reading,
            ProductScaling product,
            OptFusionConfig.Variant variant,
            boolean frozen) {
        OptFusionModel model = new OptFusionModel(SPEC, config(reading, product, variant));
        DjlRuntime.engine().setRandomSeed(SEED);
        model.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, BATCH));
        setArchitecture(model, 11L + reading.ordinal() + 7L * product.ordinal());
        if (frozen) {
            model.freezeArchitecture();
        }
        for (Pair<String, Parameter> p : model.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        return model;
    }

    /** The gradient, zeros where none reached the parameter (a dead block, α and β when frozen). */
    private static float[] gradient(NDArray parameter) {
        NDArray g = parameter.getGradient();
        // a copy in logical order: a gradient can be a strided or expanded view (a cut input's
        // zeros),
        // whose raw buffer is not its values
        return g == null
                ? new float[Math.toIntExact(parameter.size())]
                : g.add(0f).flatten().toFloatArray();
    }

    private static double tolerance(float want) {
        return TOLERANCE * Math.max(1.0, Math.abs(want));
    }

    private static int indexOf(OptFusionModel model, String name) {
        List<String> keys = model.getParameters().keys();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no parameter " + name + " in " + keys);
    }

    private static int nonZero(float[] v) {
        int n = 0;
        for (float x : v) {
            n += x != 0f ? 1 : 0;
        }
        return n;
    }

    private static void compare(
            AttentionReading reading,
            ProductScaling product,
            OptFusionConfig.Variant variant,
            boolean frozen) {
        NDManager base =
                DjlRuntime.engine().newBaseManager(Device.cpu()); // loads the native library
        boolean previous = JniUtils.isGradMode();
        try (NDManager manager = base) {
            // two equal models, one backward each (a second backward into the same gradients is not
            // reliably their sum for the embedding table here)
            OptFusionModel referenceModel = model(manager, reading, product, variant, frozen);
            OptFusionModel model = model(manager, reading, product, variant, frozen);
            for (int p = 0; p < model.getParameters().size(); p++) {
                assertThat(model.getParameters().get(p).getValue().getArray().toFloatArray())
                        .as("equal initialization")
                        .containsExactly(
                                referenceModel
                                        .getParameters()
                                        .get(p)
                                        .getValue()
                                        .getArray()
                                        .toFloatArray());
            }
            if (frozen) {
                int kept = 0;
                for (int e = 0; e < model.graph().edges().size(); e++) {
                    kept += model.architecture().kept(e) ? 1 : 0;
                }
                assertThat(kept).as("some inputs cut").isLessThan(model.graph().edges().size());
            }
            NDList inputs =
                    new FeatureEncoder(SPEC).encode(Examples.random(BATCH, 5)).toNDList(manager);
            float[] w = new float[BATCH];
            Random r = new Random(3);
            for (int b = 0; b < BATCH; b++) {
                w[b] = (float) (r.nextDouble() * 2 - 1);
            }
            NDArray lossWeights = manager.create(w);
            JniUtils.setGradMode(true);
            Run got = run(model, manager, inputs, lossWeights, false);
            Run want = run(referenceModel, manager, inputs, lossWeights, true);
            JniUtils.setGradMode(false);

            String what = reading + " " + product + " " + (frozen ? variant : "search");
            for (int b = 0; b < BATCH; b++) {
                assertThat((double) got.logits()[b])
                        .as("%s logit %d", what, b)
                        .isCloseTo(want.logits()[b], within(tolerance(want.logits()[b])));
            }
            if (!frozen) {
                assertThat(nonZero(want.gradients().get(indexOf(model, "alpha"))))
                        .as("α gradients to compare")
                        .isGreaterThan(10);
                assertThat(nonZero(want.gradients().get(indexOf(model, "beta"))))
                        .as("β gradients to compare")
                        .isGreaterThan(10);
            }
            int i = 0;
            for (Pair<String, Parameter> p : model.getParameters()) {
                float[] g = got.gradients().get(i);
                float[] ref = want.gradients().get(i);
                for (int j = 0; j < g.length; j++) {
                    assertThat((double) g[j])
                            .as("%s gradient of %s [%d]", what, p.getKey(), j)
                            .isCloseTo(ref[j], within(tolerance(ref[j])));
                }
                i++;
            }
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    @ParameterizedTest
    @CsvSource({"PAPER, RMS", "PAPER, NONE", "CODE, RMS", "CODE, NONE"})
    void theSupernetMatchesThePerInputComputationWithGradients(
            AttentionReading reading, ProductScaling product) {
        compare(reading, product, OptFusionConfig.Variant.SOFT, false);
    }

    @ParameterizedTest
    @CsvSource({"PAPER, RMS", "CODE, RMS", "PAPER, NONE"})
    void softWithCutInputsMatchesThePerInputComputation(
            AttentionReading reading, ProductScaling product) {
        compare(reading, product, OptFusionConfig.Variant.SOFT, true);
    }

    @ParameterizedTest
    @CsvSource({"PAPER, RMS", "CODE, RMS", "PAPER, NONE"})
    void hardWithCutInputsMatchesThePerInputComputation(
            AttentionReading reading, ProductScaling product) {
        compare(reading, product, OptFusionConfig.Variant.HARD, true);
    }
}
