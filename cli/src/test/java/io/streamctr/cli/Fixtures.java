package io.streamctr.cli;

import io.streamctr.model.data.DatasetAdapters;
import io.streamctr.model.data.DatasetOptions;
import io.streamctr.model.data.EventStream;
import io.streamctr.schemas.ClickEvent;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The dataset fixtures under {@code src/test/resources/datasets} (sources in SOURCES.md there). */
final class Fixtures {

    private Fixtures() {
    }

    static Path dir(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/datasets/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every event of a data set in file order (no sort). */
    static List<ClickEvent> fileOrder(String dataset, Path path, Map<String, String> options) {
        List<ClickEvent> events = new ArrayList<>();
        try (EventStream stream = DatasetAdapters.get(dataset).open(path, DatasetOptions.of(options))) {
            stream.forEachRemaining(events::add);
        }
        return events;
    }

    /** Every event in time order, as replay reads them. */
    static List<ClickEvent> timeOrder(String dataset, Path path, Map<String, String> options) {
        return DatasetAdapters.read(dataset, path, DatasetOptions.of(options), Integer.MAX_VALUE);
    }
}
