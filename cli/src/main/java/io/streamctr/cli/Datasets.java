package io.streamctr.cli;

import io.streamctr.model.data.MovieLensReader;
import io.streamctr.schemas.ClickEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The data sets {@code replay} knows, by name, each with the reader that turns its files into events. */
final class Datasets {

    /** Reads the first {@code limit} events of a data set in {@code dir}, in time order. */
    interface Reader {
        List<ClickEvent> read(Path dir, int limit);
    }

    private static final Map<String, Reader> READERS = new LinkedHashMap<>();

    static {
        READERS.put("movielens", MovieLensReader::read);
    }

    private Datasets() {
    }

    static Set<String> names() {
        return READERS.keySet();
    }

    static boolean isKnown(String name) {
        return READERS.containsKey(name);
    }

    /**
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones), a
     *     missing directory or a malformed file
     */
    static List<ClickEvent> read(String name, Path dir, int limit) {
        Reader reader = READERS.get(name);
        if (reader == null) {
            throw new IllegalArgumentException(unknownMessage(name));
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("data set directory " + dir.toAbsolutePath() + " does not exist");
        }
        return reader.read(dir, limit);
    }

    static String unknownMessage(String name) {
        return "unknown data set '" + name + "'; known data sets: " + String.join(", ", names());
    }
}
