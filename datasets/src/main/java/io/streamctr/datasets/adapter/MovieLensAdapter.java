package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.Csv;
import io.streamctr.datasets.DatasetAdapter;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.Events;
import io.streamctr.datasets.LineEventStream;
import io.streamctr.datasets.LineMapper;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.datasets.TextFiles;
import io.streamctr.schemas.ClickEvent;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * MovieLens, in its three layouts, found by file name in the directory:
 *
 * <ul>
 *   <li>ml-latest / ml-latest-small / ml-25m / ml-32m: {@code ratings.csv} (header {@code
 *       userId,movieId,rating,timestamp}) + {@code movies.csv} (quoted titles, genres {@code
 *       |}-joined);
 *   <li>ml-1m / ml-10m: {@code ratings.dat} ({@code UserID::MovieID::Rating::Timestamp}) + {@code
 *       movies.dat} (ISO-8859-1) + {@code users.dat} when present (gender, age, occupation, zip as
 *       categorical features);
 *   <li>ml-100k: {@code u.data} (tab-separated) + {@code u.item} (19 genre flags) + {@code u.user}
 *       when present (age, gender, occupation, zip).
 * </ul>
 *
 * One rating is one event, as {@link MovieLensReader} makes it: id {@code ml-USER-MOVIE}, time =
 * timestamp s x 1000, label = rating &gt;= {@code threshold} (option, default 4.0), genres as the
 * multi-valued feature {@code genres}, action type {@code rating}. The files are sorted by user,
 * not time: the caller sorts.
 */
public final class MovieLensAdapter implements DatasetAdapter {

    /** The 19 genres of ml-100k's u.item flags, in column order (its u.genre file). */
    static final List<String> ML100K_GENRES =
            List.of(
                    "unknown",
                    "Action",
                    "Adventure",
                    "Animation",
                    "Children's",
                    "Comedy",
                    "Crime",
                    "Documentary",
                    "Drama",
                    "Fantasy",
                    "Film-Noir",
                    "Horror",
                    "Musical",
                    "Mystery",
                    "Romance",
                    "Sci-Fi",
                    "Thriller",
                    "War",
                    "Western");

    private static final Charset LATIN_1 = StandardCharsets.ISO_8859_1;

    @Override
    public String name() {
        return "movielens";
    }

    @Override
    public String description() {
        return "MovieLens ml-latest/ml-25m CSV, ml-1m DAT, ml-100k TSV (a directory); label ="
                + " rating >= threshold (4.0)";
    }

