package io.streamctr.datasets;

import java.nio.file.Path;

/**
 * Reads one data set format as a stream of {@link io.streamctr.schemas.ClickEvent}s: one small
 * class per format (see {@link DatasetAdapters} for the list). {@code open} streams the files (a
 * side table such as movies or item metadata may be held in memory; the events never are) and
 * returns the events in file order; {@link #timeOrdered()} says whether that is time order, so the
 * caller knows whether to sort ({@link TimeSortedStream}).
 */
public interface DatasetAdapter {

    /** The name {@code replay --dataset} takes, e.g. {@code criteo}. */
    String name();

    /** One line for the help: format, label, user, time. */
    String description();

    /** Whether the events come out of {@link #open} already in event-time order. */
    boolean timeOrdered();

    /**
     * Opens the data set at {@code path} (a file, or a directory holding the format's files).
     *
     * @throws IllegalArgumentException if a required file is missing or is not of this format
     */
    EventStream open(Path path, DatasetOptions options);
}
