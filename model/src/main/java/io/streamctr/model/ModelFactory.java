package io.streamctr.model;

import ai.djl.nn.Block;
import io.streamctr.model.features.FeatureSpec;

/**
 * Builds a model: a DJL block from {@link io.streamctr.model.features.FeatureBatch} inputs to
 * logits [B]. One implementation per model, registered by name in {@link ModelRegistry}.
 */
@FunctionalInterface
public interface ModelFactory {

    Block create(FeatureSpec spec);
}
