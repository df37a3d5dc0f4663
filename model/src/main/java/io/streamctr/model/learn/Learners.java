package io.streamctr.model.learn;

import ai.djl.nn.Block;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.ftrl.FtrlConfig;
import io.streamctr.model.ftrl.FtrlLearner;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainerConfig;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Every model selectable by name, as a learner: {@code ftrl} (per-event FTRL-Proximal logistic
 * regression, no DJL) and every deep model of {@link ModelRegistry}.
 */
public final class Learners {

    /** The per-event FTRL-Proximal baseline. */
    public static final String FTRL = "ftrl";

    private static final Set<String> NAMES;

    static {
        Set<String> names = new LinkedHashSet<>();
        names.add(FTRL);
        names.addAll(ModelRegistry.names());
        NAMES = Collections.unmodifiableSet(names);
    }

    private Learners() {}

    /** The selectable model names: {@code ftrl}, then the deep models in registration order. */
    public static Set<String> names() {
        return NAMES;
    }

    /** IllegalArgumentException listing the known names unless {@code name} is one. */
    public static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown model '" + name + "'; known models: " + String.join(", ", NAMES));
        }
    }

    /** Whether the model is a DJL model (needs the PyTorch engine and a device). */
    public static boolean isDeep(String name) {
        check(name);
        return !FTRL.equals(name);
    }

    /**
     * A new learner of the model with the default {@link FreshnessConfig}; a deep model is
     * initialized with {@code trainer}'s seed on {@code device} ("auto", "cpu", "gpu", "gpu:N").
     */
    public static OnlineLearner create(
            String name, FeatureSpec spec, TrainerConfig trainer, String device) {
        return create(name, spec, trainer, device, FreshnessConfig.defaults());
    }

    /**
     * As above with the freshness levers of a deep model ({@code ftrl} is per-event already and
     * ignores them).
     */
    public static OnlineLearner create(
            String name,
            FeatureSpec spec,
            TrainerConfig trainer,
            String device,
            FreshnessConfig freshness) {
        check(name);
        if (FTRL.equals(name)) {
            return new FtrlLearner(FTRL, spec, FtrlConfig.defaults());
        }
        return createDeep(name, spec, trainer, device, freshness, (block, deepSpec) -> block);
    }

    /**
     * A deep model's learner, its block passed through {@code adjust} (given the block and the spec
     * it is built on, {@link DeepLearner#deepSpec}) before the trainer initializes it.
     */
    public static DeepLearner createDeep(
            String name,
            FeatureSpec spec,
            TrainerConfig trainer,
            String device,
            FreshnessConfig freshness,
            BiFunction<Block, FeatureSpec, Block> adjust) {
        if (!isDeep(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a deep model");
        }
        DjlRuntime.configure();
        FeatureSpec deepSpec = DeepLearner.deepSpec(spec, freshness);
        Block block = adjust.apply(ModelRegistry.create(name, deepSpec), deepSpec);
        return new DeepLearner(
                new OnlineTrainer(name, block, deepSpec, trainer, DjlRuntime.resolveDevice(device)),
                spec,
                freshness);
    }
}
