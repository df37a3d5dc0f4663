package io.streamctr.bench;

import ai.djl.nn.Block;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.train.SearchSchedule;

/**
 * A model as {@code bench-model} measures it: a registered name, trained as the job trains it (a
 * model with an architecture search is measured after its search has ended and the architecture is
 * frozen), or, written {@code NAME/search}, held in its search stage (the supernet with its
 * architecture parameters stepping) for the whole measurement.
 *
 * @param name registered model name
 * @param searchStage measure the architecture-search stage instead of the model after its freeze
 */
public record BenchModel(String name, boolean searchStage) {

    public static final String SEARCH_SUFFIX = "/search";

    public BenchModel {
        if (!ModelRegistry.names().contains(name)) {
            throw new IllegalArgumentException(
                    "unknown model '"
                            + name
                            + "'; known models: "
                            + String.join(", ", ModelRegistry.names()));
        }
    }

    /** {@code NAME} or {@code NAME/search}. */
    public static BenchModel parse(String text) {
        String t = text.trim();
        if (t.endsWith(SEARCH_SUFFIX)) {
            return new BenchModel(t.substring(0, t.length() - SEARCH_SUFFIX.length()), true);
        }
        return new BenchModel(t, false);
    }

    /** A new model block; for the search stage, one whose search never ends on its own. */
    public Block create(FeatureSpec spec) {
        Block block = ModelRegistry.create(name, spec);
        if (!searchStage) {
            return block;
        }
        if (block instanceof OptFusionModel m) {
            SearchSchedule s = m.config().search();
            return new OptFusionModel(
                    spec,
                    m.config()
                            .withSearch(
                                    new SearchSchedule(
                                            Long.MAX_VALUE,
                                            s.architectureLearningRate(),
                                            s.warmStart())));
        }
        throw new IllegalArgumentException(
                "model '" + name + "' has no architecture search stage to measure");
    }

    @Override
    public String toString() {
        return searchStage ? name + SEARCH_SUFFIX : name;
    }
}
