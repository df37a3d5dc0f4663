package io.streamctr.datasets.adapter;

import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.LineEventStream;
import io.streamctr.datasets.LineMapper;
import io.streamctr.datasets.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Any CSV/TSV or JSON-lines file, described by a mapping file (Java properties, given as the option
 * {@code mapping=FILE}), so a data set without an adapter needs no Java. Fields are columns of a
 * CSV/TSV line, or keys (dotted paths for nested ones) of a JSON-lines object:
 *
 * <pre>
 * format = json              # csv | tsv | json (JSON lines); default: json for *.json, *.jsonl,
 *                            # *.ndjson (.gz too), else csv
 * separator = ,              # CSV/TSV: one character; "tab" or \t for TSV (default , ; tab with
 *                            # format = tsv); "quote" fields allowed
 * header = true              # CSV/TSV: columns by header name (default); false: by 1-based position "1", "2", ...
 * user = userid              # required; JSON: a key or a dotted path (user.id, ids.0)
 * item = adgroup_id          # required
 * time = time_stamp          # optional; absent: line order (1 ms apart)
 * time.format = yyyy-MM-dd HH:mm:ss   # epoch-s (default) | epoch-ms | iso | a DateTimeFormatter pattern (UTC)
 * label = clk                # optional; absent: unlabelled events
 * label.positive = 1         # values that mean a click, comma-separated (default 1,1.0,true; JSON true is "true")
 * label.threshold = 4.0      # instead: label = 1 when the number is >= this
 * categorical = pid,cate_id  # comma-separated fields (empty or missing values are missing)
 * numeric = price
 * multi = click_sequence     # multi-valued fields: a JSON list, or a text split on the separator
 * multi.separator = ^        # their separator (default |); multi.separator.FIELD for one field
 * action = behavior          # optional field of the action type; action.value = a constant instead
 * id = impression_id         # optional field of a unique event id (default: file stem and line)
 * </pre>
 *
 * A feature is named by its field as written in the mapping ({@code ad.category} stays {@code
 * ad.category}). An empty user, time or label, a time or a number that does not parse, a CSV line
 * of another width than the header, a JSON line that is not an object: bad lines. The file is
 * sorted by time by the caller unless {@code replay --assume-sorted}.
 */
public final class GenericAdapter implements DatasetAdapter {

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String description() {
        return "any CSV/TSV or JSON-lines file described by a mapping properties file (--mapping"
                + " FILE)";
    }

    @Override
    public boolean timeOrdered() {
        return false;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        String mappingFile = options.get("mapping");
        if (mappingFile == null) {
            throw new IllegalArgumentException(
                    "the generic adapter needs a mapping file: --mapping FILE (or --option"
                            + " mapping=FILE)");
        }
        GenericMapping mapping = GenericMapping.load(Path.of(mappingFile));
        TextFiles.requireExists(path);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(
                    "the generic adapter reads one file; " + path + " is not a file");
        }
        if (mapping.format() == null) {
            mapping =
                    mapping.withFormat(
                            isJsonName(path)
                                    ? GenericMapping.Format.JSON
                                    : GenericMapping.Format.DELIMITED);
        }
        LineMapper mapper =
                mapping.format() == GenericMapping.Format.JSON
                        ? new GenericJsonMapper(mapping)
                        : new GenericCsvMapper(mapping);
        return new LineEventStream(List.of(path), mapper, options.newBadLines());
    }

    private static boolean isJsonName(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.gz$", "");
        return name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson");
    }
}
