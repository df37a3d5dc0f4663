package io.streamctr.datasets;

import io.streamctr.schemas.ClickEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a MovieLens ml-latest / ml-latest-small directory ({@code ratings.csv} and {@code
 * movies.csv}, each plain or gzipped) into {@link ClickEvent}s in event-time order, the order in
 * which they are replayed into the events topic.
 *
 * <p>One rating becomes one event: {@code eventId = "ml-" + userId + "-" + movieId} (MovieLens
 * holds one rating per user and movie, so the id is unique), {@code eventTime = timestamp * 1000}
 * ms, {@code label = rating >= 4.0 ? 1 : 0}, the movie's genres as the multi-valued feature {@code
 * genres} (empty for a movie missing from movies.csv or with "(no genres listed)"), and {@code
 * actionType = "rating"}. Events are sorted by timestamp, then user id, then movie id
 * (numerically); the sort is stable.
 *
 * <p>The whole file is held in memory, which suits ml-latest-small (~100k ratings). A streaming
 * reader for the full ml-latest (~33M ratings, e.g. an external merge sort by time) is future work.
 */
public final class MovieLensReader {

    /** The multi-valued feature that holds a movie's genres. */
    public static final String GENRES_FIELD = "genres";

    /** The action type of every MovieLens event. */
    public static final String ACTION_TYPE = "rating";

    /** Ratings at or above this are positives (label 1). */
    public static final double POSITIVE_RATING = 4.0;

    private static final String NO_GENRES = "(no genres listed)";
    private static final List<String> RATINGS_HEADER =
            List.of("userId", "movieId", "rating", "timestamp");
    private static final List<String> MOVIES_HEADER = List.of("movieId", "title", "genres");

    private MovieLensReader() {}

    /** All events of the data set in {@code dir}, sorted by time. */
    public static List<ClickEvent> read(Path dir) {
        return read(dir, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} events of the data set in {@code dir}, in time order.
     *
     * @throws IllegalArgumentException if a file is missing or a line is malformed (the message
     *     names the file and the line number), or if {@code limit} is negative
     */
    public static List<ClickEvent> read(Path dir, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        Map<Long, List<String>> genres = readGenres(locate(dir, "movies"));
        List<Rating> ratings = readRatings(locate(dir, "ratings"));
        ratings.sort(
                Comparator.comparingLong(Rating::timestamp)
                        .thenComparingLong(Rating::userId)
                        .thenComparingLong(Rating::movieId));
        int n = Math.min(limit, ratings.size());
        List<ClickEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(
                    toEvent(
                            ratings.get(i),
                            genres.getOrDefault(ratings.get(i).movieId(), List.of())));
        }
        return events;
    }

    private static ClickEvent toEvent(Rating r, List<String> genres) {
        Map<String, List<String>> multiValued = new HashMap<>();
        multiValued.put(GENRES_FIELD, new ArrayList<>(genres));
        return ClickEvent.newBuilder()
                .setEventId("ml-" + r.userId() + "-" + r.movieId())
                .setUserId(Long.toString(r.userId()))
                .setItemId(Long.toString(r.movieId()))
                .setEventTime(Math.multiplyExact(r.timestamp(), 1000L))
                .setLabel(r.rating() >= POSITIVE_RATING ? 1 : 0)
                .setCategorical(new HashMap<>())
                .setNumeric(new HashMap<>())
                .setMultiValued(multiValued)
                .setActionType(ACTION_TYPE)
                .build();
    }

    /** {@code name.csv}, else {@code name.csv.gz}, in {@code dir}. */
    private static Path locate(Path dir, String name) {
        for (String candidate : List.of(name + ".csv", name + ".csv.gz")) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalArgumentException(
                "expected "
                        + name
                        + ".csv or "
                        + name
                        + ".csv.gz in "
                        + dir.toAbsolutePath()
                        + ", found neither");
    }

    private static Map<Long, List<String>> readGenres(Path file) {
        Map<Long, List<String>> genres = new HashMap<>();
        forEachRow(
                file,
                MOVIES_HEADER,
                (fields, line) -> {
                    long movieId = parseLong(fields.get(0), "movieId", file, line);
                    String raw = fields.get(2);
                    genres.put(
                            movieId,
                            raw.isEmpty() || raw.equals(NO_GENRES)
                                    ? List.of()
                                    : List.of(raw.split("\\|")));
                });
        return genres;
    }

    private static List<Rating> readRatings(Path file) {
        List<Rating> ratings = new ArrayList<>();
        forEachRow(
                file,
                RATINGS_HEADER,
                (fields, line) -> {
                    long userId = parseLong(fields.get(0), "userId", file, line);
                    long movieId = parseLong(fields.get(1), "movieId", file, line);
                    double rating;
                    try {
                        rating = Double.parseDouble(fields.get(2));
                    } catch (NumberFormatException e) {
                        throw malformed(
                                file, line, "rating is not a number: '" + fields.get(2) + "'");
                    }
                    if (!Double.isFinite(rating)) {
                        throw malformed(
                                file, line, "rating is not finite: '" + fields.get(2) + "'");
                    }
                    long timestamp = parseLong(fields.get(3), "timestamp", file, line);
                    ratings.add(new Rating(userId, movieId, rating, timestamp));
                });
        return ratings;
    }

    private interface RowHandler {
        void accept(List<String> fields, long lineNumber);
    }

    /**
     * Checks the header, then hands every non-empty data row (with its 1-based line number) over.
     */
    private static void forEachRow(Path file, List<String> header, RowHandler handler) {
        try (BufferedReader reader = open(file)) {
            String text = reader.readLine();
            if (text == null || !parseCsvLine(text, file, 1).equals(header)) {
                throw malformed(
                        file,
                        1,
                        "expected the header " + String.join(",", header) + ", got '" + text + "'");
            }
            long line = 1;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isEmpty()) {
                    continue;
                }
                List<String> fields = parseCsvLine(text, file, line);
                if (fields.size() != header.size()) {
                    throw malformed(
                            file,
                            line,
                            "expected " + header.size() + " fields, got " + fields.size());
                }
                handler.accept(fields, line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** The fields of one RFC 4180 line (quoted titles may hold commas), via {@link Csv}. */
    static List<String> parseCsvLine(String text, Path file, long line) {
        try {
            return List.of(Csv.split(text, ','));
        } catch (BadLineException e) {
            throw malformed(file, line, e.getMessage());
        }
    }

    private static long parseLong(String value, String column, Path file, long line) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw malformed(file, line, column + " is not an integer: '" + value + "'");
        }
    }

    private static IllegalArgumentException malformed(Path file, long line, String what) {
        return new IllegalArgumentException("malformed line " + line + " of " + file + ": " + what);
    }

    /** One parsed rating, compact until it is needed as an event. */
    private record Rating(long userId, long movieId, double rating, long timestamp) {}
}
