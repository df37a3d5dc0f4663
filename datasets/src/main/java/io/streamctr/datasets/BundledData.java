package io.streamctr.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the MovieLens ml-latest-small copy bundled in the repository's {@code data/} folder: under
 * the system property {@code streamctr.repo.root} when set (Surefire and the launcher set it), else
 * in the first {@code data/movielens-latest-small} above the working directory.
 */
public final class BundledData {

    /** System property naming the repository root. */
    public static final String REPO_ROOT_PROPERTY = "streamctr.repo.root";

    private static final String RELATIVE = "data/movielens-latest-small";

    private BundledData() {}

    /** The bundled MovieLens folder; IllegalStateException saying where it looked otherwise. */
    public static Path movieLensDir() {
        String root = System.getProperty(REPO_ROOT_PROPERTY);
        if (root != null && Files.isDirectory(Paths.get(root).resolve(RELATIVE))) {
            return Paths.get(root).resolve(RELATIVE);
        }
        Path start = Paths.get("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "cannot find "
                        + RELATIVE
                        + " under -D"
                        + REPO_ROOT_PROPERTY
                        + "="
                        + root
                        + " or above "
                        + start
                        + "; pass the data folder explicitly");
    }
}
