package io.streamctr.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.schemas.ClickEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A malformed row of each format is counted and reported with file, line and reason; the read goes
 * on.
 */
class BadLinesTest {

    @TempDir Path tmp;

    static Stream<Arguments> malformedRows() {
        String criteoBadLabel = "x" + "\t1".repeat(13) + "\tc".repeat(26);
        String kddTooManyClicks = "5\t1\t1\t2\t3\t1\t1\t4\t5\t6\t7\t8";
        return Stream.of(
                Arguments.of(
                        "criteo",
                        "criteo",
                        "train.txt",
                        "1\t2\t3",
                        "expected 40 tab-separated fields (39 without label), got 3"),
                Arguments.of(
                        "criteo",
                        "criteo",
                        "train.txt",
                        criteoBadLabel,
                        "label is not 0 or 1: 'x'"),
                Arguments.of(
                        "avazu",
                        "avazu",
                        "train.csv",
                        "1,0,14102100,1005",
                        "expected 24 fields, got 4"),
                Arguments.of(
                        "avazu",
                        "avazu",
                        "train.csv",
                        "1,0,1410" + ",1".repeat(21),
                        "hour is not YYMMDDHH: '1410'"),
                Arguments.of(
                        "movielens",
                        "ml-latest",
                        "ratings.csv",
                        "1,2,abc,964982703",
                        "not a number"),
                Arguments.of(
                        "movielens", "ml-1m", "ratings.dat", "1::2::3", "expected 4 fields, got 3"),
                Arguments.of("movielens", "ml-100k", "u.data", "1\t2\t3\tnow", "not a number"),
                Arguments.of(
                        "mind",
                        "mind",
                        "behaviors.tsv",
                        "9\tU9\tyesterday\t\tN1-1",
                        "time is not M/D/YYYY h:mm:ss AM/PM: 'yesterday'"),
                Arguments.of(
                        "mind",
                        "mind",
                        "behaviors.tsv",
                        "9\tU9\t11/12/2019 2:14:46 PM\t\tN1-7",
                        "label is not 0 or 1: '7'"),
                Arguments.of(
                        "ipinyou",
                        "ipinyou",
                        "train.fm.txt",
                        "0 999:1",
                        "feature index 999 is not in the featindex file"),
                Arguments.of("amazon", "amazon", "train.csv", "3\t10\tnoon", "not a number"),
                Arguments.of(
                        "taobao-behavior",
                        "taobao-behavior",
                        "UserBehavior.csv",
                        "1,2,3,click,100",
                        "behaviour is not one of pv, cart, fav, buy: 'click'"),
                Arguments.of(
                        "taobao-ad",
                        "taobao-ad",
                        "raw_sample.csv",
                        "1,2,3",
                        "expected 6 fields, got 3"),
                Arguments.of(
                        "kdd12",
                        "kdd12",
                        "training.txt",
                        kddTooManyClicks,
                        "clicks 5 and impressions 1 do not fit"),
                Arguments.of(
                        "kuaivideo",
                        "kuaivideo",
                        "train.csv",
                        "7,103,2,0,,",
                        "label is not 0 or 1: '2'"),
                Arguments.of(
                        "generic",
                        "generic-taobao",
                        "train_sample.csv",
                        "1,2",
                        "expected 19 fields, got 2"),
                Arguments.of(
                        "amazon",
                        "amazon-din",
                        "reviews_Grocery_Test_5.json",
                        "{\"reviewerID\": \"A9\", \"asin\": \"B001\"}",
                        "no unixReviewTime"),
                Arguments.of(
                        "amazon",
                        "amazon-din",
                        "reviews_Grocery_Test_5.json",
                        "A9\tB001\t1300000000",
                        "not a JSON object: the line does not start with '{'"),
                Arguments.of(
                        "amazon",
                        "amazon-din",
                        "reviews_Grocery_Test_5.json",
                        "{\"reviewerID\": \"A9\", \"asin\": \"B001\", \"unixReviewTime\":"
                                + " \"noon\"}",
                        "unixReviewTime is not a time in epoch seconds: 'noon'"),
                Arguments.of(
                        "amazon",
                        "amazon-din",
                        "meta_Grocery_Test.json",
                        "{'asin': 'B001', 'categories': [['Grocery'",
                        "not a Python literal at column 43: expected ',' or ']' in a list"),
                Arguments.of(
                        "generic",
                        "generic-json",
                        "events.jsonl",
                        "{\"user\": {\"id\": 1}, \"ad\": {\"adgroup_id\": 2}, \"clk\": true}",
                        "empty time (impression.time)"),
                Arguments.of(
                        "generic",
                        "generic-json",
                        "events.jsonl",
                        "{\"user\": {\"id\": [1]}, \"impression\": {\"time\":"
                                + " \"2017-05-06T00:00:00Z\"}, \"clk\": true}",
                        "user.id is a list, not a single value"),
                Arguments.of(
                        "generic",
                        "generic-json",
                        "events.jsonl",
                        "{\"user\": {\"id\": 1}, \"clk\": tru}",
                        "not JSON: "));
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("malformedRows")
    void malformedRowIsCountedWithFileLineAndReason(
            String dataset, String fixture, String file, String badRow, String reason)
            throws IOException {
        Path dir = copy(fixture);
        Map<String, String> options = options(dataset, dir);
        int good = read(dataset, dir, options).size();
        long lineNumber = Files.readAllLines(dir.resolve(file)).size() + 1;
        Files.writeString(
                dir.resolve(file),
                badRow + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        List<ClickEvent> events = new ArrayList<>();
        EventStream stream =
                DatasetAdapters.get(dataset)
                        .open(path(dataset, dir), new DatasetOptions(options, 10));
        try (stream) {
            stream.forEachRemaining(events::add);
        }

        assertThat(events).hasSize(good);
        assertThat(stream.badLines().count()).isEqualTo(1);
        assertThat(stream.badLines().samples())
                .singleElement()
                .asString()
                .startsWith(file + ":" + lineNumber + ": ")
                .contains(reason);
    }

    @Test
    void readStopsWithTheFirstBadLinesOnceTheLimitIsPassed() throws IOException {
        Path dir = copy("criteo");
        Files.writeString(dir.resolve("train.txt"), "a\nb\n", StandardOpenOption.APPEND);

        assertThatThrownBy(
                        () -> {
                            try (EventStream stream =
                                    DatasetAdapters.get("criteo")
                                            .open(dir, new DatasetOptions(Map.of(), 1))) {
                                stream.forEachRemaining(e -> {});
                            }
                        })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 1 bad lines")
                .hasMessageContaining("train.txt:4: expected 40")
                .hasMessageContaining("train.txt:5: expected 40");
    }

    @Test
    void aFileOfAnotherFormatFailsOnItsHeaderNotLineByLine() throws IOException {
        Path dir = copy("criteo");
        Files.copy(Fixtures.dir("kuaivideo").resolve("train.csv"), dir.resolve("train.csv"));

        assertThatThrownBy(() -> read("avazu", dir.resolve("train.csv"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected an Avazu header");
    }

    private List<ClickEvent> read(String dataset, Path dir, Map<String, String> options) {
        return Fixtures.fileOrder(dataset, path(dataset, dir), options);
    }

    /** The generic adapter reads one file: the fixture's data file beside its mapping. */
    private static Path path(String dataset, Path dir) {
        if (!dataset.equals("generic")) {
            return dir;
        }
        return Files.exists(dir.resolve("events.jsonl"))
                ? dir.resolve("events.jsonl")
                : dir.resolve("train_sample.csv");
    }

    private static Map<String, String> options(String dataset, Path dir) {
        Map<String, String> options = new HashMap<>();
        if (dataset.equals("generic")) {
            options.put("mapping", dir.resolve("mapping.properties").toString());
        }
        return options;
    }

    private Path copy(String fixture) throws IOException {
        Path target = tmp.resolve(fixture);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(Fixtures.dir(fixture))) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }
}
