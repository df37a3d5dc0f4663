package io.streamctr.model.optfusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.streamctr.model.blocks.CrossLayer;
import io.streamctr.model.blocks.FieldEmbedding;
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.ArchitectureSearch;
import io.streamctr.model.train.SearchSchedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OptFusion (Zhang et al., WSDM 2025; docs/models.md, section OptFusion): the supernet of {@link
 * FusionGraph} — embedding E, auxiliary cross block S0, cross blocks C_1..C_n (DCN v1 layers, x0 =
 * E), deep blocks D_1..D_n (Linear(d, d) + ReLU), output O (Linear(d, 1)) — with a connection
 * parameter α per edge (straight-through step, initialized 0.5) and operation parameters β per
 * fusing block over ADD, PROD, CONCAT, ATT (Xavier-normal, mixed by softmax).
 *
 * <p>The fields are the F categorical tokens, the M mean-pooled multi-valued bags, the S
 * mean-pooled behaviour sequences and the N linearly projected numeric fields, each an embedding of
 * size D ({@link FieldEmbedding}); E's output is their concatenation, so d = (F + M + S + N)·D (N =
 * 0 on MovieLens). Every block outputs width d.
 *
 * <p>Stages (driven by {@link io.streamctr.model.train.OnlineTrainer} through {@link
 * ArchitectureSearch}): searching, each input of a block is multiplied by step(α) and the block's
 * input is Σ_o softmax(β)_o · op_o; frozen ({@link #freezeArchitecture()}), the architecture is
 * {@link FusionArchitecture}: cut inputs are dropped, Soft mixes by the fixed softmax(β), Hard runs
 * argmax β only, and blocks with no kept path to O are not computed.
 *
 * <p>Shapes: FeatureBatch inputs → logits [B]; every block [B, d].
 */
public final class OptFusionModel extends AbstractBlock implements ArchitectureSearch {

    private static final byte VERSION = 1;

    private final OptFusionConfig config;
    private final FusionGraph graph;
    private final int width;
    private final FieldEmbedding embedding;
    private final CrossLayer auxiliary;
    private final List<CrossLayer> cross = new ArrayList<>();
    private final List<Linear> deep = new ArrayList<>();
    private final Linear output;
    private final List<FusionBlock> fusions = new ArrayList<>();
    private final Parameter alpha;
    private final Parameter beta;
    private FusionArchitecture frozen;

    public OptFusionModel(FeatureSpec spec, OptFusionConfig config) {
        super(VERSION);
        this.config = config;
        this.graph = new FusionGraph(config.blocks(), config.auxiliaryCross());
        this.width = FieldEmbedding.fieldCount(spec) * spec.embeddingDim();
        this.embedding = addChildBlock("embedding", new FieldEmbedding(spec, spec.embeddingDim()));
        this.auxiliary =
                config.auxiliaryCross() ? addChildBlock("s0", new CrossLayer(width)) : null;
        for (int i = 1; i <= config.blocks(); i++) {
            cross.add(addChildBlock("c" + i, new CrossLayer(width)));
            deep.add(addChildBlock("d" + i, Linear.builder().setUnits(width).build()));
        }
        this.output = addChildBlock("o", Linear.builder().setUnits(1).build());
        for (int node : graph.fusingNodes()) {
            String name = "fusion_" + graph.nodes().get(node).name();
            fusions.add(
                    addChildBlock(
                            name,
                            new FusionBlock(
                                    graph.inputEdges(node).size(),
                                    width,
                                    config.attention(),
                                    config.product())));
        }
        this.alpha =
                addParameter(
                        Parameter.builder()
                                .setName("alpha")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(graph.edges().size()))
                                .optInitializer(new ConstantInitializer(0.5f))
                                .build());
        this.beta =
                addParameter(
                        Parameter.builder()
                                .setName("beta")
                                .setType(Parameter.Type.OTHER)
                                .optShape(
                                        new Shape(
                                                graph.fusingNodes().size(),
                                                FusionOp.values().length))
                                .optInitializer(
                                        new XavierInitializer(
                                                XavierInitializer.RandomType.GAUSSIAN,
                                                XavierInitializer.FactorType.AVG,
                                                1f))
                                .build());
    }

    public FusionGraph graph() {
        return graph;
    }

    public OptFusionConfig config() {
        return config;
    }

    /** d, the width of every block. */
    public int width() {
        return width;
    }

    /** The frozen architecture, or the one the architecture parameters give now while searching. */
    public FusionArchitecture architecture() {
        if (frozen != null) {
            return frozen;
        }
        float[] a = alpha.getArray().toFloatArray();
        float[] flat = beta.getArray().toFloatArray();
        int ops = FusionOp.values().length;
        float[][] b = new float[graph.fusingNodes().size()][ops];
        for (int r = 0; r < b.length; r++) {
            System.arraycopy(flat, r * ops, b[r], 0, ops);
        }
        return new FusionArchitecture(graph, config.variant(), a, b);
    }

    @Override
    public List<Parameter> architectureParameters() {
        return List.of(alpha, beta);
    }

    @Override
    public SearchSchedule searchSchedule() {
        return config.search();
    }

    @Override
    public boolean isArchitectureFrozen() {
        return frozen != null;
    }

    @Override
    public void freezeArchitecture() {
        frozen = architecture();
    }

    @Override
    public byte[] architectureState() {
        return frozen == null ? new byte[0] : frozen.toBytes();
    }

    @Override
    public void restoreArchitectureState(byte[] state) {
        frozen = state.length == 0 ? null : FusionArchitecture.fromBytes(state, graph);
    }

    @Override
    public String architectureJson() {
        return ArchitectureWriter.toJson(architecture());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(1, width);
        embedding.initialize(manager, dataType, inputShapes);
        if (auxiliary != null) {
            auxiliary.initialize(manager, dataType, x, x);
        }
        for (int i = 0; i < cross.size(); i++) {
            cross.get(i).initialize(manager, dataType, x, x);
            deep.get(i).initialize(manager, dataType, x);
        }
        output.initialize(manager, dataType, x);
        for (FusionBlock f : fusions) {
            f.initialize(manager, dataType, x);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        FusionArchitecture arch = frozen;
        NDArray fields = embedding.fields(ps, in, training); // [B, nf, D]
        long b = fields.getShape().get(0);
        NDArray x0 = fields.reshape(b, -1); // [B, d]
        NDArray gates = null;
        NDArray opWeights = null;
        if (arch == null) {
            gates =
                    StraightThroughStep.apply(
                            ps.getValue(alpha, x0.getDevice(), training)); // [edges]
            opWeights = ps.getValue(beta, x0.getDevice(), training).softmax(1); // [2n+1, 4]
        }
        NDArray[] outs = new NDArray[graph.nodes().size()];
        outs[0] = x0;
        NDArray logits = null;
        // frozen: the inputs by their sources (−1 = cut), shared by blocks that read the same (C_i,
        // D_i)
        Map<List<Integer>, FusionInputs> keptInputs = new HashMap<>();
        for (int t = 1; t < outs.length; t++) {
            if (arch != null && !arch.live(t)) {
                continue;
            }
            List<Integer> edges = graph.inputEdges(t);
            FusionGraph.Node node = graph.nodes().get(t);
            if (node.kind() == FusionGraph.Kind.AUX_CROSS) {
                int e = edges.get(0);
                NDArray source = outs[graph.edges().get(e).source()]; // [B, d]
                NDArray x =
                        arch == null
                                ? source.mul(gates.get(e))
                                : arch.kept(e) ? source : x0.zerosLike(); // [B, d]
                outs[t] = auxiliary.cross(ps, x0, x, training); // [B, d]
                continue;
            }
            int row = graph.fusionRow(t);
            List<Integer> sources = new ArrayList<>(edges.size());
            for (int e : edges) {
                sources.add(arch == null || arch.kept(e) ? graph.edges().get(e).source() : -1);
            }
            NDArray fused;
            if (arch == null) {
                List<NDArray> xs = new ArrayList<>(edges.size());
                for (int i = 0; i < edges.size(); i++) {
                    xs.add(outs[sources.get(i)].mul(gates.get(edges.get(i)))); // [B, d]
                }
                fused =
                        fusions.get(row)
                                .mix(
                                        ps,
                                        FusionInputs.of(xs, x0),
                                        opWeights.get(row),
                                        training); // [B, d]
            } else {
                FusionInputs kept = keptInputs.computeIfAbsent(sources, s -> inputsOf(outs, s, x0));
                fused = fusions.get(row).mix(ps, kept, arch.opWeights(row), training); // [B, d]
            }
            switch (node.kind()) {
                case CROSS ->
                        outs[t] =
                                cross.get(node.index() - 1)
                                        .cross(ps, x0, fused, training); // [B, d]
                case DEEP ->
                        outs[t] =
                                Activation.relu(
                                        deep.get(node.index() - 1)
                                                .forward(ps, new NDList(fused), training)
                                                .singletonOrThrow()); // [B, d]
                case OUTPUT ->
                        logits =
                                output.forward(ps, new NDList(fused), training)
                                        .singletonOrThrow()
                                        .reshape(b); // [B]
                default -> throw new IllegalStateException("unexpected node " + node);
            }
        }
        return new NDList(logits);
    }

    /** The kept sources' outputs (−1 = cut, absent): k inputs [B, d]. */
    private static FusionInputs inputsOf(NDArray[] outs, List<Integer> sources, NDArray template) {
        List<NDArray> xs = new ArrayList<>(sources.size());
        for (int s : sources) {
            xs.add(s < 0 ? null : outs[s]); // [B, d]
        }
        return FusionInputs.of(xs, template);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(FeatureInputs.batchSize(inputShapes))};
    }
}
