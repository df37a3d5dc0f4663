package io.streamctr.flink.learn;

import ai.djl.nn.Block;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.interformer.InterFormerConfig;
import io.streamctr.model.interformer.InterFormerModel;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.optfusion.ProductScaling;
import io.streamctr.model.train.SearchSchedule;
import io.streamctr.model.train.TrainerConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One model's own settings in the job, the {@code ctr.model.<name>.*} options: OptFusion's search
 * (WSDM 2025, section 3.3: its length, the architecture step size, PROD's scaling), InterFormer's
 * size (arXiv 2411.09852, appendix B.2: D, layers, heads) and the embedding tables' L2. Each is
 * null where the model keeps its own value. The same overrides as {@code evaluate}'s {@code
 * --search-events}, {@code --architecture-lr} and {@code --product}.
 *
 * @param searchEvents OptFusion: labelled events of the search
 * @param architectureLearningRate OptFusion: Adam step of α, β
 * @param product OptFusion: PROD's scaling
 * @param dim InterFormer: D of its tokens
 * @param layers InterFormer: stacked layers
 * @param heads InterFormer: attention heads
 * @param embeddingL2 deep models: L2 coefficient of the embedding tables
 */
public record ModelOverrides(
        Long searchEvents,
        Float architectureLearningRate,
        ProductScaling product,
        Integer dim,
        Integer layers,
        Integer heads,
        Float embeddingL2)
        implements Serializable {

    /** The model's own settings throughout. */
    public static final ModelOverrides NONE =
            new ModelOverrides(null, null, null, null, null, null, null);

    public ModelOverrides {
        if (searchEvents != null && searchEvents < 0) {
            throw new IllegalArgumentException("search-events must be >= 0, got " + searchEvents);
        }
        if (architectureLearningRate != null && !(architectureLearningRate > 0)) {
            throw new IllegalArgumentException(
                    "architecture-lr must be > 0, got " + architectureLearningRate);
        }
        positive("dim", dim);
        positive("layers", layers);
        positive("heads", heads);
        if (embeddingL2 != null && !(embeddingL2 >= 0)) {
            throw new IllegalArgumentException("embedding-l2 must be >= 0, got " + embeddingL2);
        }
    }

    /** Whether the model is an OptFusion model (its registered name says so). */
    public static boolean isOptFusion(String model) {
        return model.startsWith("optfusion");
    }

    /** Whether the model is an InterFormer model (its registered name says so). */
    public static boolean isInterFormer(String model) {
        return model.startsWith("interformer");
    }

    /**
     * Checks that every set override applies to the model and that the result is a valid model.
     *
     * @param deep whether the model is a deep (DJL) model; {@code ftrl} takes none of them
     * @throws IllegalArgumentException naming the first override the model does not take
     */
    public void checkFor(String model, boolean deep) {
        List<String> optFusion = new ArrayList<>();
        addIfSet(optFusion, "search-events", searchEvents);
        addIfSet(optFusion, "architecture-lr", architectureLearningRate);
        addIfSet(optFusion, "product", product);
        List<String> interFormer = new ArrayList<>();
        addIfSet(interFormer, "dim", dim);
        addIfSet(interFormer, "layers", layers);
        addIfSet(interFormer, "heads", heads);
        if (!isOptFusion(model) && !optFusion.isEmpty()) {
            throw notFor(model, optFusion.get(0), "OptFusion models");
        }
        if (!isInterFormer(model) && !interFormer.isEmpty()) {
            throw notFor(model, interFormer.get(0), "InterFormer models");
        }
        if (!deep && embeddingL2 != null) {
            throw notFor(model, "embedding-l2", "deep models");
        }
        if (isInterFormer(model) && !interFormer.isEmpty()) {
            // the registry's InterFormer entries are the defaults or the tiny size, with a mode
            interFormer(
                    model.contains("-tiny")
                            ? InterFormerConfig.tiny()
                            : InterFormerConfig.defaults(),
                    model);
        }
    }

    /** The trainer with the embedding L2, if set. */
    public TrainerConfig apply(TrainerConfig trainer) {
        if (embeddingL2 == null) {
            return trainer;
        }
        return new TrainerConfig(
                trainer.learningRate(),
                trainer.embeddingLearningRate(),
                trainer.l2(),
                embeddingL2,
                trainer.beta1(),
                trainer.beta2(),
                trainer.epsilon(),
                trainer.seed(),
                trainer.embeddingOptimizer(),
                trainer.baseRateHalfLife(),
                trainer.perEventSquares());
    }

    /** The block itself, or for an OptFusion or InterFormer model a new one with the overrides. */
    public Block apply(Block block, FeatureSpec spec) {
        if (block instanceof OptFusionModel optFusion
                && (searchEvents != null || architectureLearningRate != null || product != null)) {
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
        if (block instanceof InterFormerModel interFormer
                && (dim != null || layers != null || heads != null)) {
            return new InterFormerModel(spec, interFormer(interFormer.config(), "interformer"));
        }
        return block;
    }

    private InterFormerConfig interFormer(InterFormerConfig c, String model) {
        int d = dim != null ? dim : c.dim();
        int h = heads != null ? heads : c.heads();
        if (d % h != 0 || (d / h) % 2 != 0) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "ctr.model.%s: dim / heads must be an even integer (rotary"
                                    + " embeddings), got dim %d, heads %d",
                            model,
                            d,
                            h));
        }
        return new InterFormerConfig(
                d,
                layers != null ? layers : c.layers(),
                h,
                c.clsTokens(),
                c.pmaTokens(),
                c.recentTokens(),
                c.interaction(),
                c.crossLayers(),
                c.crossRank(),
                c.interactionHidden(),
                c.pffnHidden(),
                c.maskNetReduction(),
                c.classifierHidden(),
                c.mode(),
                c.wide());
    }

    private static void addIfSet(List<String> keys, String key, Object value) {
        if (value != null) {
            keys.add(key);
        }
    }

    private static IllegalArgumentException notFor(String model, String key, String which) {
        return new IllegalArgumentException(
                "ctr.model."
                        + model
                        + "."
                        + key
                        + " applies to "
                        + which
                        + " only, not to '"
                        + model
                        + "'");
    }

    private static void positive(String name, Integer value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
