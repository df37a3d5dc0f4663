package io.streamctr.model.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.streamctr.model.blocks.CrossLayer;
import io.streamctr.model.blocks.Mlp;
import io.streamctr.model.features.FeatureSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * DCN (Wang et al., 2017): a CrossNet v1 tower and a ReLU MLP tower side by side on the flattened
 * embeddings x0, concatenated and projected to the logit (parallel fusion, CONCAT). In OptFusion's
 * space: the chains E→C1→…→Cn and E→D1→…→Dn, O = CONCAT(Cn, Dn).
 *
 * <p>Shapes: FeatureBatch inputs → logits [B]; x0 [B, d], both towers [B, d] and [B, width].
 */
public final class DcnModel extends FieldModel {

    private final List<CrossLayer> cross = new ArrayList<>();
    private final SequentialBlock deep;
    private final Linear output;
    private final int width;

    public DcnModel(FeatureSpec spec, BaselineConfig config) {
        super(spec, spec.embeddingDim());
        int d = flatWidth();
        this.width = config.widthFor(d);
        for (int i = 0; i < config.layers(); i++) {
            cross.add(addChildBlock("cross" + i, new CrossLayer(d)));
        }
        this.deep =
                addChildBlock(
                        "deep",
                        Mlp.builder()
                                .setHidden(Collections.nCopies(config.layers(), width))
                                .build());
        this.output = addChildBlock("output", Linear.builder().setUnits(1).build());
    }

    @Override
    protected void initializeHead(NDManager manager, DataType dataType) {
        for (CrossLayer c : cross) {
            c.initialize(manager, dataType, new Shape(1, flatWidth()), new Shape(1, flatWidth()));
        }
        deep.initialize(manager, dataType, new Shape(1, flatWidth()));
        output.initialize(manager, dataType, new Shape(1, flatWidth() + width));
    }

    @Override
    protected NDArray head(ParameterStore ps, NDArray fields, NDList in, boolean training) {
        long b = fields.getShape().get(0);
        NDArray x0 = fields.reshape(b, -1); // [B, d]
        NDArray x = x0;
        for (CrossLayer c : cross) {
            x = c.cross(ps, x0, x, training); // [B, d]
        }
        NDArray h = deep.forward(ps, new NDList(x0), training).singletonOrThrow(); // [B, width]
        NDArray both = NDArrays.concat(new NDList(x, h), 1); // [B, d + width]
        return output.forward(ps, new NDList(both), training).singletonOrThrow().reshape(b); // [B]
    }
}
