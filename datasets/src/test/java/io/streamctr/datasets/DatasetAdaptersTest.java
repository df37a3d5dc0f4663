package io.streamctr.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.streamctr.datasets.adapter.AmazonAdapter;
import io.streamctr.datasets.adapter.CriteoAdapter;
import io.streamctr.datasets.adapter.MindAdapter;
import io.streamctr.schemas.ClickEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each adapter on its fixture: field mapping, label, time, user. */
class DatasetAdaptersTest {

    private static long epochMillis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void criteoBucketsIntegersByLnSquaredAboveTwoAndLeavesEmptyFieldsOut() {
        assertThat(CriteoAdapter.bucket(0)).isZero();
        assertThat(CriteoAdapter.bucket(2)).isEqualTo(2);
        assertThat(CriteoAdapter.bucket(3)).isEqualTo(1); // ln 3 = 1.0986, ^2 = 1.2069
        assertThat(CriteoAdapter.bucket(10)).isEqualTo(5); // ln 10 = 2.3026, ^2 = 5.3019
        assertThat(CriteoAdapter.bucket(100)).isEqualTo(21); // 4.6052^2 = 21.2076
        assertThat(CriteoAdapter.bucket(-1)).isEqualTo(-1);

        List<ClickEvent> events = Fixtures.fileOrder("criteo", Fixtures.dir("criteo"), Map.of());

        assertThat(events).hasSize(3);
        ClickEvent first = events.get(0);
        assertThat(first.getLabel()).isEqualTo(1);
        assertThat(first.getEventId()).isEqualTo("criteo:train:1");
        assertThat(first.getCategorical())
                .contains(
                        entry("I1", "0"),
                        entry("I2", "1"),
                        entry("I3", "2"),
                        entry("I4", "1"),
                        entry("I5", "5"),
                        entry("I6", "21"),
                        entry("I7", "47"),
                        entry("I9", "-1"),
                        entry("C1", "68fd1e64"),
                        entry("C26", "c26"));
        assertThat(first.getCategorical()).doesNotContainKeys("I8", "I12", "C3", "C4");
        assertThat(events.get(1).getCategorical())
                .containsOnlyKeys(
                        List.of(
                                "I1", "I13", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9",
                                "C10", "C11", "C12", "C13", "C14", "C15", "C16", "C17", "C18",
                                "C19", "C20", "C21", "C22", "C23", "C24", "C25", "C26"));
        assertThat(events).extracting(ClickEvent::getEventTime).containsExactly(0L, 1L, 2L);
        assertThat(events).extracting(ClickEvent::getUserId).containsExactly("u0", "u1", "u2");
    }

    @Test
    void avazuDecodesTheHourAndUsesTheIpWhenTheDeviceIdIsThePlaceholder() {
        List<ClickEvent> events =
                Fixtures.fileOrder("avazu", Fixtures.dir("avazu").resolve("train.csv"), Map.of());

        assertThat(events).hasSize(10);
        ClickEvent first = events.get(0);
        assertThat(first.getEventId()).isEqualTo("avazu:1000009418151094273");
        assertThat(first.getEventTime()).isEqualTo(epochMillis("2014-10-21T00:00:00Z"));
        assertThat(first.getCategorical())
                .contains(
                        entry("hour_of_day", "0"),
                        entry("weekday", "2"),
                        entry("is_weekend", "0"),
                        entry("site_id", "1fbe01fe"),
                        entry("C21", "79"));
        assertThat(first.getCategorical()).doesNotContainKeys("id", "click", "hour");
        assertThat(first.getUserId()).isEqualTo("ip:ddd2926e");
        assertThat(first.getItemId()).isEqualTo("1fbe01fe");
        assertThat(first.getLabel()).isZero();
        assertThat(events).allSatisfy(e -> assertThat(e.getUserId()).doesNotContain("a99f214a"));
    }