    @Override
    public boolean timeOrdered() {
        return false;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        TextFiles.requireExists(path);
        Path dir = TextFiles.dirOf(path);
        double threshold = options.getDouble("threshold", MovieLensReader.POSITIVE_RATING);
        Optional<Path> csv = TextFiles.find(dir, "ratings.csv");
        if (csv.isPresent()) {
            Map<String, List<String>> genres = new HashMap<>();
            TextFiles.forEachLine(
                    TextFiles.require(dir, "movies.csv"),
                    StandardCharsets.UTF_8,
                    true,
                    (text, line) -> {
                        String[] f = Csv.split(text, ',');
                        Events.requireFields(f, 3);
                        genres.put(f[0], splitGenres(f[2]));
                    });
            return new LineEventStream(
                    List.of(csv.get()),
                    new Ratings(",", true, genres, Map.of(), threshold),
                    options.newBadLines());
        }
        Optional<Path> dat = TextFiles.find(dir, "ratings.dat");
        if (dat.isPresent()) {
            Map<String, List<String>> genres = new HashMap<>();
            TextFiles.forEachLine(
                    TextFiles.require(dir, "movies.dat"),
                    LATIN_1,
                    false,
                    (text, line) -> {
                        String[] f = TextFiles.split(text, "::");
                        Events.requireFields(f, 3);
                        genres.put(f[0], splitGenres(f[2]));
                    });
            Map<String, Map<String, String>> users = new HashMap<>();
            TextFiles.find(dir, "users.dat")
                    .ifPresent(
                            file ->
                                    TextFiles.forEachLine(
                                            file,
                                            LATIN_1,
                                            false,
                                            (text, line) -> {
                                                String[] f = TextFiles.split(text, "::");
                                                Events.requireFields(f, 5);
                                                users.put(
                                                        f[0],
                                                        features(
                                                                "gender",
                                                                f[1],
                                                                "age",
                                                                f[2],
                                                                "occupation",
                                                                f[3],
                                                                "zip",
                                                                f[4]));
                                            }));
            return new LineEventStream(
                    List.of(dat.get()),
                    LATIN_1,
                    new Ratings("::", false, genres, users, threshold),
                    options.newBadLines());
        }
        Optional<Path> data = TextFiles.find(dir, "u.data");
        if (data.isPresent()) {
            Map<String, List<String>> genres = new HashMap<>();
            TextFiles.forEachLine(
                    TextFiles.require(dir, "u.item"),
                    LATIN_1,
                    false,
                    (text, line) -> {
                        String[] f = TextFiles.split(text, '|');
                        Events.requireFields(f, 5 + ML100K_GENRES.size());
                        List<String> g = new ArrayList<>();
                        for (int i = 0; i < ML100K_GENRES.size(); i++) {
                            if (f[5 + i].equals("1")) {
                                g.add(ML100K_GENRES.get(i));
                            }
                        }
                        genres.put(f[0], g);
                    });
            Map<String, Map<String, String>> users = new HashMap<>();
            TextFiles.find(dir, "u.user")
                    .ifPresent(
                            file ->
                                    TextFiles.forEachLine(
                                            file,
                                            LATIN_1,
                                            false,
                                            (text, line) -> {
                                                String[] f = TextFiles.split(text, '|');
                                                Events.requireFields(f, 5);
                                                users.put(
                                                        f[0],
                                                        features(
                                                                "age",
                                                                f[1],
                                                                "gender",
                                                                f[2],
                                                                "occupation",
                                                                f[3],
                                                                "zip",
                                                                f[4]));
                                            }));
            return new LineEventStream(
                    List.of(data.get()),
                    new Ratings("\t", false, genres, users, threshold),
                    options.newBadLines());
        }
        throw new IllegalArgumentException(
                "expected ratings.csv (ml-latest), ratings.dat (ml-1m) or u.data (ml-100k),"
                        + " plain or .gz, in "
                        + dir
                        + "; found none");
    }

    private static List<String> splitGenres(String raw) {
        return raw.isEmpty() || raw.equals("(no genres listed)")
                ? List.of()
                : List.of(raw.split("\\|"));
    }

    private static Map<String, String> features(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** One rating line of any layout. */
    private record Ratings(
            String separator,
            boolean header,
            Map<String, List<String>> genres,
            Map<String, Map<String, String>> users,
            double threshold)
            implements LineMapper {

        @Override
        public boolean hasHeader() {
            return header;
        }

        @Override
        public void header(String text, Path file) {
            if (!text.equals("userId,movieId,rating,timestamp")) {
                throw new IllegalArgumentException(
                        "expected the header userId,movieId,rating,timestamp in "
                                + file
                                + ", got '"
                                + text
                                + "'");
            }
        }

        @Override
        public void map(String text, Path file, long lineNumber, Consumer<ClickEvent> out) {
            String[] f = TextFiles.split(text, separator);
            Events.requireFields(f, 4);
            long user = Long.parseLong(f[0]);
            long movie = Long.parseLong(f[1]);
            double rating = Double.parseDouble(f[2]);
            if (!Double.isFinite(rating)) {
                throw new BadLineException("rating is not finite: '" + f[2] + "'");
            }
            long seconds = Long.parseLong(f[3]);
            ClickEvent e =
                    Events.create(
                            "ml-" + user + "-" + movie,
                            Long.toString(user),
                            Long.toString(movie),
                            Math.multiplyExact(seconds, 1000L),
                            rating >= threshold ? 1 : 0,
                            MovieLensReader.ACTION_TYPE);
            e.getMultiValued()
                    .put(
                            MovieLensReader.GENRES_FIELD,
                            new ArrayList<>(genres.getOrDefault(f[1], List.of())));
            Events.putAll(e, users.getOrDefault(f[0], Map.of()));
            out.accept(e);
        }
    }
}
