package io.streamctr.model.baselines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.blocks.FieldEmbedding;
import io.streamctr.model.blocks.HashedEmbedding;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registered baselines' forward pass against {@link BruteForceCtrModels}, their formulas
 * recomputed in double arithmetic from the models' own parameter values, on a tiny batch (B = 3, D
 * = 4; user, item, item side and a city token, a genre bag, both behaviour sequences and an age: nf
 * = 8, d = 32). Once with the parameters as initialized and once with every parameter redrawn at a
 * scale where each term of the logit is of order one, so that a wrong term (a missing residual, a
 * swapped x0 and x_l, a pair counted twice) moves the logit far beyond the tolerance. Model and
 * reference agreed to 6.3e-7 or better when written; each of 19 deliberate breakages of the models'
 * formulas (issue 21, item 6) made at least the redrawn case fail.
 */
class BaselineFormulasTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(
                    4, 16, List.of("city"), List.of("genres"), 3, List.of("age"), "genres", 4);
    private static final double TOLERANCE = 1e-5;

    /**
     * Three rows: a history longer than L (truncated) and a bag longer than K, a new user with no
     * history and an empty bag, a short history; a different city and age on each.
     */
    static FeatureBatch batch() {
        Random r = new Random(5);
        int[] clicked = {6, 0, 2};
        List<List<String>> genres =
                List.of(List.of("g1", "g2"), List.of(), List.of("g1", "g3", "g4", "g5"));
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < clicked.length; i++) {
            ClickEvent e =
                    ClickEvent.newBuilder()
                            .setEventId("e" + i)
                            .setUserId("u" + i)
                            .setItemId("i" + 7 * i)
                            .setEventTime(1_000L * i)
                            .setLabel(i % 2)
                            .setCategorical(Map.of("city", "c" + i))
                            .setMultiValued(Map.of("genres", genres.get(i)))
                            .setNumeric(Map.of("age", 0.8f - 0.7f * i))
                            .build();
            examples.add(
                    Example.newBuilder()
                            .setEvent(e)
                            .setHistory(Examples.history(r, clicked[i]))
                            .build());
        }
        return new FeatureEncoder(SPEC).encode(examples);
    }

    /** The model's own logits and the reference's, for the parameters as initialized or redrawn. */
    private static double[][] logits(String name, boolean redraw) {
        Block model = ModelRegistry.create(name, SPEC);
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            DjlRuntime.engine().setRandomSeed(11);
            model.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, 1));
            if (redraw) {
                redraw(model, 23);
            }
            NDList inputs = batch().toNDList(manager);
            NDArray logits =
                    model.forward(new ParameterStore(manager, false), inputs, false)
                            .singletonOrThrow(); // [B]
            float[] actual = logits.toFloatArray();
            double[] expected = reference(name, model, PlainInputs.of(inputs, SPEC));
            double[] a = new double[actual.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = actual[i];
            }
            return new double[][] {a, expected};
        }
    }

    static double[] reference(String name, Block model, PlainInputs in) {
        return switch (name) {
            case "lr" -> BruteForceCtrModels.lr((LrModel) model, in);
            case "fm" -> BruteForceCtrModels.fm((FmModel) model, in);
            case "deepfm" -> BruteForceCtrModels.deepFm((DeepFmModel) model, in);
            case "dcn" -> BruteForceCtrModels.dcn((DcnModel) model, in);
            case "dcnv2" -> BruteForceCtrModels.dcnv2((Dcnv2Model) model, in, true);
            case "dcnv2-parallel" -> BruteForceCtrModels.dcnv2((Dcnv2Model) model, in, false);
            case "edcn" -> BruteForceCtrModels.edcn((EdcnModel) model, in);
            case "pnn" -> BruteForceCtrModels.pnn((PnnModel) model, in);
            default -> throw new IllegalArgumentException("no reference for " + name);
        };
    }

    /**
     * Every parameter redrawn normal: embedding tables with std 0.5, vectors (biases, gates) with
     * std 0.3, matrices [out, in] with std √(2/in) (√(2/out) for a [d, 1] cross weight), so that
     * activations stay of order one through the ReLU layers.
     */
    static void redraw(Block model, long seed) {
        Random r = new Random(seed);
        for (Pair<String, Parameter> p : model.getParameters()) {
            NDArray a = p.getValue().getArray();
            Shape s = a.getShape();
            double std = s.dimension() == 2 ? 0.5 : 0.3;
            if (s.dimension() == 2 && !p.getKey().endsWith(HashedEmbedding.PARAMETER_NAME)) {
                std = Math.sqrt(2.0 / (s.get(1) > 1 ? s.get(1) : s.get(0)));
            }
            float[] v = new float[(int) s.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * std);
            }
            a.set(v);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lr", "fm", "deepfm", "dcn", "dcnv2", "dcnv2-parallel", "edcn", "pnn"})
    void initializedModelMatchesTheReference(String name) {
        double[][] l = logits(name, false);
        assertClose(name, l[0], l[1]);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lr", "fm", "deepfm", "dcn", "dcnv2", "dcnv2-parallel", "edcn", "pnn"})
    void redrawnModelMatchesTheReference(String name) {
        double[][] l = logits(name, true);
        assertClose(name, l[0], l[1]);
        // logits of order one that differ from row to row: no term can hide under the tolerance
        double spread = 0;
        for (int i = 1; i < l[1].length; i++) {
            spread = Math.max(spread, Math.abs(l[1][i] - l[1][0]));
        }
        assertThat(spread)
                .as("%s: spread of the reference logits %s", name, Arrays.toString(l[1]))
                .isGreaterThan(0.1);
    }

    private static void assertClose(String name, double[] actual, double[] expected) {
        assertThat(actual).as(name).hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i])
                    .as(
                            "%s row %d (reference %s, model %s)",
                            name, i, Arrays.toString(expected), Arrays.toString(actual))
                    .isCloseTo(expected[i], within(TOLERANCE));
        }
    }

    @Test
    void fieldEmbeddingsAreTableLookupsMeansAndProjections() {
        FieldEmbedding block = new FieldEmbedding(SPEC, SPEC.embeddingDim());
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            block.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, 1));
            redraw(block, 29);
            NDList inputs = batch().toNDList(manager);
            NDArray fields =
                    block.fields(new ParameterStore(manager, false), inputs, false); // [B, nf, D]
            PlainInputs in = PlainInputs.of(inputs, SPEC);
            double[][][] expected = BruteForceCtrModels.fields(block, in);
            assertThat(fields.getShape()).isEqualTo(new Shape(3, 8, 4));
            float[] actual = fields.toFloatArray();
            for (int b = 0; b < 3; b++) {
                for (int f = 0; f < 8; f++) {
                    for (int k = 0; k < 4; k++) {
                        assertThat((double) actual[(b * 8 + f) * 4 + k])
                                .as("row %d field %d [%d]", b, f, k)
                                .isCloseTo(expected[b][f][k], within(1e-6));
                    }
                }
            }
            // the batch covers what the means must get right: truncation, padding, empty bags and
            // histories
            assertThat(in.sequenceMask()[0][0]).containsExactly(1, 1, 1, 1);
            assertThat(in.sequenceMask()[0][1]).containsExactly(0, 0, 0, 0);
            assertThat(in.sequenceMask()[0][2]).containsExactly(1, 1, 0, 0);
            assertThat(in.multiMask()[1][0]).containsExactly(0, 0, 0);
            assertThat(in.multiMask()[2][0]).containsExactly(1, 1, 1);
            assertThat(expected[1][5]).containsOnly(0.0); // the new user's clicked sequence
        }
    }

    @Test
    void theModelsHaveTheLayersTheReferencesWalk() {
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            for (String name : List.of("dcn", "dcnv2", "dcnv2-parallel", "edcn")) {
                Block model = ModelRegistry.create(name, SPEC);
                model.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, 1));
                assertThat(BlockValues.countIndexed(model, "cross"))
                        .as(name)
                        .isEqualTo(BaselineConfig.defaults().layers());
            }
            Block edcn = ModelRegistry.create("edcn", SPEC);
            for (int l = 0; l < 3; l++) {
                SequentialBlock deep = (SequentialBlock) BlockValues.child(edcn, "deep" + l);
                assertThat(BlockValues.linearLayers(deep))
                        .as("edcn deep%d: Linear(d, d) + ReLU", l)
                        .isEqualTo(1);
            }
            for (String name : List.of("dcn", "dcnv2", "dcnv2-parallel")) {
                SequentialBlock deep =
                        (SequentialBlock)
                                BlockValues.child(ModelRegistry.create(name, SPEC), "deep");
                assertThat(BlockValues.linearLayers(deep)).as(name).isEqualTo(3);
            }
            for (String name : List.of("deepfm", "pnn")) {
                SequentialBlock mlp =
                        (SequentialBlock)
                                BlockValues.child(ModelRegistry.create(name, SPEC), "mlp");
                assertThat(BlockValues.linearLayers(mlp))
                        .as(name)
                        .isEqualTo(4); // 3 hidden + the output
            }
        }
    }
}
