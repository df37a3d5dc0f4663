package io.streamctr.model.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.streamctr.model.blocks.FieldInteractions;
import io.streamctr.model.blocks.Mlp;
import io.streamctr.model.features.FeatureSpec;
import java.util.Collections;

/**
 * IPNN (Qu et al., 2016): the product layer — the flattened embeddings (linear signals) and the
 * inner product of every field pair — feeds an MLP (stacked fusion, CONCAT).
 *
 * <p>Shapes: FeatureBatch inputs → logits [B]; MLP input [B, d + nf(nf−1)/2].
 */
public final class PnnModel extends FieldModel {

    private final SequentialBlock mlp;

    public PnnModel(FeatureSpec spec, BaselineConfig config) {
        super(spec, spec.embeddingDim());
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

    private int productWidth() {
        return flatWidth() + fields() * (fields() - 1) / 2;
    }

    @Override
    protected void initializeHead(NDManager manager, DataType dataType) {
        mlp.initialize(manager, dataType, new Shape(1, productWidth()));
    }

    @Override
    protected NDArray head(ParameterStore ps, NDArray fields, NDList in, boolean training) {
        long b = fields.getShape().get(0);
        NDArray product =
                NDArrays.concat(
                        new NDList(fields.reshape(b, -1), FieldInteractions.innerProducts(fields)),
                        1);
        return mlp.forward(ps, new NDList(product), training).singletonOrThrow().reshape(b); // [B]
    }
}
