package io.streamctr.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the repository's bundled MovieLens data for tests. */
final class TestData {

    private TestData() {
    }

    /** {@code data/movielens-latest-small}: under {@code streamctr.repo.root}, else found upwards. */
    static Path movieLensDir() {
        String root = System.getProperty("streamctr.repo.root");
        if (root != null && Files.isDirectory(Paths.get(root, "data", "movielens-latest-small"))) {
            return Paths.get(root, "data", "movielens-latest-small");
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("data").resolve("movielens-latest-small");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find data/movielens-latest-small above " + Paths.get("").toAbsolutePath());
    }
}