    @Test
    void movieLensLatestLabelsByThresholdAndSortsByTime() {
        List<ClickEvent> events =
                Fixtures.timeOrder("movielens", Fixtures.dir("ml-latest"), Map.of());

        assertThat(events)
                .extracting(ClickEvent::getEventId)
                .containsExactly("ml-2-11", "ml-2-1", "ml-1-3", "ml-1-1");
        assertThat(events).extracting(ClickEvent::getLabel).containsExactly(1, 0, 0, 1);
        assertThat(events.get(2).getMultiValued().get("genres"))
                .containsExactly("Comedy", "Drama", "Romance");
        assertThat(events.get(0).getMultiValued().get("genres")).isEmpty();
        assertThat(events.get(3).getEventTime()).isEqualTo(964_982_703_000L);

        List<ClickEvent> strict =
                Fixtures.timeOrder(
                        "movielens", Fixtures.dir("ml-latest"), Map.of("threshold", "3.5"));
        assertThat(strict).extracting(ClickEvent::getLabel).containsExactly(1, 0, 1, 1);
    }

    @Test
    void movieLensAdapterMakesTheSameEventsAsTheInMemoryReaderOnTheBundledData() {
        List<ClickEvent> expected = MovieLensReader.read(BundledData.movieLensDir(), 3_000);

        List<ClickEvent> actual =
                DatasetAdapters.read(
                        "movielens", BundledData.movieLensDir(), DatasetOptions.defaults(), 3_000);

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void movieLens1mReadsDatFilesWithUserFeatures() {
        List<ClickEvent> events = Fixtures.timeOrder("movielens", Fixtures.dir("ml-1m"), Map.of());

        assertThat(events).hasSize(6);
        ClickEvent first = events.get(0);
        assertThat(first.getEventId()).isEqualTo("ml-5848-909");
        assertThat(first.getLabel()).isEqualTo(1);
        assertThat(first.getCategorical())
                .containsOnly(
                        entry("gender", "M"),
                        entry("age", "50"),
                        entry("occupation", "20"),
                        entry("zip", "20009"));
        assertThat(first.getMultiValued().get("genres")).containsExactly("Comedy", "Drama");
        assertThat(events).extracting(ClickEvent::getEventTime).isSorted();
    }

    @Test
    void movieLens100kReadsGenreFlags() {
        List<ClickEvent> events =
                Fixtures.timeOrder("movielens", Fixtures.dir("ml-100k"), Map.of());

        assertThat(events)
                .extracting(ClickEvent::getEventId)
                .containsExactly("ml-22-242", "ml-196-242", "ml-186-302");
        assertThat(events.get(0).getLabel()).isEqualTo(1);
        assertThat(events.get(1).getLabel()).isZero();
        assertThat(events.get(2).getMultiValued().get("genres"))
                .containsExactly("Crime", "Film-Noir", "Mystery", "Thriller");
        assertThat(events.get(2).getCategorical())
                .contains(entry("gender", "F"), entry("occupation", "executive"));
    }

    @Test
    void mindEmitsOneEventPerCandidateAndTheHistoryOnceBeforeTheUsersFirstImpression() {
        List<ClickEvent> fileOrder = Fixtures.fileOrder("mind", Fixtures.dir("mind"), Map.of());
        List<ClickEvent> events = Fixtures.timeOrder("mind", Fixtures.dir("mind"), Map.of());

        long candidates =
                fileOrder.stream()
                        .filter(e -> e.getActionType().equals(MindAdapter.IMPRESSION_ACTION))
                        .count();
        assertThat(candidates).isEqualTo(3 + 2 + 2 + 2);
        assertThat(
                        fileOrder.stream()
                                .filter(e -> e.getActionType().equals(MindAdapter.HISTORY_ACTION)))
                .extracting(ClickEvent::getEventId)
                .containsExactly("mind:U1:h0", "mind:U1:h1", "mind:U3:h0");
        long u1First = epochMillis("2019-11-11T08:00:00Z");
        assertThat(events.subList(0, 4))
                .extracting(ClickEvent::getEventId)
                .containsExactly("mind:U1:h0", "mind:U1:h1", "mind:3:0", "mind:3:1");
        assertThat(events.get(0).getEventTime()).isEqualTo(u1First - 2);
        assertThat(events.get(1).getEventTime()).isEqualTo(u1First - 1);
        assertThat(events.get(0).getLabel()).isEqualTo(1);
        assertThat(events.get(3).getLabel()).isEqualTo(1);
        assertThat(events.get(3).getCategorical())
                .containsOnly(entry("category", "sports"), entry("subcategory", "football_nfl"));
        assertThat(events.get(0).getCategorical()).containsEntry("category", "news");
        ClickEvent unlabelled = fileOrder.get(fileOrder.size() - 1);
        assertThat(unlabelled.getEventId()).isEqualTo("mind:4:1");
        assertThat(unlabelled.getLabel()).isNull();
        assertThat(events).extracting(ClickEvent::getEventTime).isSorted();
    }

    @Test
    void ipinyouRecoversFieldsFromTheFeatureIndex() {
        List<ClickEvent> events = Fixtures.fileOrder("ipinyou", Fixtures.dir("ipinyou"), Map.of());

        assertThat(events).hasSize(3);
        assertThat(events.get(0).getCategorical())
                .containsOnly(
                        entry("weekday", "2"),
                        entry("hour", "13"),
                        entry("region", "40"),
                        entry("creative", "11908"),
                        entry("slotwidth", "320"));
        assertThat(events.get(0).getItemId()).isEqualTo("11908");
        assertThat(events.get(1).getLabel()).isEqualTo(1);
        assertThat(events.get(2).getEventId()).isEqualTo("ipinyou:test.fm:1");
        assertThat(events).extracting(ClickEvent::getEventTime).containsExactly(0L, 1L, 2L);
    }

    @Test
    void amazonFollowsEachReviewWithSeededNegativesOrTheGivenOnes() {
        List<ClickEvent> events =
                Fixtures.timeOrder(
                        "amazon", Fixtures.dir("amazon"), Map.of("negatives", "2", "seed", "7"));
        List<ClickEvent> again =
                Fixtures.timeOrder(
                        "amazon", Fixtures.dir("amazon"), Map.of("negatives", "2", "seed", "7"));

        assertThat(events).isEqualTo(again);
        assertThat(events).hasSize(3 * 3 + 3);
        assertThat(events.get(0).getEventId()).isEqualTo("amazon:train:3");
        assertThat(events.get(0).getLabel()).isEqualTo(1);
        assertThat(events.get(0).getCategorical()).containsOnly(entry("i_category", "1"));
        for (int i = 1; i <= 2; i++) {
            ClickEvent negative = events.get(i);
            assertThat(negative.getLabel()).isZero();
            assertThat(negative.getActionType()).isEqualTo("sampled-negative");
            assertThat(negative.getItemId()).isNotEqualTo("11").isIn("10", "12", "13", "14");
            assertThat(negative.getEventTime()).isEqualTo(900_000L);
            assertThat(negative.getUserId()).isEqualTo("2");
        }
        assertThat(events.subList(9, 12))
                .extracting(ClickEvent::getItemId)
                .containsExactly("13", "10", "14");
        assertThat(events).extracting(ClickEvent::getEventTime).isSorted();
    }

    @Test
    void amazonDinFilesGiveReviewsAsPositivesWithSeededNegativesAndTheLeafOfTheLastCategoryPath() {
        Path dir = Fixtures.dir("amazon-din");
        List<ClickEvent> events = Fixtures.timeOrder("amazon", dir, Map.of("seed", "7"));
        List<ClickEvent> fromTheReviewsFile =
                Fixtures.timeOrder(
                        "amazon", dir.resolve("reviews_Grocery_Test_5.json"), Map.of("seed", "7"));

        assertThat(fromTheReviewsFile).isEqualTo(events);
        assertThat(events).hasSize(6 * 2);
        List<ClickEvent> positives = events.stream().filter(e -> e.getLabel() == 1).toList();
        assertThat(positives)
                .extracting(ClickEvent::getEventId)
                .containsExactly(
                        "amazon:reviews_Grocery_Test_5:2",
                        "amazon:reviews_Grocery_Test_5:4",
                        "amazon:reviews_Grocery_Test_5:1",
                        "amazon:reviews_Grocery_Test_5:3",
                        "amazon:reviews_Grocery_Test_5:5",
                        "amazon:reviews_Grocery_Test_5:6");
        assertThat(positives)
                .extracting(ClickEvent::getUserId)
                .containsExactly("A1", "A1", "A2", "A3", "A2", "A3");
        assertThat(positives)
                .extracting(ClickEvent::getItemId)
                .containsExactly("B001", "B003", "B002", "B001", "B004", "B005");
        assertThat(positives)
                .extracting(ClickEvent::getActionType)
                .containsOnly(AmazonAdapter.POSITIVE_ACTION);
        assertThat(positives.get(0).getEventTime()).isEqualTo(1_300_000_000_000L);
        assertThat(positives)
                .extracting(e -> e.getCategorical().get(AmazonAdapter.CATEGORY))
                .containsExactly(
                        "Coffee, Tea & Cocoa",
                        "Grocery & Gourmet Food",
                        "Chips",
                        "Coffee, Tea & Cocoa",
                        null,
                        "Sugar");
        Map<String, String> categoryOf =
                Map.of(
                        "B001",
                        "Coffee, Tea & Cocoa",
                        "B002",
                        "Chips",
                        "B003",
                        "Grocery & Gourmet Food",
                        "B005",
                        "Sugar");
        for (int i = 0; i < events.size(); i += 2) {
            ClickEvent positive = events.get(i);
            ClickEvent negative = events.get(i + 1);
            assertThat(negative.getEventId()).isEqualTo(positive.getEventId() + ":n0");
            assertThat(negative.getLabel()).isZero();
            assertThat(negative.getActionType()).isEqualTo(AmazonAdapter.NEGATIVE_ACTION);
            assertThat(negative.getUserId()).isEqualTo(positive.getUserId());
            assertThat(negative.getEventTime()).isEqualTo(positive.getEventTime());
            assertThat(negative.getItemId())
                    .isIn("B001", "B002", "B003", "B004", "B005")
                    .isNotEqualTo(positive.getItemId());
            assertThat(negative.getCategorical().get(AmazonAdapter.CATEGORY))
                    .isEqualTo(categoryOf.get(negative.getItemId()));
        }
    }

    @Test
    void amazonDinOptionsChooseTheFirstCategoryPathAndTheNumberOfNegatives() {
        List<ClickEvent> events =
                Fixtures.timeOrder(
                        "amazon",
                        Fixtures.dir("amazon-din"),
                        Map.of("category-path", "first", "negatives", "3"));

        assertThat(events).hasSize(6 * 4);
        assertThat(events.get(0).getItemId()).isEqualTo("B001");
        assertThat(events.get(0).getCategorical())
                .containsOnly(entry(AmazonAdapter.CATEGORY, "Coffee"));
        assertThat(events.subList(1, 4))
                .extracting(ClickEvent::getEventId)
                .containsExactly(
                        "amazon:reviews_Grocery_Test_5:2:n0",
                        "amazon:reviews_Grocery_Test_5:2:n1",
                        "amazon:reviews_Grocery_Test_5:2:n2");
    }

    @Test
    void amazonSaysWhichFilesOfEitherFormItExpected(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "not a data set\n");

        assertThatThrownBy(() -> Fixtures.timeOrder("amazon", tmp, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "expected train.csv (ReChorus form) or one reviews_<Category>_5.json[.gz]"
                                + " (DIN form)");
        assertThatThrownBy(
                        () ->
                                Fixtures.timeOrder(
                                        "amazon",
                                        Fixtures.dir("amazon-din"),
                                        Map.of("negatives", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option negatives must be between 0 and 1000, got -1");
    }

    @Test
    void gzippedFilesAreReadDirectlyAndGiveTheSameEvents(@TempDir Path tmp) throws IOException {
        for (String fixture : List.of("amazon-din", "criteo")) {
            Path gz = Files.createDirectories(tmp.resolve(fixture));
            try (var files = Files.list(Fixtures.dir(fixture))) {
                for (Path f : files.toList()) {
                    try (var out =
                            new GZIPOutputStream(
                                    Files.newOutputStream(gz.resolve(f.getFileName() + ".gz")))) {
                        Files.copy(f, out);
                    }
                }
            }

            assertThat(
                            Fixtures.timeOrder(
                                    fixture.startsWith("amazon") ? "amazon" : fixture,
                                    gz,
                                    Map.of()))
                    .isEqualTo(
                            Fixtures.timeOrder(
                                    fixture.startsWith("amazon") ? "amazon" : fixture,
                                    Fixtures.dir(fixture),
                                    Map.of()))
                    .isNotEmpty();
        }
    }

    @Test
    void taobaoBehaviourIsTheActionTypeAndBuyCartFavArePositives() {
        List<ClickEvent> events =
                Fixtures.timeOrder("taobao-behavior", Fixtures.dir("taobao-behavior"), Map.of());

        assertThat(events)
                .extracting(ClickEvent::getActionType)
                .containsExactly("cart", "pv", "buy", "fav");
        assertThat(events).extracting(ClickEvent::getLabel).containsExactly(1, 0, 1, 1);
        assertThat(events.get(1).getCategorical()).containsOnly(entry("category_id", "2520377"));
        assertThat(events.get(1).getEventTime()).isEqualTo(1_511_544_070_000L);
    }

    @Test
    void taobaoAdJoinsAdFeaturesAndUserProfileAndSortsByTimeStably() {
        List<ClickEvent> events =
                Fixtures.timeOrder("taobao-ad", Fixtures.dir("taobao-ad"), Map.of());

        assertThat(events)
                .extracting(ClickEvent::getItemId)
                .containsExactly("680144", "519384", "172298", "512277");
        ClickEvent click = events.get(0);
        assertThat(click.getLabel()).isEqualTo(1);
        assertThat(click.getUserId()).isEqualTo("227368");
        assertThat(click.getEventTime()).isEqualTo(epochMillis("2017-05-06T00:00:00Z"));
        assertThat(click.getCategorical())
                .contains(
                        entry("pid", "430548_1007"),
                        entry("cate_id", "6261"),
                        entry("brand", "420137"),
                        entry("cms_group_id", "4"),
                        entry("age_level", "4"));
        assertThat(click.getCategorical()).doesNotContainKeys("pvalue_level", "price");
        assertThat(click.getNumeric()).containsOnly(entry("price", 596.0f));
    }

    @Test
    void kdd12LabelsClicksAboveZeroAndJoinsTheProfile() {
        List<ClickEvent> events = Fixtures.fileOrder("kdd12", Fixtures.dir("kdd12"), Map.of());

        assertThat(events).extracting(ClickEvent::getLabel).containsExactly(0, 1, 0);
        ClickEvent first = events.get(0);
        assertThat(first.getUserId()).isEqualTo("490234");
        assertThat(first.getItemId()).isEqualTo("7686695");
        assertThat(first.getCategorical())
                .contains(
                        entry("AdvertiserID", "385"),
                        entry("Depth", "3"),
                        entry("Position", "3"),
                        entry("QueryID", "1601"),
                        entry("gender", "1"),
                        entry("age", "5"));
        assertThat(events.get(1).getNumeric()).containsOnly(entry("impressions", 3.0f));
        assertThat(events.get(1).getCategorical()).doesNotContainKey("gender");
    }

    @Test
    void kuaiVideoTurnsItemListsIntoMultiValuedFeatures() {
        List<ClickEvent> events =
                Fixtures.fileOrder("kuaivideo", Fixtures.dir("kuaivideo"), Map.of());

        assertThat(events).extracting(ClickEvent::getLabel).containsExactly(1, 0, 0);
        assertThat(events)
                .extracting(ClickEvent::getActionType)
                .containsExactly("like", "view", "view");
        assertThat(events.get(1).getMultiValued())
                .containsOnly(
                        entry("pos_items", List.of("55", "56", "101")),
                        entry("neg_items", List.of("57")));
        assertThat(events.get(0).getMultiValued().get("neg_items")).isEmpty();
        assertThat(events).extracting(ClickEvent::getEventTime).containsExactly(0L, 1L, 2L);
    }

    @Test
    void genericReadsAnyCsvThroughItsMapping() {
        var dir = Fixtures.dir("generic-taobao");
        List<ClickEvent> events =
                Fixtures.fileOrder(
                        "generic",
                        dir.resolve("train_sample.csv"),
                        Map.of("mapping", dir.resolve("mapping.properties").toString()));

        assertThat(events).hasSize(10);
        ClickEvent first = events.get(0);
        assertThat(first.getEventId()).isEqualTo("train_sample:2");
        assertThat(first.getUserId()).isEqualTo("874257");
        assertThat(first.getItemId()).isEqualTo("172298");
        assertThat(first.getEventTime()).isEqualTo(epochMillis("2017-05-06T00:00:00Z"));
        assertThat(first.getLabel()).isZero();
        assertThat(first.getActionType()).isEqualTo("impression");
        assertThat(first.getCategorical())
                .contains(entry("pid", "430548_1007"), entry("cate_id", "5443"));
        assertThat(first.getNumeric()).containsOnly(entry("price", 3.9f));
        assertThat(first.getMultiValued())
                .containsOnly(entry("click_sequence", List.of("170301", "573514")));
        assertThat(events.get(5).getMultiValued().get("click_sequence")).isEmpty();
        assertThat(events.get(8).getLabel()).isEqualTo(1);
    }

    @Test
    void genericReadsJsonLinesByKeyAndDottedPath() {
        Path dir = Fixtures.dir("generic-json");
        List<ClickEvent> events =
                Fixtures.timeOrder(
                        "generic",
                        dir.resolve("events.jsonl"),
                        Map.of("mapping", dir.resolve("mapping.properties").toString()));

        assertThat(events)
                .extracting(ClickEvent::getEventId)
                .containsExactly("imp-1", "imp-2", "imp-3");
        ClickEvent first = events.get(0);
        assertThat(first.getUserId()).isEqualTo("874257");
        assertThat(first.getItemId()).isEqualTo("172298");
        assertThat(first.getEventTime()).isEqualTo(epochMillis("2017-05-06T00:00:00Z"));
        assertThat(first.getLabel()).isZero();
        assertThat(first.getActionType()).isEqualTo("impression");
        assertThat(first.getCategorical())
                .containsOnly(
                        entry("pid", "430548_1007"),
                        entry("ad.cate_id", "5443"),
                        entry("user.age_level", "3"));
        assertThat(first.getNumeric()).containsOnly(entry("ad.price", 3.9f));
        assertThat(first.getMultiValued())
                .containsOnly(entry("click_sequence", List.of("170301", "573514")));
        ClickEvent second = events.get(1);
        assertThat(second.getLabel()).isEqualTo(1);
        assertThat(second.getMultiValued().get("click_sequence")).containsExactly("680144");
        ClickEvent third = events.get(2);
        assertThat(third.getCategorical()).containsOnly(entry("pid", "430548_1008"));
        assertThat(third.getNumeric()).isEmpty();
        assertThat(third.getMultiValued().get("click_sequence")).isEmpty();
    }

    @Test
    void everyAdapterHasANameAndADescription() {
        assertThat(DatasetAdapters.names())
                .containsExactly(
                        "movielens",
                        "criteo",
                        "avazu",
                        "kdd12",
                        "amazon",
                        "taobao-behavior",
                        "taobao-ad",
                        "kuaivideo",
                        "mind",
                        "ipinyou",
                        "generic");
        DatasetAdapters.all().forEach(a -> assertThat(a.description()).isNotBlank());
    }
}
