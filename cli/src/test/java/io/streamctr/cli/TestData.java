package io.streamctr.cli;

import io.streamctr.model.data.BundledData;

import java.nio.file.Path;

/** Finds the repository's bundled MovieLens data for tests. */
final class TestData {

    private TestData() {}

    static Path movieLensDir() {
        return BundledData.movieLensDir();
    }
}
