package io.streamctr.model.pkg;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.ftrl.FtrlConfig;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.model.train.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code manifest.json} of a {@link ModelPackage}: what the package holds and everything needed
 * to rebuild its learner before the saved state is restored into it.
 *
 * <p>JSON keys are the component names; the config records are written with their own component
 * names (Gson). A reader ignores keys it does not know, so a later release may add keys without
 * bumping {@link #formatVersion}; renaming or removing one needs a new version.
 *
 * @param formatVersion the package layout's version ({@link ModelPackage#FORMAT_VERSION})
 * @param model the registered model name ({@link io.streamctr.model.learn.Learners})
 * @param learner {@link #DEEP} or {@link #FTRL}
 * @param step the model version: training steps (deep) or labelled events learned (ftrl)
 * @param skippedSteps updates skipped because of a non-finite loss or gradient
 * @param embeddingDim D of the feature spec (repeated for a reader that only wants D)
 * @param featureSpec the learner's spec, without the fresh features a deep learner appends
 * @param trainer the deep model's trainer hyper-parameters; null for ftrl
 * @param freshness the deep learner's freshness levers; null for ftrl
 * @param ftrl the FTRL learner's settings; null for a deep learner
 * @param optFusion an OptFusion model's configuration (search schedule and PROD included); else
 *     null
 * @param stage the deep model's training stage (FIXED, SEARCH or RETRAIN); null for ftrl
 * @param architecture an OptFusion model's architecture as {@code ArchitectureWriter.toJson} writes
 *     it; else null
 * @param createdBy the release that wrote the package
 */
public record PackageManifest(
        int formatVersion,
        String model,
        String learner,
        long step,
        long skippedSteps,
        int embeddingDim,
        FeatureSpec featureSpec,
        TrainerConfig trainer,
        FreshnessConfig freshness,
        FtrlConfig ftrl,
        OptFusionConfig optFusion,
        String stage,
        String architecture,
        String createdBy) {

    /** {@link #learner} of a DJL model trained by mini-batches. */
    public static final String DEEP = "deep";

    /** {@link #learner} of the per-event FTRL learner. */
    public static final String FTRL = "ftrl";

    private static final Gson GSON =
            new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

    public PackageManifest {
        require(formatVersion >= 1, "format version must be >= 1, got " + formatVersion);
        require(model != null && !model.isEmpty(), "model name is missing");
        require(
                DEEP.equals(learner) || FTRL.equals(learner),
                "learner must be '" + DEEP + "' or '" + FTRL + "', got " + learner);
        require(featureSpec != null, "feature spec is missing");
        require(
                embeddingDim == featureSpec.embeddingDim(),
                "embedding dim "
                        + embeddingDim
                        + " differs from the feature spec's "
                        + featureSpec.embeddingDim());
        require(
                !DEEP.equals(learner) || (trainer != null && freshness != null),
                "a deep learner needs the trainer and freshness configs");
        require(!FTRL.equals(learner) || ftrl != null, "an ftrl learner needs its FTRL config");
    }

    /** Whether the learner is a deep (DJL) model. */
    public boolean deep() {
        return DEEP.equals(learner);
    }

    /**
     * Every difference between this package and a learner of {@code model} on {@code spec}: the
     * model, D, hash buckets, each field list, the side field, the sequence length; empty when they
     * match.
     */
    public List<String> differences(String model, FeatureSpec spec) {
        List<String> out = new ArrayList<>();
        if (!this.model.equals(model)) {
            out.add("model " + this.model + ", expected " + model);
        }
        FeatureSpec saved = featureSpec;
        if (saved.embeddingDim() != spec.embeddingDim()) {
            out.add("D " + saved.embeddingDim() + ", expected " + spec.embeddingDim());
        }
        differ(out, "hash buckets", saved.bucketsPerField(), spec.bucketsPerField());
        differ(out, "categorical fields", saved.categoricalFields(), spec.categoricalFields());
        differ(out, "multi-valued fields", saved.multiValuedFields(), spec.multiValuedFields());
        differ(out, "values per field", saved.maxValuesPerField(), spec.maxValuesPerField());
        differ(out, "numeric fields", saved.numericFields(), spec.numericFields());
        differ(out, "side field", saved.sideField(), spec.sideField());
        differ(out, "sequence length", saved.sequenceLength(), spec.sequenceLength());
        return out;
    }

    private static void differ(List<String> out, String what, Object saved, Object expected) {
        if (!Objects.equals(saved, expected)) {
            out.add(what + " " + saved + ", expected " + expected);
        }
    }

    /** The manifest as pretty-printed JSON. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("formatVersion", formatVersion);
        o.addProperty("model", model);
        o.addProperty("learner", learner);
        o.addProperty("step", step);
        o.addProperty("skippedSteps", skippedSteps);
        o.addProperty("embeddingDim", embeddingDim);
        o.add("featureSpec", GSON.toJsonTree(featureSpec));
        addIfPresent(o, "trainer", trainer);
        addIfPresent(o, "freshness", freshness);
        addIfPresent(o, "ftrl", ftrl);
        addIfPresent(o, "optFusion", optFusion);
        if (stage != null) {
            o.addProperty("stage", stage);
        }
        if (architecture != null) {
            o.add("architecture", JsonParser.parseString(architecture));
        }
        o.addProperty("createdBy", createdBy);
        return GSON.toJson(o) + "\n";
    }

    /**
     * Reads a manifest; IllegalArgumentException saying what is wrong when it is not valid JSON or
     * misses what a package needs.
     */
    public static PackageManifest fromJson(String json) {
        try {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            require(o.has("formatVersion"), "manifest has no formatVersion");
            JsonElement spec = o.get("featureSpec");
            require(spec != null && spec.isJsonObject(), "manifest has no featureSpec");
            return new PackageManifest(
                    o.get("formatVersion").getAsInt(),
                    string(o, "model"),
                    string(o, "learner"),
                    o.has("step") ? o.get("step").getAsLong() : 0,
                    o.has("skippedSteps") ? o.get("skippedSteps").getAsLong() : 0,
                    o.has("embeddingDim") ? o.get("embeddingDim").getAsInt() : 0,
                    GSON.fromJson(spec, FeatureSpec.class),
                    read(o, "trainer", TrainerConfig.class),
                    read(o, "freshness", FreshnessConfig.class),
                    read(o, "ftrl", FtrlConfig.class),
                    read(o, "optFusion", OptFusionConfig.class),
                    string(o, "stage"),
                    o.has("architecture") ? o.get("architecture").toString() : null,
                    string(o, "createdBy"));
        } catch (RuntimeException e) { // Gson's parse errors, a config's own validation
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("manifest is not valid: " + root.getMessage(), e);
        }
    }

    private static void addIfPresent(JsonObject o, String key, Object value) {
        if (value != null) {
            o.add(key, GSON.toJsonTree(value));
        }
    }

    private static <T> T read(JsonObject o, String key, Class<T> type) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : GSON.fromJson(e, type);
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
