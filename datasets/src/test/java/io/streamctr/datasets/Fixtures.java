package io.streamctr.datasets;

import io.streamctr.schemas.ClickEvent;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dataset fixtures under {@code datasets/src/test/resources/datasets} (sources in SOURCES.md
 * there), shared with the modules that test on top of this one through the test-jar.
 */
public final class Fixtures {

    private Fixtures() {}

    /**
     * The folder of one fixture data set; from another module's tests, the source folder (the
     * test-jar is a jar).
     */
    public static Path dir(String name) {
        URL url = Fixtures.class.getResource("/datasets/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no dataset fixture '" + name + "'");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return BundledData.movieLensDir()
                .getParent()
                .getParent()
                .resolve("datasets/src/test/resources/datasets")
                .resolve(name);
    }

    /** Every event of a data set in file order (no sort). */
    public static List<ClickEvent> fileOrder(
            String dataset, Path path, Map<String, String> options) {
        List<ClickEvent> events = new ArrayList<>();
        try (EventStream stream =
                DatasetAdapters.get(dataset).open(path, DatasetOptions.of(options))) {
            stream.forEachRemaining(events::add);
        }
        return events;
    }

    /** Every event in time order, as replay reads them. */
    public static List<ClickEvent> timeOrder(
            String dataset, Path path, Map<String, String> options) {
        return DatasetAdapters.read(dataset, path, DatasetOptions.of(options), Integer.MAX_VALUE);
    }
}
