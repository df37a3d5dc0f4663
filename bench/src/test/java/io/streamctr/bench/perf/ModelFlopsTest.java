package io.streamctr.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.interformer.InterFormerConfig;
import io.streamctr.model.interformer.InterFormerModel;
import io.streamctr.model.optfusion.AttentionReading;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.FusionGraph;
import io.streamctr.model.optfusion.FusionOp;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model counters against the models themselves: every Linear layer a model owns is counted once
 * with its shape (each runs once per forward pass), and OptFusion's frozen stages against
 * hand-computed counts.
 */
class ModelFlopsTest {

    /**
     * A categorical field and two numeric fields beside the fixed groups, so the dense token is
     * exercised.
     */
    private static final FeatureSpec SPEC =
            new FeatureSpec(
                    8,
                    64,
                    List.of("city"),
                    List.of("genres"),
                    4,
                    List.of("price", "age"),
                    "genres",
                    6);

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = DjlRuntime.engine().newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private <B extends Block> B initialized(B block) {
        block.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, 1));
        return block;
    }

    @ParameterizedTest
    @EnumSource(InterFormerConfig.Mode.class)
    void interFormerCountsEveryLinearLayerOnceInEveryMode(InterFormerConfig.Mode mode) {
        InterFormerModel model =
                initialized(new InterFormerModel(SPEC, InterFormerConfig.tiny().withMode(mode)));

        FlopCount count = ModelFlops.count(model, SPEC, 16).orElseThrow();

        assertThat(sorted(count.linearWeights())).isEqualTo(sorted(modelLinears(model)));
    }

    @ParameterizedTest
    @EnumSource(InterFormerConfig.Interaction.class)
    void interFormerCountsEveryLinearLayerOnceForEveryInteraction(
            InterFormerConfig.Interaction interaction) {
        InterFormerModel model =
                initialized(
                        new InterFormerModel(
                                SPEC, InterFormerConfig.tiny().withInteraction(interaction)));

        FlopCount count = ModelFlops.count(model, SPEC, 16).orElseThrow();

        assertThat(sorted(count.linearWeights())).isEqualTo(sorted(modelLinears(model)));
    }

    @Test
    void countsGrowLinearlyWithTheBatch() {
        InterFormerModel model = initialized(new InterFormerModel(SPEC, InterFormerConfig.tiny()));
        long one = ModelFlops.count(model, SPEC, 1).orElseThrow().trainingFlops();

        assertThat(ModelFlops.count(model, SPEC, 256).orElseThrow().trainingFlops())
                .isEqualTo(256 * one);
        assertThat(one).isPositive();
    }

    @ParameterizedTest
    @EnumSource(AttentionReading.class)
    void optFusionSupernetCountsEveryLinearLayerOnce(AttentionReading reading) {
        OptFusionModel model =
                initialized(
                        new OptFusionModel(
                                SPEC,
                                OptFusionConfig.tiny(OptFusionConfig.Variant.SOFT)
                                        .withAttention(reading)));

        FlopCount count = ModelFlops.count(model, SPEC, 16).orElseThrow();

        assertThat(sorted(count.linearWeights())).isEqualTo(sorted(modelLinears(model)));
    }

    @Test
    void hardWithEveryEdgeKeptAndAddEverywhereCountsOnlyTheBlocks() {
        FusionGraph graph = new FusionGraph(1, true); // E, S0, C1, D1, O
        OptFusionConfig config = OptFusionConfig.tiny(OptFusionConfig.Variant.HARD);
        long d = 10;
        long b = 4;
        FusionArchitecture arch =
                new FusionArchitecture(
                        graph,
                        OptFusionConfig.Variant.HARD,
                        filled(graph.edges().size(), 0.5f),
                        rows(graph.fusingNodes().size(), FusionOp.ADD));

        FlopCount count = OptFusionFlops.count(graph, config, d, arch, b);

        // S0 and C1: x·w per row; D1: Linear(d, d); O: Linear(d, 1); ADD fuses for free
        assertThat(count.forwardFlops())
                .isEqualTo(2 * b * d + 2 * b * d + 2 * b * d * d + 2 * b * d);
    }

    @Test
    void cutEdgesShrinkAttentionButNotConcatAndDeadBlocksAreSkipped() {
        FusionGraph graph = new FusionGraph(1, true);
        long d = 10;
        long b = 4;
        float[] alpha = filled(graph.edges().size(), 0.5f);
        int deepNode = 3; // D1
        for (int e : graph.inputEdges(graph.outputNode())) {
            if (graph.edges().get(e).source() == deepNode) {
                alpha[e] = -1f; // D1 → O cut: D1 is dead
            }
        }
        float[][] beta = rows(graph.fusingNodes().size(), FusionOp.ADD);
        beta[graph.fusionRow(graph.outputNode())] = oneHot(FusionOp.ATT);
        OptFusionConfig config = OptFusionConfig.tiny(OptFusionConfig.Variant.HARD);
        long attention =
                OptFusionFlops.count(
                                graph,
                                config,
                                d,
                                new FusionArchitecture(
                                        graph, OptFusionConfig.Variant.HARD, alpha, beta),
                                b)
                        .forwardFlops();
        beta[graph.fusionRow(graph.outputNode())] = oneHot(FusionOp.CONCAT);
        long concat =
                OptFusionFlops.count(
                                graph,
                                config,
                                d,
                                new FusionArchitecture(
                                        graph, OptFusionConfig.Variant.HARD, alpha, beta),
                                b)
                        .forwardFlops();

        long blocks = 2 * b * d + 2 * b * d + 2 * b * d; // S0, C1, O (D1 dead)
        // O has 4 inputs (E, S0, C1, D1); ATT scores the 3 kept ones: Linear(d, d) + Linear(d, 1)
        // each
        assertThat(attention).isEqualTo(blocks + 3 * (2 * b * d * d + 2 * b * d));
        // CONCAT multiplies the full 4·d width, the cut slot as zeros
        assertThat(concat).isEqualTo(blocks + 2 * b * 4 * d * d);
    }

    @Test
    void dnnIsItsMlpOnEveryRow() {
        Block model = initialized(ModelRegistry.create("dnn-tiny", SPEC));
        List<long[]> layers = modelLinears(model);
        long weights = 0;
        for (long[] w : layers) {
            weights += w[0] * w[1];
        }

        assertThat(ModelFlops.count(model, SPEC, 32).orElseThrow().forwardFlops())
                .isEqualTo(2 * weights * 32);
    }

    @Test
    void modelsWithoutACounterHaveNone() {
        assertThat(ModelFlops.count(initialized(ModelRegistry.create("fm", SPEC)), SPEC, 8))
                .isEmpty();
    }

    private static List<long[]> modelLinears(Block model) {
        List<Linear> layers = new ArrayList<>();
        ModelFlops.collectLinears(model, layers);
        List<long[]> shapes = new ArrayList<>();
        for (Linear l : layers) {
            shapes.add(ModelFlops.weightShape(l));
        }
        return shapes;
    }

    private static List<String> sorted(List<long[]> shapes) {
        List<String> out = new ArrayList<>();
        for (long[] s : shapes) {
            out.add(s[0] + "x" + s[1]);
        }
        out.sort(null);
        return out;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static float[][] rows(int n, FusionOp op) {
        float[][] r = new float[n][];
        for (int i = 0; i < n; i++) {
            r[i] = oneHot(op);
        }
        return r;
    }

    private static float[] oneHot(FusionOp op) {
        float[] row = new float[FusionOp.values().length];
        row[op.ordinal()] = 1f;
        return row;
    }
}
