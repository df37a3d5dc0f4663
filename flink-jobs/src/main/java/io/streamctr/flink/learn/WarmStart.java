package io.streamctr.flink.learn;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.pkg.PackageManifest;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * A learner that starts from a model package instead of from scratch ({@code
 * ctr.model.NAME.warm-start}, issue 15 item 3). {@link #read} reads and checks the package's
 * manifest where the job graph is built (the client), so an incompatible package fails at submit;
 * the task manager then rebuilds the learner the manifest describes ({@link #newLearner}) and
 * restores the package's state into it ({@link #readState}) when it has no state of its own (a new
 * job, or a learner added under a new name to a restored one). A learner restored from a checkpoint
 * or savepoint restores that state into the same learner instead.
 *
 * <p>The package's trainer, freshness, FTRL and OptFusion settings are the learner's (the job's
 * {@code ctr.train.*} and {@code ctr.learner.*} do not apply to it); its feature spec must be the
 * job's. Any Flink file-system path; the task managers must reach it.
 *
 * @param path the package folder, a Flink file-system path
 * @param manifestJson its {@code manifest.json} as read at submit
 */
public record WarmStart(String path, String manifestJson) implements Serializable {

    /**
     * Reads the manifest of the package at {@code path} and checks that it fits learner {@code
     * learner} of model {@code model} on {@code spec}; IllegalArgumentException that names {@code
     * option} and says every difference otherwise.
     */
    public static WarmStart read(
            String option, String path, LearnerEntry learner, FeatureSpec spec) {
        String json;
        try {
            json =
                    new String(
                            readFile(new Path(path, ModelPackage.MANIFEST)),
                            StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(
                    option
                            + ": "
                            + path
                            + " is not a model package: it has no "
                            + ModelPackage.MANIFEST,
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    option + ": cannot read the model package " + path + ": " + e.getMessage(), e);
        }
        PackageManifest manifest;
        try {
            manifest = PackageManifest.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + path + ": " + e.getMessage(), e);
        }
        if (manifest.formatVersion() > ModelPackage.FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    option
                            + ": model package "
                            + path
                            + " has format version "
                            + manifest.formatVersion()
                            + "; this release reads up to "
                            + ModelPackage.FORMAT_VERSION);
        }
        List<String> differences = manifest.differences(learner.model(), spec);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException(
                    option
                            + ": model package "
                            + path
                            + " does not fit learner '"
                            + learner.name()
                            + "': "
                            + String.join("; ", differences));
        }
        return new WarmStart(path, json);
    }

    public PackageManifest manifest() {
        return PackageManifest.fromJson(manifestJson);
    }

    /** The learner the package's manifest describes, freshly initialized on {@code device}. */
    public OnlineLearner newLearner(String device) {
        return ModelPackage.rebuild(manifest(), device);
    }

    /** The package's {@value ModelPackage#STATE}: what the learner restores when the job starts. */
    public byte[] readState() {
        try {
            return readFile(new Path(path, ModelPackage.STATE));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + ModelPackage.STATE + " of the model package " + path, e);
        }
    }

    private static byte[] readFile(Path file) throws IOException {
        FileSystem fs = file.getFileSystem();
        if (!fs.exists(file)) {
            throw new FileNotFoundException(file.toString());
        }
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }
}
