package io.streamctr.datasets;

import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Turns one text line of a data set into zero or more events; the per-format half of an adapter.
 */
public interface LineMapper {

    /**
     * Whether each file starts with a header line, handed to {@link #header} instead of {@link
     * #map}.
     */
    default boolean hasHeader() {
        return false;
    }

    /**
     * Checks (and may remember) a file's header.
     *
     * @throws IllegalArgumentException if the file is not of this format: the whole read stops
     */
    default void header(String text, Path file) {}

    /**
     * Emits the events of one data line, in order. Throws {@link BadLineException} (or any runtime
     * exception from parsing) for a malformed line; events it emitted before failing are dropped
     * with the line, which is counted as bad.
     */
    void map(String text, Path file, long lineNumber, Consumer<ClickEvent> out);
}
