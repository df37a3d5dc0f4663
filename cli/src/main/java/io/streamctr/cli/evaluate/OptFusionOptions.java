package io.streamctr.cli.evaluate;

import ai.djl.nn.Block;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.optfusion.ProductScaling;
import io.streamctr.model.train.SearchSchedule;

/**
 * Overrides of OptFusion models' configuration for an evaluation: the search length (a stream
 * shorter than the default 20,000-event search would otherwise never leave it), the architecture
 * learning rate and the scaling of PROD. Other models are left as they are.
 *
 * @param searchEvents labelled events to search for, or null to keep the model's
 * @param architectureLearningRate the architecture parameters' Adam step size, or null to keep the
 *     model's
 * @param product how PROD scales its product, or null to keep the model's
 */
public record OptFusionOptions(
        Long searchEvents, Float architectureLearningRate, ProductScaling product) {

    public static final OptFusionOptions NONE = new OptFusionOptions(null, null, null);

    public OptFusionOptions {
        if (searchEvents != null && searchEvents < 0) {
            throw new IllegalArgumentException("--search-events must be >= 0, got " + searchEvents);
        }
        if (architectureLearningRate != null && !(architectureLearningRate > 0)) {
            throw new IllegalArgumentException(
                    "--architecture-lr must be > 0, got " + architectureLearningRate);
        }
    }

    /** The block itself, or for an OptFusion model a new one with the overrides applied. */
    public Block apply(Block block, FeatureSpec spec) {
        if (!(block instanceof OptFusionModel optFusion) || equals(NONE)) {
            return block;
        }
        OptFusionConfig config = optFusion.config();
        SearchSchedule s = config.search();
        SearchSchedule schedule =
                new SearchSchedule(
                        searchEvents != null ? searchEvents : s.searchEvents(),
                        architectureLearningRate != null
                                ? architectureLearningRate
                                : s.architectureLearningRate(),
                        s.warmStart());
        config =
                config.withSearch(schedule)
                        .withProduct(product != null ? product : config.product());
        return new OptFusionModel(spec, config);
    }
}
