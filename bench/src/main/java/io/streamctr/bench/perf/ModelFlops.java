package io.streamctr.bench.perf;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import io.streamctr.model.dnn.DnnModel;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.interformer.InterFormerModel;
import io.streamctr.model.optfusion.OptFusionModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The FLOP count of a model block on a batch, for the models that have a counter: InterFormer,
 * OptFusion (in its current stage) and the DNN; empty for the others.
 */
public final class ModelFlops {

    private ModelFlops() {}

    public static Optional<FlopCount> count(Block model, FeatureSpec spec, long batch) {
        if (model instanceof InterFormerModel m) {
            return Optional.of(InterFormerFlops.count(m.config(), spec, batch));
        }
        if (model instanceof OptFusionModel m) {
            return Optional.of(OptFusionFlops.count(m, batch));
        }
        if (model instanceof DnnModel m) {
            return Optional.of(rowwise(m, batch));
        }
        return Optional.empty();
    }

    /**
     * A model whose every Linear runs once on each row (the DNN's MLP): 2·B·in·out per layer. Needs
     * an initialized block.
     */
    static FlopCount rowwise(Block model, long batch) {
        FlopCount.Builder b = FlopCount.builder();
        List<Linear> layers = new ArrayList<>();
        collectLinears(model, layers);
        for (int i = 0; i < layers.size(); i++) {
            long[] w = weightShape(layers.get(i));
            b.linear("linear" + i, batch, w[0], w[1]);
        }
        return b.build();
    }

    /** Every Linear layer of the block tree, depth first in child order. */
    public static void collectLinears(Block block, List<Linear> out) {
        if (block instanceof Linear linear) {
            out.add(linear);
            return;
        }
        for (Block child : block.getChildren().values()) {
            collectLinears(child, out);
        }
    }

    /** {in, out} of an initialized Linear (DJL keeps its weight as [out, in]). */
    public static long[] weightShape(Linear linear) {
        ai.djl.ndarray.types.Shape shape =
                linear.getParameters().get("weight").getArray().getShape();
        return new long[] {shape.get(1), shape.get(0)};
    }
}
