package io.streamctr.model.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.streamctr.model.blocks.FieldInteractions;
import io.streamctr.model.blocks.Mlp;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureSpec;
import java.util.Collections;

/**
 * DeepFM (Guo et al., 2017): FM and an MLP over the same embeddings, logits added (parallel fusion,
 * ADD).
 *
 * <p>Shapes: FeatureBatch inputs → logits [B].
 */
public final class DeepFmModel extends FieldModel {

    private final BaselineConfig config;
    private final LrModel linear;
    private final SequentialBlock mlp;

    public DeepFmModel(FeatureSpec spec, BaselineConfig config) {
        super(spec, spec.embeddingDim());
        this.config = config;
        this.linear = addChildBlock("linear", new LrModel(spec));
        this.mlp =
                addChildBlock(
                        "mlp",
                        Mlp.builder()
                                .setHidden(
                                        Collections.nCopies(
                                                config.layers(), config.widthFor(flatWidth())))
                                .optOutput(1)
                                .build());
    }

    @Override
    protected void initializeHead(NDManager manager, DataType dataType) {
        linear.initialize(manager, dataType, FeatureBatch.inputShapes(spec, 1));
        mlp.initialize(manager, dataType, new Shape(1, flatWidth()));
    }

    @Override
    protected NDArray head(ParameterStore ps, NDArray fields, NDList in, boolean training) {
        long b = fields.getShape().get(0);
        NDArray fm =
                linear.forward(ps, in, training)
                        .singletonOrThrow()
                        .add(FieldInteractions.fmPairwise(fields)); // [B]
        NDArray deep =
                mlp.forward(ps, new NDList(fields.reshape(b, -1)), training)
                        .singletonOrThrow()
                        .reshape(b); // [B]
        return fm.add(deep); // [B]
    }
}
