package io.streamctr.datasets.adapter;

import io.streamctr.datasets.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which file of a data set to read: the file given, or the first of the usual names in the
 * directory given.
 */
final class Inputs {

    private Inputs() {}

    static List<Path> dataFile(Path path, String... namesInDir) {
        TextFiles.requireExists(path);
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        return List.of(TextFiles.require(path, namesInDir));
    }

    /**
     * Pseudo-time for data sets without timestamps: line order, one millisecond apart from {@code
     * start-ms}.
     */
    static long lineTime(long startMillis, long intervalMillis, long ordinal) {
        return startMillis + intervalMillis * ordinal;
    }
}
