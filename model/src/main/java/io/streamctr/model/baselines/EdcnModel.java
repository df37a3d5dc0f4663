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
import io.streamctr.model.blocks.FieldGate;
import io.streamctr.model.blocks.Mlp;
import io.streamctr.model.features.FeatureSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * EDCN-style dense fusion (Chen et al., 2021), as FuxiCTR builds it: per layer l, a cross layer and
 * a deep layer (Linear(d, d) + ReLU) run side by side; a bridge fuses their outputs by Hadamard
 * product; a regulation module (field-wise softmax gates, one for each tower) feeds the bridge to
 * the next layer's cross and deep inputs. The logit is a Linear over [cross_L, deep_L, bridge_L].
 * The cross tower's x0 is the regulated embedding.
 *
 * <p>Shapes: FeatureBatch inputs → logits [B]; every tower state [B, d].
 */
public final class EdcnModel extends FieldModel {

    private static final float TEMPERATURE = 1f;

    private final List<CrossLayer> cross = new ArrayList<>();
    private final List<SequentialBlock> deep = new ArrayList<>();
    private final List<FieldGate> crossGates = new ArrayList<>();
    private final List<FieldGate> deepGates = new ArrayList<>();
    private final Linear output;

    public EdcnModel(FeatureSpec spec, BaselineConfig config) {
        super(spec, spec.embeddingDim());
        int d = flatWidth();
        for (int i = 0; i < config.layers(); i++) {
            crossGates.add(addChildBlock("cross_gate" + i, new FieldGate(fields(), TEMPERATURE)));
            deepGates.add(addChildBlock("deep_gate" + i, new FieldGate(fields(), TEMPERATURE)));
            cross.add(addChildBlock("cross" + i, new CrossLayer(d)));
            deep.add(addChildBlock("deep" + i, Mlp.builder().setHidden(List.of(d)).build()));
        }
        this.output = addChildBlock("output", Linear.builder().setUnits(1).build());
    }

    @Override
    protected void initializeHead(NDManager manager, DataType dataType) {
        Shape x = new Shape(1, flatWidth());
        for (int i = 0; i < cross.size(); i++) {
            crossGates.get(i).initialize(manager, dataType, x);
            deepGates.get(i).initialize(manager, dataType, x);
            cross.get(i).initialize(manager, dataType, x, x);
            deep.get(i).initialize(manager, dataType, x);
        }
        output.initialize(manager, dataType, new Shape(1, 3L * flatWidth()));
    }

    @Override
    protected NDArray head(ParameterStore ps, NDArray fields, NDList in, boolean training) {
        long b = fields.getShape().get(0);
        NDArray e = fields.reshape(b, -1); // [B, d]
        NDArray c = crossGates.get(0).apply(ps, e, training); // [B, d]
        NDArray h = deepGates.get(0).apply(ps, e, training); // [B, d]
        NDArray x0 = c;
        NDArray bridge = null;
        for (int i = 0; i < cross.size(); i++) {
            c = cross.get(i).cross(ps, x0, c, training); // [B, d]
            h = deep.get(i).forward(ps, new NDList(h), training).singletonOrThrow(); // [B, d]
            bridge = c.mul(h); // [B, d]
            if (i + 1 < cross.size()) {
                c = crossGates.get(i + 1).apply(ps, bridge, training); // [B, d]
                h = deepGates.get(i + 1).apply(ps, bridge, training); // [B, d]
            }
        }
        NDArray all = NDArrays.concat(new NDList(c, h, bridge), 1); // [B, 3d]
        return output.forward(ps, new NDList(all), training).singletonOrThrow().reshape(b); // [B]
    }
}
