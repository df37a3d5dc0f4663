package io.streamctr.model.pkg;

import ai.djl.nn.Block;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.ftrl.FtrlLearner;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.optfusion.ArchitectureWriter;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.train.OnlineTrainer;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A trained learner as a folder that a later process, or a plain service without Flink, loads and
 * scores with (issue 15): {@link #save} writes it, {@link #load} rebuilds the learner from it,
 * {@link #scorer()} scores with it.
 *
 * <p>Files: {@value #MANIFEST} ({@link PackageManifest}: format version, model name, learner kind,
 * step, D, the feature spec, the trainer and freshness configs, OptFusion's config, stage and
 * architecture); {@value #PARAMETERS}, a deep model's parameters in DJL's format ({@link
 * Block#saveParameters}; load them into {@code ModelRegistry.create(model, spec)} initialized on
 * {@code DeepLearner.deepSpec(spec, freshness)}'s input shapes, e.g. to inspect the weights); and
 * {@value #STATE}, the learner's own {@link OnlineLearner#snapshot()}. A deep learner's score
 * depends on more than the weights (the residual FTRL part, the target statistics, the base rate),
 * so {@link #load} restores the learner from {@value #STATE}, which holds all of it (the weights
 * and optimizer moments included): a loaded learner scores, and goes on learning, exactly as the
 * saved one would. The block must be the registry's model of its name (OptFusion's config is kept,
 * overrides included).
 */
public final class ModelPackage implements AutoCloseable {

    /** The version of the package layout this release writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    public static final String MANIFEST = "manifest.json";
    public static final String PARAMETERS = "parameters.params";
    public static final String STATE = "learner.state";

    private static final Set<String> FILES = Set.of(MANIFEST, PARAMETERS, STATE);

    private final Path dir;
    private final PackageManifest manifest;
    private final OnlineLearner learner;

    private ModelPackage(Path dir, PackageManifest manifest, OnlineLearner learner) {
        this.dir = dir;
        this.manifest = manifest;
        this.learner = learner;
    }

    /**
     * Writes the learner's package into {@code dir} (created if absent; a folder holding anything
     * but a package's files is refused) and returns its manifest. The learner is not changed.
     */
    public static PackageManifest save(OnlineLearner learner, Path dir) throws IOException {
        if (learner == null || dir == null) {
            throw new IllegalArgumentException("learner and dir must not be null");
        }
        PackageManifest manifest = describe(learner);
        prepare(dir);
        Files.deleteIfExists(dir.resolve(MANIFEST)); // a half-written package has no manifest
        Files.deleteIfExists(dir.resolve(PARAMETERS));
        if (learner instanceof DeepLearner deep) {
            try (DataOutputStream out =
                    new DataOutputStream(
                            new BufferedOutputStream(
                                    Files.newOutputStream(dir.resolve(PARAMETERS))))) {
                deep.trainer().block().saveParameters(out);
            }
        }
        Files.write(dir.resolve(STATE), learner.snapshot());
        Files.writeString(dir.resolve(MANIFEST), manifest.toJson(), StandardCharsets.UTF_8);
        return manifest;
    }

    /** What {@link #save} writes as the learner's manifest. */
    static PackageManifest describe(OnlineLearner learner) {
        String created = "streamctr " + version();
        if (learner instanceof FtrlLearner ftrl) {
            FeatureSpec spec = ftrl.features().spec();
            return new PackageManifest(
                    FORMAT_VERSION,
                    ftrl.modelName(),
                    PackageManifest.FTRL,
                    ftrl.step(),
                    ftrl.skippedSteps(),
                    spec.embeddingDim(),
                    spec,
                    null,
                    null,
                    ftrl.config(),
                    null,
                    null,
                    null,
                    created);
        }
        if (learner instanceof DeepLearner deep) {
            OnlineTrainer trainer = deep.trainer();
            OptFusionModel optFusion = trainer.block() instanceof OptFusionModel m ? m : null;
            return new PackageManifest(
                    FORMAT_VERSION,
                    deep.modelName(),
                    PackageManifest.DEEP,
                    deep.step(),
                    deep.skippedSteps(),
                    deep.spec().embeddingDim(),
                    deep.spec(),
                    trainer.config(),
                    deep.freshness(),
                    null,
                    optFusion == null ? null : optFusion.config(),
                    trainer.stage().name(),
                    optFusion == null ? null : ArchitectureWriter.toJson(optFusion.architecture()),
                    created);
        }
        throw new IllegalArgumentException(
                "cannot package a "
                        + learner.getClass().getName()
                        + " (ftrl or deep learners only)");
    }

    /**
     * Loads the package in {@code dir} on {@code device} ("auto", "cpu", "gpu", "gpu:N"; ignored by
     * ftrl): rebuilds the learner its manifest describes and restores the saved state.
     * IllegalArgumentException saying what is wrong when {@code dir} is not a package, its format
     * is newer than this release, its model is unknown or its state does not fit the model.
     */
    public static ModelPackage load(Path dir, String device) throws IOException {
        if (dir == null) {
            throw new IllegalArgumentException("package dir must not be null");
        }
        String json;
        try {
            json = Files.readString(dir.resolve(MANIFEST), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    dir + " is not a model package: it has no " + MANIFEST, e);
        }
        PackageManifest manifest;
        try {
            manifest = PackageManifest.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir.resolve(MANIFEST) + ": " + e.getMessage(), e);
        }
        if (manifest.formatVersion() > FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "model package "
                            + dir
                            + " has format version "
                            + manifest.formatVersion()
                            + "; this release reads up to "
                            + FORMAT_VERSION);
        }
        byte[] state;
        try {
            state = Files.readAllBytes(dir.resolve(STATE));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "model package " + dir + " has no " + STATE + " (the learner's state)", e);
        }
        OnlineLearner learner = rebuild(manifest, device);
        try {
            learner.restore(state);
            if (learner.step() != manifest.step()) {
                throw new IllegalArgumentException(
                        "the state is at step "
                                + learner.step()
                                + ", the manifest says "
                                + manifest.step());
            }
        } catch (RuntimeException e) {
            learner.close();
            throw new IllegalArgumentException(
                    "model package "
                            + dir
                            + ": the saved state does not fit the "
                            + manifest.model()
                            + " learner of its manifest: "
                            + e.getMessage(),
                    e);
        }
        return new ModelPackage(dir, manifest, learner);
    }

    /**
     * The learner the manifest describes, freshly initialized on {@code device}: what {@link #load}
     * restores the saved state into, and what a job warm-started from a package restores its
     * checkpoints into. IllegalArgumentException when the manifest's model is unknown or of the
     * other kind.
     */
    public static OnlineLearner rebuild(PackageManifest m, String device) {
        try {
            Learners.check(m.model());
            if (!m.deep()) {
                if (Learners.isDeep(m.model())) {
                    throw new IllegalArgumentException(
                            "'" + m.model() + "' is a deep model, the manifest says ftrl");
                }
                return new FtrlLearner(m.model(), m.featureSpec(), m.ftrl());
            }
            BiFunction<Block, FeatureSpec, Block> adjust =
                    m.optFusion() == null
                            ? (block, spec) -> block
                            : (block, spec) -> new OptFusionModel(spec, m.optFusion());
            return Learners.createDeep(
                    m.model(), m.featureSpec(), m.trainer(), device, m.freshness(), adjust);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot rebuild the package's learner: " + e.getMessage(), e);
        }
    }

    /**
     * IllegalArgumentException listing every difference when this package is not of {@code model}
     * on {@code spec} (another model, D or feature spec); a caller that feeds the package its own
     * events checks with this before it scores.
     */
    public void check(String model, FeatureSpec spec) {
        List<String> differences = manifest.differences(model, spec);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException(
                    "model package " + dir + " does not match: " + String.join("; ", differences));
        }
    }

    /** The folder the package was loaded from. */
    public Path dir() {
        return dir;
    }

    public PackageManifest manifest() {
        return manifest;
    }

    /**
     * The restored learner: {@link OnlineLearner#process} continues learning where the saved one
     * stopped. Closed with the package. Not thread-safe: while scorers score, a caller that trains
     * it holds its monitor ({@code synchronized (learner)}), as {@link Scorer} does.
     */
    public OnlineLearner learner() {
        return learner;
    }

    /**
     * Scores with the package's learner without changing it (shares it; closed with the package).
     */
    public Scorer scorer() {
        return new Scorer(learner, manifest.featureSpec());
    }

    @Override
    public void close() {
        learner.close();
    }

    /** Creates {@code dir}, or checks that it holds nothing but a package's files. */
    private static void prepare(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not a folder");
        }
        Files.createDirectories(dir);
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> others =
                    entries.map(p -> p.getFileName().toString())
                            .filter(name -> !FILES.contains(name))
                            .sorted()
                            .toList();
            if (!others.isEmpty()) {
                throw new IllegalArgumentException(
                        dir + " holds other files than a model package's: " + others);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String version() {
        String v = ModelPackage.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
