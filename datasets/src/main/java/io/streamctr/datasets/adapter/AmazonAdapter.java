package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLines;
import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.LineEventStream;
import io.streamctr.datasets.TextFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Amazon reviews, in either of two forms, told apart by the file names:
 *
 * <ul>
 *   <li><b>DIN</b> (the files the DIN paper used, McAuley's 2014 dumps, also the 2018 ones): {@code
 *       reviews_<Cat>_5.json[.gz]} (or {@code <Cat>_5.json}) with one review per line, a JSON
 *       object or a Python dict literal: {@code reviewerID} (user), {@code asin} (item), {@code
 *       unixReviewTime} (s); and, beside it, {@code meta_<Cat>.json[.gz]} (or the option {@code
 *       meta=FILE}) for the category ({@link AmazonMeta}: the leaf of the last category path, as in
 *       DIN; {@code category-path=first} for the first). The negatives are drawn from the items of
 *       the reviews file (collected by a first pass over it, as DIN samples from its item
 *       vocabulary). The rating ({@code overall}) is not a feature: only positives have one.
 *   <li><b>ReChorus</b> ({@code train.csv}, {@code dev.csv}, {@code test.csv}: tab-separated {@code
 *       user_id, item_id, time} in seconds, dev/test with a {@code neg_items} list; {@code
 *       item_meta.csv}: {@code item_id, i_category, ...}), read in the order train, dev, test.
 *       Negatives: the line's {@code neg_items} when it has them, else drawn from the item_meta
 *       items (without item_meta, from the items seen so far).
 * </ul>
 *
 * Either way each review is a positive (label 1, action type {@value #POSITIVE_ACTION}) followed by
 * negatives at the same time (label 0, action type {@value #NEGATIVE_ACTION}): {@code negatives}
 * (option, default 1) items drawn uniformly with a {@link java.util.Random} seeded by {@code seed}
 * (default 42), never the positive itself; the category is the categorical feature {@value
 * #CATEGORY}. The files are not in time order: the caller sorts.
 */
public final class AmazonAdapter implements DatasetAdapter {

    public static final String POSITIVE_ACTION = "review";
    public static final String NEGATIVE_ACTION = "sampled-negative";
    public static final String CATEGORY = "i_category";

    private static final String META_PREFIX = "meta_";
    private static final int MAX_NEGATIVES = 1_000;

    @Override
    public String name() {
        return "amazon";
    }

    @Override
    public String description() {
        return "Amazon reviews: DIN reviews_<Cat>_5.json + meta_<Cat>.json (JSON or Python dict"
                + " lines), or ReChorus train/dev/test.csv + item_meta; positives + seeded"
                + " sampled negatives (negatives=1, seed=42)";
    }

    @Override
    public boolean timeOrdered() {
        return false;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        TextFiles.requireExists(path);
        Path dir = TextFiles.dirOf(path);
        long negativesOption = options.getLong("negatives", 1);
        if (negativesOption < 0 || negativesOption > MAX_NEGATIVES) {
            throw new IllegalArgumentException(
                    "option negatives must be between 0 and "
                            + MAX_NEGATIVES
                            + ", got "
                            + negativesOption);
        }
        int negatives = (int) negativesOption;
        long seed = options.getLong("seed", 42);
        if (Files.isRegularFile(path)) {
            return isJson(path)
                    ? openReviews(path, dir, negatives, seed, options)
                    : openReChorus(List.of(path), dir, negatives, seed, options);
        }
        if (TextFiles.find(dir, "train.csv").isPresent()) {
            List<Path> files = new ArrayList<>();
            files.add(TextFiles.require(dir, "train.csv"));
            TextFiles.find(dir, "dev.csv").ifPresent(files::add);
            TextFiles.find(dir, "test.csv").ifPresent(files::add);
            return openReChorus(files, dir, negatives, seed, options);
        }
        List<Path> reviews =
                jsonFiles(dir).stream()
                        .filter(f -> !f.getFileName().toString().startsWith(META_PREFIX))
                        .toList();
        if (reviews.size() != 1) {
            throw new IllegalArgumentException(
                    "expected train.csv (ReChorus form) or one reviews_<Category>_5.json[.gz]"
                            + " (DIN form) in "
                            + dir
                            + ", found "
                            + (reviews.isEmpty()
                                    ? "neither"
                                    : reviews + ": give one of them as --path"));
        }
        return openReviews(reviews.get(0), dir, negatives, seed, options);
    }

    private static EventStream openReChorus(
            List<Path> files, Path dir, int negatives, long seed, DatasetOptions options) {
        SideTable meta =
                TextFiles.find(dir, "item_meta.csv").map(f -> SideTable.read(f, '\t')).orElse(null);
        List<String> pool = new ArrayList<>();
        if (meta != null) {
            meta.keys().forEach(pool::add);
            pool.sort(null);
        }
        NegativeSampler sampler = new NegativeSampler(pool, negatives, seed);
        return new LineEventStream(
                files,
                new AmazonReChorusMapper(meta, sampler, meta == null),
                options.newBadLines());
    }

    private static EventStream openReviews(
            Path reviews, Path dir, int negatives, long seed, DatasetOptions options) {
        String categoryPath = options.get("category-path", "last");
        if (!categoryPath.equals("last") && !categoryPath.equals("first")) {
            throw new IllegalArgumentException(
                    "option category-path must be last or first, got '" + categoryPath + "'");
        }
        Set<String> items = items(reviews);
        BadLines badLines = options.newBadLines();
        Path metaFile =
                options.get("meta") != null ? Path.of(options.get("meta")) : metaFile(reviews, dir);
        Map<String, String> categories =
                metaFile == null
                        ? Map.of()
                        : AmazonMeta.categories(
                                metaFile, items, categoryPath.equals("last"), badLines);
        NegativeSampler sampler = new NegativeSampler(items, negatives, seed);
        return new LineEventStream(
                List.of(reviews), new AmazonReviewsMapper(categories, sampler), badLines);
    }

    /**
     * The distinct items of the reviews file, sorted: the negatives' pool (its bad lines are
     * counted by the main pass).
     */
    private static Set<String> items(Path reviews) {
        Set<String> items = new TreeSet<>();
        try (BufferedReader reader = TextFiles.open(reviews, StandardCharsets.UTF_8, null)) {
            String text;
            while ((text = reader.readLine()) != null) {
                String item = text.isBlank() ? null : AmazonReviewsMapper.itemOf(text);
                if (item != null && !item.isEmpty()) {
                    items.add(item);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + reviews, e);
        }
        return items;
    }

    /**
     * {@code meta_<Cat>.json[.gz]} for {@code reviews_<Cat>_5.json}, or the only meta file in the
     * directory; null if none.
     */
    private static Path metaFile(Path reviews, Path dir) {
        String category =
                TextFiles.stem(reviews).replaceFirst("^reviews_", "").replaceFirst("_5$", "");
        for (String ext : List.of(".json", ".jsonl")) {
            Path match = TextFiles.find(dir, META_PREFIX + category + ext).orElse(null);
            if (match != null) {
                return match;
            }
        }
        List<Path> metas =
                jsonFiles(dir).stream()
                        .filter(f -> f.getFileName().toString().startsWith(META_PREFIX))
                        .toList();
        if (metas.size() > 1) {
            throw new IllegalArgumentException(
                    "several meta files in "
                            + dir
                            + " and none named "
                            + META_PREFIX
                            + category
                            + ".json: "
                            + metas
                            + "; give one with --option meta=FILE");
        }
        return metas.isEmpty() ? null : metas.get(0);
    }

    private static List<Path> jsonFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(AmazonAdapter::isJson)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean isJson(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.gz$", "");
        return name.endsWith(".json") || name.endsWith(".jsonl");
    }
}
