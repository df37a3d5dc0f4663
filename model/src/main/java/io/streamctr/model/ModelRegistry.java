package io.streamctr.model;

import ai.djl.nn.Block;
import io.streamctr.model.baselines.BaselineConfig;
import io.streamctr.model.baselines.DcnModel;
import io.streamctr.model.baselines.Dcnv2Model;
import io.streamctr.model.baselines.DeepFmModel;
import io.streamctr.model.baselines.EdcnModel;
import io.streamctr.model.baselines.FmModel;
import io.streamctr.model.baselines.LrModel;
import io.streamctr.model.baselines.PnnModel;
import io.streamctr.model.blocks.FieldEmbedding;
import io.streamctr.model.din.DinConfig;
import io.streamctr.model.din.DinModel;
import io.streamctr.model.dnn.DnnConfig;
import io.streamctr.model.dnn.DnnModel;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.interformer.InterFormerConfig;
import io.streamctr.model.interformer.InterFormerModel;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.train.SearchSchedule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The models selectable by name in the job ({@code --models dnn,...}). */
public final class ModelRegistry {

    private static final Map<String, ModelFactory> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("dnn", spec -> new DnnModel(spec, DnnConfig.defaults()));
        MODELS.put("dnn-tiny", spec -> new DnnModel(spec, DnnConfig.tiny()));
        MODELS.put("lr", LrModel::new);
        MODELS.put("fm", FmModel::new);
        MODELS.put(
                "fnn",
                spec ->
                        new DnnModel(
                                spec,
                                new DnnConfig(
                                        Collections.nCopies(
                                                3,
                                                FieldEmbedding.fieldCount(spec)
                                                        * spec.embeddingDim()),
                                        false)));
        MODELS.put("deepfm", spec -> new DeepFmModel(spec, BaselineConfig.defaults()));
        MODELS.put("dcn", spec -> new DcnModel(spec, BaselineConfig.defaults()));
        MODELS.put("dcnv2", spec -> new Dcnv2Model(spec, BaselineConfig.defaults(), true));
        MODELS.put(
                "dcnv2-parallel", spec -> new Dcnv2Model(spec, BaselineConfig.defaults(), false));
        MODELS.put("edcn", spec -> new EdcnModel(spec, BaselineConfig.defaults()));
        MODELS.put("pnn", spec -> new PnnModel(spec, BaselineConfig.defaults()));
        MODELS.put(
                "optfusion-soft",
                spec ->
                        new OptFusionModel(
                                spec, OptFusionConfig.defaults(OptFusionConfig.Variant.SOFT)));
        MODELS.put(
                "optfusion-hard",
                spec ->
                        new OptFusionModel(
                                spec, OptFusionConfig.defaults(OptFusionConfig.Variant.HARD)));
        // the paper's retrain: the searched architecture trained from freshly initialized weights
        MODELS.put(
                "optfusion-soft-reinit",
                spec ->
                        new OptFusionModel(
                                spec,
                                OptFusionConfig.defaults(OptFusionConfig.Variant.SOFT)
                                        .withSearch(new SearchSchedule(20_000, 0.01f, false))));
        MODELS.put(
                "optfusion-hard-reinit",
                spec ->
                        new OptFusionModel(
                                spec,
                                OptFusionConfig.defaults(OptFusionConfig.Variant.HARD)
                                        .withSearch(new SearchSchedule(20_000, 0.01f, false))));
        MODELS.put(
                "optfusion-soft-tiny",
                spec ->
                        new OptFusionModel(
                                spec, OptFusionConfig.tiny(OptFusionConfig.Variant.SOFT)));
        MODELS.put(
                "optfusion-hard-tiny",
                spec ->
                        new OptFusionModel(
                                spec, OptFusionConfig.tiny(OptFusionConfig.Variant.HARD)));
        MODELS.put("interformer", spec -> new InterFormerModel(spec, InterFormerConfig.defaults()));
        MODELS.put(
                "interformer-tiny", spec -> new InterFormerModel(spec, InterFormerConfig.tiny()));
        // the paper's Figure 2 ablation: the same model with information flows cut
        MODELS.put(
                "interformer-sole",
                spec ->
                        new InterFormerModel(
                                spec,
                                InterFormerConfig.defaults()
                                        .withMode(InterFormerConfig.Mode.SOLE)));
        MODELS.put(
                "interformer-sep",
                spec ->
                        new InterFormerModel(
                                spec,
                                InterFormerConfig.defaults().withMode(InterFormerConfig.Mode.SEP)));
        MODELS.put(
                "interformer-n2s",
                spec ->
                        new InterFormerModel(
                                spec,
                                InterFormerConfig.defaults().withMode(InterFormerConfig.Mode.N2S)));
        MODELS.put(
                "interformer-s2n",
                spec ->
                        new InterFormerModel(
                                spec,
                                InterFormerConfig.defaults().withMode(InterFormerConfig.Mode.S2N)));
        // ... and on the tiny configuration, which a CPU can run over a whole data set
        for (InterFormerConfig.Mode mode :
                List.of(
                        InterFormerConfig.Mode.SOLE,
                        InterFormerConfig.Mode.SEP,
                        InterFormerConfig.Mode.N2S,
                        InterFormerConfig.Mode.S2N)) {
            MODELS.put(
                    "interformer-tiny-" + mode.name().toLowerCase(Locale.ROOT),
                    spec -> new InterFormerModel(spec, InterFormerConfig.tiny().withMode(mode)));
        }
        MODELS.put("din", spec -> new DinModel(spec, DinConfig.defaults()));
        MODELS.put("din-tiny", spec -> new DinModel(spec, DinConfig.tiny()));
    }

    private ModelRegistry() {}

    /** The registered model names, in registration order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(MODELS.keySet());
    }

    /** The factory of a model name; IllegalArgumentException listing the known names otherwise. */
    public static ModelFactory factory(String name) {
        ModelFactory f = MODELS.get(name);
        if (f == null) {
            throw new IllegalArgumentException(
                    "unknown model '"
                            + name
                            + "'; known models: "
                            + String.join(", ", MODELS.keySet()));
        }
        return f;
    }

    /** A new, uninitialized model block. */
    public static Block create(String name, FeatureSpec spec) {
        return factory(name).create(spec);
    }
}
