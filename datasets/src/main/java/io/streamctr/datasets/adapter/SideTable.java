package io.streamctr.datasets.adapter;

import io.streamctr.datasets.Csv;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A small table joined into events by key (item metadata, user profiles, ad features), read whole
 * into memory from a delimited file with a header: the first column is the key, the others are
 * features named by the header.
 */
final class SideTable {

    private final String[] columns;
    private final Map<String, String[]> rows = new HashMap<>();

    private SideTable(String[] columns) {
        this.columns = columns;
    }

    static SideTable read(Path file, char separator) {
        String[][] header = new String[1][];
        SideTable[] table = new SideTable[1];
        TextFiles.forEachLine(
                file,
                StandardCharsets.UTF_8,
                false,
                (text, line) -> {
                    String[] f = Csv.split(text, separator);
                    if (line == 1) {
                        for (int i = 0; i < f.length; i++) {
                            f[i] = f[i].strip();
                        }
                        header[0] = f;
                        table[0] = new SideTable(f);
                        return;
                    }
                    if (f.length != header[0].length) {
                        throw new IllegalArgumentException(
                                "expected " + header[0].length + " fields, got " + f.length);
                    }
                    table[0].rows.put(f[0], f);
                });
        if (table[0] == null) {
            throw new IllegalArgumentException(file + " is empty; expected a header line");
        }
        return table[0];
    }

    int size() {
        return rows.size();
    }

    Iterable<String> keys() {
        return rows.keySet();
    }

    /** The value of {@code column} in the row of {@code key}, or null. */
    String get(String key, String column) {
        String[] row = rows.get(key);
        if (row == null) {
            return null;
        }
        for (int i = 1; i < columns.length; i++) {
            if (columns[i].equals(column)) {
                return row[i];
            }
        }
        return null;
    }

    /**
     * Puts the row of {@code key} (all but the key column) into the event's categorical features.
     */
    void join(String key, ClickEvent event) {
        String[] row = rows.get(key);
        if (row != null) {
            for (int i = 1; i < columns.length; i++) {
                Events.putCategorical(event, columns[i], row[i]);
            }
        }
    }
}
