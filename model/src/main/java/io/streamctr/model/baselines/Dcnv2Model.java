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
import io.streamctr.model.blocks.CrossLayerV2;
import io.streamctr.model.blocks.Mlp;
import io.streamctr.model.features.FeatureSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * DCNv2 (Wang et al., 2021), full-rank cross layers, in either fusion: <b>stacked</b> (cross
 * network, then the MLP on its output, then the logit) or <b>parallel</b> (cross network and MLP
 * both on x0, concatenated, then the logit).
 *
 * <p>Shapes: FeatureBatch inputs → logits [B]; x0 [B, d].
 */
public final class Dcnv2Model extends FieldModel {

    private final boolean stacked;
    private final List<CrossLayerV2> cross = new ArrayList<>();
    private final SequentialBlock deep;
    private final Linear output;
    private final int width;

    public Dcnv2Model(FeatureSpec spec, BaselineConfig config, boolean stacked) {
        super(spec, spec.embeddingDim());
        this.stacked = stacked;
        int d = flatWidth();
        this.width = config.widthFor(d);
        for (int i = 0; i < config.layers(); i++) {
            cross.add(addChildBlock("cross" + i, new CrossLayerV2(d)));
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
        Shape x = new Shape(1, flatWidth());
        for (CrossLayerV2 c : cross) {
            c.initialize(manager, dataType, x, x);
        }
        deep.initialize(manager, dataType, x);
        output.initialize(manager, dataType, new Shape(1, stacked ? width : flatWidth() + width));
    }

    @Override
    protected NDArray head(ParameterStore ps, NDArray fields, NDList in, boolean training) {
        long b = fields.getShape().get(0);
        NDArray x0 = fields.reshape(b, -1); // [B, d]
        NDArray x = x0;
        for (CrossLayerV2 c : cross) {
            x = c.cross(ps, x0, x, training); // [B, d]
        }
        NDArray top;
        if (stacked) {
            top = deep.forward(ps, new NDList(x), training).singletonOrThrow(); // [B, width]
        } else {
            NDArray h = deep.forward(ps, new NDList(x0), training).singletonOrThrow(); // [B, width]
            top = NDArrays.concat(new NDList(x, h), 1); // [B, d + width]
        }
        return output.forward(ps, new NDList(top), training).singletonOrThrow().reshape(b); // [B]
    }
}
