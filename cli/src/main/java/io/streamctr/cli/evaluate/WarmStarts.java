package io.streamctr.cli.evaluate;

import io.streamctr.cli.Inputs;
import io.streamctr.cli.UsageException;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.pkg.PackageManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate --warm-start}: which model's run starts from which package (issue 15, item 3),
 * checked before any run as the job checks {@code ctr.model.NAME.warm-start} at submit.
 */
final class WarmStarts {

    private WarmStarts() {}

    /**
     * The package of each model that has one; a {@link UsageException} when a folder is not a
     * package, its model is not among {@code models} or has two packages, or it does not fit the
     * run's {@code spec} (every difference listed).
     */
    static Map<String, Path> check(List<Path> dirs, List<String> models, FeatureSpec spec) {
        Map<String, Path> byModel = new LinkedHashMap<>();
        for (Path dir : dirs) {
            Inputs.directory("--warm-start", dir, "a model package folder");
            PackageManifest manifest = manifest(dir);
            String model = manifest.model();
            if (!models.contains(model)) {
                throw new UsageException(
                        "--warm-start "
                                + dir
                                + " is a package of model "
                                + model
                                + ", which is not among --models "
                                + String.join(",", models));
            }
            if (manifest.formatVersion() > ModelPackage.FORMAT_VERSION) {
                throw new UsageException(
                        "--warm-start "
                                + dir
                                + " has format version "
                                + manifest.formatVersion()
                                + "; this release reads up to "
                                + ModelPackage.FORMAT_VERSION);
            }
            List<String> differences = manifest.differences(model, spec);
            if (!differences.isEmpty()) {
                throw new UsageException(
                        "--warm-start "
                                + dir
                                + " does not fit this run's "
                                + model
                                + ": "
                                + String.join("; ", differences));
            }
            Path before = byModel.putIfAbsent(model, dir);
            if (before != null) {
                throw new UsageException(
                        "--warm-start: two packages of model "
                                + model
                                + ": "
                                + before
                                + ", "
                                + dir);
            }
        }
        return byModel;
    }

    private static PackageManifest manifest(Path dir) {
        Path file = dir.resolve(ModelPackage.MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new UsageException(
                    "--warm-start "
                            + dir
                            + " is not a model package: it has no "
                            + file.getFileName());
        }
        try {
            return PackageManifest.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--warm-start " + file + ": " + e.getMessage(), e);
        }
    }
}
