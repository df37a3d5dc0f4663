package io.streamctr.cli;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetAdapters;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.TimeSortedStream;
import io.streamctr.schemas.ClickEvent;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * A command's choice of data ({@code --dataset}, {@code --path}, {@code --option}, {@code
 * --mapping}, {@code --max-bad-lines}) as a picocli mixin, and the reading of its first events in
 * time order, bad lines counted and reported as replay does. Without {@code --path} the data is the
 * bundled MovieLens (only for {@code --dataset movielens}).
 */
public final class DatasetSelection {

    @Option(
            names = "--dataset",
            defaultValue = "movielens",
            paramLabel = "NAME",
            description =
                    "Data set format (see replay --list-datasets). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(
            names = "--path",
            paramLabel = "FILE_OR_DIR",
            description =
                    "The data set's files (.gz read directly). Default: the bundled MovieLens.")
    Path path;

    @Option(
            names = "--option",
            paramLabel = "KEY=VALUE",
            description = "An adapter option (see replay --help), e.g. threshold=4.5; repeatable.")
    Map<String, String> adapterOptions = new LinkedHashMap<>();

    @Option(
            names = "--mapping",
            paramLabel = "FILE",
            description = "The mapping file of --dataset generic (docs/replay.md).")
    Path mapping;

    @Option(
            names = "--max-bad-lines",
            defaultValue = "1000",
            paramLabel = "N",
            description =
                    "Stop (exit code 1) after more than N malformed lines, as replay does; -1 ="
                            + " never stop. Default: ${DEFAULT-VALUE}.")
    long maxBadLines;

    /** The events read and the bad lines met, as replay describes them ("no bad lines", ...). */
    public record Read(List<ClickEvent> events, Path path, String badLines) {}

    /** The data set's name. */
    public String dataset() {
        return dataset;
    }

    /** Uses {@code fallback} as {@code --path} when the option was not given (an older name). */
    public void defaultPath(Path fallback) {
        if (path == null) {
            path = fallback;
        }
    }

    /** Checks the options before anything starts (a usage error, exit code 2). */
    public void validate() {
        Choices.require("data set", dataset, DatasetAdapters.names(), "known data sets");
        if (path != null) {
            Inputs.existing("--path", path, "the data set's file or directory");
        } else if (!"movielens".equals(dataset)) {
            throw new UsageException(
                    "--path is required with --dataset "
                            + dataset
                            + " (the bundled data is MovieLens)");
        }
        if (mapping != null) {
            Inputs.readableFile("--mapping", mapping, "a mapping file (docs/replay.md)");
        }
        Inputs.atLeast("--max-bad-lines", maxBadLines, -1);
    }

    /**
     * The first {@code limit} events in time order (all when {@code limit <= 0}); none is a usage
     * error (the wrong format, mapping or time format), so is the adapter's complaint about the
     * path or options; more bad lines than {@code --max-bad-lines} is a failure (exit code 1).
     */
    public Read read(int limit) {
        Path data = path != null ? path : BundledData.movieLensDir();
        Map<String, String> options = new LinkedHashMap<>(adapterOptions);
        if (mapping != null) {
            options.put("mapping", mapping.toString());
        }
        DatasetAdapter adapter = DatasetAdapters.get(dataset);
        EventStream opened;
        try {
            opened = adapter.open(data, new DatasetOptions(options, maxBadLines));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new UsageException(e.getMessage(), e);
        }
        List<ClickEvent> events = new ArrayList<>();
        int max = limit > 0 ? limit : Integer.MAX_VALUE;
        try (EventStream stream =
                adapter.timeOrdered()
                        ? opened
                        : TimeSortedStream.sort(
                                opened, TimeSortedStream.DEFAULT_CHUNK_SIZE, null)) {
            while (events.size() < max && stream.hasNext()) {
                events.add(stream.next());
            }
            if (events.isEmpty()) {
                throw new UsageException(
                        "no event read from "
                                + data
                                + " as --dataset "
                                + dataset
                                + " ("
                                + stream.badLines().describe()
                                + "): expected at least one; check --dataset, --mapping and"
                                + " --option");
            }
            return new Read(events, data, stream.badLines().describe());
        }
    }
}
