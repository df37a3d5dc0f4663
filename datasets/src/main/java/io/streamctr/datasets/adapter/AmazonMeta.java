package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.BadLines;
import io.streamctr.datasets.JsonRecords;
import io.streamctr.datasets.TextFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The category of each item from an Amazon meta file ({@code meta_<Cat>.json}: one JSON object or
 * Python dict literal per line with {@code asin} and the category paths). The category is the leaf
 * (last element) of one path: of the last path by default, as the DIN paper's preprocessing took it
 * ({@code categories[-1][-1]}), or of the first with {@code category-path=first}. The 2014 files
 * hold {@code categories}, a list of paths ({@code [["Grocery", "Snacks", "Chips"], ...]}); the
 * 2018 files {@code category}, one path as a flat list. Only the items in {@code wanted} are kept
 * (a meta file lists many items that no review mentions); a malformed line is a bad line.
 */
final class AmazonMeta {

    private AmazonMeta() {}

    /** Item → category for the items in {@code wanted}; items without a category are left out. */
    static Map<String, String> categories(
            Path file, Set<String> wanted, boolean lastPath, BadLines badLines) {
        Map<String, String> categories = new HashMap<>();
        try (BufferedReader reader = TextFiles.open(file, StandardCharsets.UTF_8, null)) {
            String text;
            long line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    Map<String, Object> item = JsonRecords.parse(text);
                    String asin =
                            JsonRecords.text(
                                    item.get(AmazonReviewsMapper.ITEM), AmazonReviewsMapper.ITEM);
                    if (asin.isEmpty()) {
                        throw new BadLineException("no asin");
                    }
                    if (wanted.contains(asin)) {
                        String category = category(item, lastPath);
                        if (category != null && !category.isEmpty()) {
                            categories.put(asin, category);
                        }
                    }
                } catch (BadLineException e) {
                    badLines.record(file, line, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return categories;
    }

    /** The leaf of the first or last category path; null when the item has none. */
    static String category(Map<String, Object> item, boolean lastPath) {
        Object paths = item.get("categories");
        if (paths == null) {
            paths = item.get("category");
        }
        if (paths instanceof List<?> list && !list.isEmpty()) {
            Object path = lastPath ? list.get(list.size() - 1) : list.get(0);
            if (path instanceof List<?> nested) {
                return nested.isEmpty()
                        ? null
                        : JsonRecords.text(nested.get(nested.size() - 1), "category");
            }
            // a flat list is one path (2018 files): its leaf
            return JsonRecords.text(list.get(list.size() - 1), "category");
        }
        return paths == null ? null : JsonRecords.text(paths, "category");
    }
}
