package io.streamctr.bench.perf;

import io.streamctr.model.optfusion.AttentionReading;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.FusionGraph;
import io.streamctr.model.optfusion.FusionOp;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.model.optfusion.OptFusionModel;
import java.util.List;

/**
 * The FLOP count of {@link OptFusionModel} on a batch, in either stage, following its forward pass:
 *
 * <ul>
 *   <li>search (the supernet): every block runs and every fusing block computes all four operations
 *       on all its k inputs: CONCAT a Linear(k·d → d), ATT (paper) a Linear(d → d) and a Linear(d →
 *       1) on each of the k inputs, ATT (code) k scorers of two Linear(d → d); ADD and PROD are
 *       element-wise. C_i and S0 are DCN v1 layers (one [d] × [d, 1] product per row), D_i a
 *       Linear(d → d), O a Linear(d → 1).
 *   <li>frozen (Soft or Hard): only live blocks (a kept path to O) run; an operation whose fixed
 *       weight is 0 (Hard: all but argmax β) is skipped; ATT sees only the kept inputs, CONCAT
 *       still multiplies the full k·d width (cut inputs enter as zeros).
 * </ul>
 *
 * d = (fields)·D is {@link OptFusionModel#width()}.
 */
public final class OptFusionFlops {

    private OptFusionFlops() {}

    /**
     * The model in its current stage: the supernet while searching, the frozen architecture after.
     */
    public static FlopCount count(OptFusionModel model, long batch) {
        FusionArchitecture frozen = model.isArchitectureFrozen() ? model.architecture() : null;
        return count(model.graph(), model.config(), model.width(), frozen, batch);
    }

    /** {@code frozen} null = the search stage's supernet. */
    public static FlopCount count(
            FusionGraph graph,
            OptFusionConfig config,
            long width,
            FusionArchitecture frozen,
            long batch) {
        FlopCount.Builder b = FlopCount.builder();
        List<FusionGraph.Node> nodes = graph.nodes();
        for (int t = 1; t < nodes.size(); t++) {
            if (frozen != null && !frozen.live(t)) {
                continue;
            }
            FusionGraph.Node node = nodes.get(t);
            b.push(node.name());
            List<Integer> inputs = graph.inputEdges(t);
            int present = 0;
            for (int e : inputs) {
                present += frozen == null || frozen.kept(e) ? 1 : 0;
            }
            if (node.kind() != FusionGraph.Kind.AUX_CROSS) {
                int row = graph.fusionRow(t);
                float[] weights = frozen == null ? null : frozen.opWeights(row);
                fusion(b, config.attention(), weights, inputs.size(), present, width, batch);
            }
            switch (node.kind()) {
                case AUX_CROSS, CROSS -> BlockFlops.crossLayer(b, "cross", batch, width);
                case DEEP -> b.linear("linear", batch, width, width);
                case OUTPUT -> b.linear("linear", batch, width, 1);
                default -> throw new IllegalStateException("unexpected node " + node);
            }
            b.pop();
        }
        return b.build();
    }

    /** FusionBlock.mix: each operation with a non-zero weight (all four while searching). */
    private static void fusion(
            FlopCount.Builder b,
            AttentionReading reading,
            float[] weights,
            int inputs,
            int present,
            long width,
            long batch) {
        if (present == 0) {
            return; // every operation gives zeros
        }
        b.push("fusion");
        if (weights == null || weights[FusionOp.CONCAT.ordinal()] != 0f) {
            b.linear("concat", batch, inputs * width, width);
        }
        if (weights == null || weights[FusionOp.ATT.ordinal()] != 0f) {
            if (reading == AttentionReading.PAPER) {
                b.linear("att_w1", batch * present, width, width);
                b.linear("att_w2", batch * present, width, 1);
            } else {
                for (int i = 0; i < present; i++) {
                    b.linear("att" + i + "_hidden", batch, width, width);
                    b.linear("att" + i + "_score", batch, width, width);
                }
            }
        }
        b.pop();
    }
}
