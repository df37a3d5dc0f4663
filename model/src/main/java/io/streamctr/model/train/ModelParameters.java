package io.streamctr.model.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.streamctr.model.blocks.HashedEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * An initialized block's parameters as a trainer steps them: all of them in the block's order (the
 * snapshot's order), and the weights, every parameter but the architecture's, which the weights'
 * Adam steps, with which of them are embedding tables (their own learning rate and L2, lazy rows).
 * Marks every parameter as requiring a gradient.
 */
final class ModelParameters {

    final List<Parameter> all = new ArrayList<>();
    final List<Parameter> weights = new ArrayList<>();
    final List<Parameter> embeddingTables = new ArrayList<>();

    /** Per weight: whether it is an embedding table ({@link HashedEmbedding}). */
    final boolean[] weightIsEmbedding;

    /**
     * Splits {@code block}'s parameters; {@code architecture} holds those that are not weights
     * (compared by identity).
     */
    ModelParameters(Block block, List<Parameter> architecture) {
        List<Boolean> isEmbedding = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            all.add(p.getValue());
            p.getValue().getArray().setRequiresGradient(true);
            if (architecture.stream().noneMatch(a -> a == p.getValue())) {
                weights.add(p.getValue());
                isEmbedding.add(p.getKey().endsWith(HashedEmbedding.PARAMETER_NAME));
            }
        }
        weightIsEmbedding = new boolean[weights.size()];
        for (int i = 0; i < weights.size(); i++) {
            weightIsEmbedding[i] = isEmbedding.get(i);
            if (weightIsEmbedding[i]) {
                embeddingTables.add(weights.get(i));
            }
        }
    }
}
