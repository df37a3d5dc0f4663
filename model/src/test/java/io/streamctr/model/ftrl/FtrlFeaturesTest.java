package io.streamctr.model.ftrl;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FtrlFeaturesTest {

    private static final FeatureSpec SPEC = FtrlFixtures.spec();

    private static Example example(
            String user,
            String item,
            List<String> genres,
            List<Integer> clicked,
            List<Integer> skipped) {
        ClickEvent e =
                ClickEvent.newBuilder()
                        .setEventId("e")
                        .setUserId(user)
                        .setItemId(item)
                        .setEventTime(0L)
                        .setLabel(1)
                        .setMultiValued(genres.isEmpty() ? Map.of() : Map.of("genres", genres))
                        .build();
        UserHistory h =
                UserHistory.newBuilder()
                        .setClicked(FtrlFixtures.sequence(clicked))
                        .setNonClicked(FtrlFixtures.sequence(skipped))
                        .setLastEventTime(0L)
                        .build();
        return Example.newBuilder().setEvent(e).setHistory(h).build();
    }

    @Test
    void coordinatesAreSortedDistinctAndInRange() {
        FtrlFeatures features = new FtrlFeatures(SPEC, FtrlConfig.defaults().withBits(6));
        for (Example e : FtrlFixtures.stream(200, 1)) {
            int[] c = features.coordinates(e);
            assertThat(c).isSorted().doesNotHaveDuplicates();
            assertThat(Arrays.stream(c).allMatch(v -> v >= 0 && v < 64)).isTrue();
        }
    }

    @Test
    void coordinatesAreStableAcrossRuns() {
        // pinned: a change of the hashing invalidates every saved FTRL state
        // (user, item, genre set, genre, clicked item, user × genre)
        int[] c =
                new FtrlFeatures(SPEC, FtrlConfig.defaults())
                        .coordinates(
                                example(
                                        "u1",
                                        "i1",
                                        List.of("Drama"),
                                        List.of(StableHash.hash("i2")),
                                        List.of()));
        assertThat(c).containsExactly(PINNED);
    }

    private static final int[] PINNED = {737917, 2615303, 3102104, 3295758, 3596667, 3829570};

    @Test
    void fieldsAreNamespaced() {
        FtrlFeatures features = new FtrlFeatures(SPEC, FtrlConfig.defaults().withCrosses(false));
        // user "x", item "x": two coordinates, not one
        assertThat(features.coordinates(example("x", "x", List.of(), List.of(), List.of())))
                .hasSize(2);
        int item = StableHash.hash("i7");
        int[] target = features.coordinates(example("u", "i7", List.of(), List.of(), List.of()));
        int[] asClicked =
                features.coordinates(example("u", "i7", List.of(), List.of(item), List.of()));
        int[] asSkipped =
                features.coordinates(example("u", "i7", List.of(), List.of(), List.of(item)));
        assertThat(asClicked).hasSize(3);
        assertThat(asSkipped).hasSize(3);
        int clickedCoordinate =
                Arrays.stream(asClicked)
                        .filter(v -> Arrays.stream(target).noneMatch(t -> t == v))
                        .findFirst()
                        .orElseThrow();
        int skippedCoordinate =
                Arrays.stream(asSkipped)
                        .filter(v -> Arrays.stream(target).noneMatch(t -> t == v))
                        .findFirst()
                        .orElseThrow();
        assertThat(clickedCoordinate).isNotEqualTo(skippedCoordinate);
    }

    @Test
    void sequencesKeepTheSpecsMostRecentItems() {
        FtrlFeatures features = new FtrlFeatures(SPEC, FtrlConfig.defaults().withCrosses(false));
        List<Integer> eight = List.of(1, 2, 3, 4, 5, 6, 7, 8);
        List<Integer> lastFive = List.of(4, 5, 6, 7, 8);
        int[] all = features.coordinates(example("u", "i", List.of(), eight, List.of()));
        assertThat(all).hasSize(2 + SPEC.sequenceLength());
        assertThat(all)
                .containsExactly(
                        features.coordinates(example("u", "i", List.of(), lastFive, List.of())));
    }

    @Test
    void crossesAddOneCoordinatePerSideValue() {
        Example e = example("u", "i", List.of("Drama", "Comedy"), List.of(), List.of());
        int[] without =
                new FtrlFeatures(SPEC, FtrlConfig.defaults().withCrosses(false)).coordinates(e);
        int[] with = new FtrlFeatures(SPEC, FtrlConfig.defaults()).coordinates(e);
        // user, item, genre set, 2 genres; then 2 user × genre crosses
        assertThat(without).hasSize(5);
        assertThat(with).hasSize(7).contains(without);
        int[] otherUser =
                new FtrlFeatures(SPEC, FtrlConfig.defaults())
                        .coordinates(
                                example(
                                        "v",
                                        "i",
                                        List.of("Drama", "Comedy"),
                                        List.of(),
                                        List.of()));
        assertThat(
                        Arrays.stream(otherUser)
                                .filter(v -> Arrays.stream(with).anyMatch(w -> w == v))
                                .count())
                .isEqualTo(4); // item, genre set, 2 genres
    }

    @Test
    void aCategoricalSideFieldIsNotCountedTwice() {
        FeatureSpec spec =
                new FeatureSpec(
                        8, 1 << 10, List.of("category"), List.of(), 4, List.of(), "category", 5);
        ClickEvent e =
                ClickEvent.newBuilder()
                        .setEventId("e")
                        .setUserId("u")
                        .setItemId("i")
                        .setEventTime(0L)
                        .setCategorical(Map.of("category", "news"))
                        .build();
        Example ex =
                Example.newBuilder()
                        .setEvent(e)
                        .setHistory(example("u", "i", List.of(), List.of(), List.of()).getHistory())
                        .build();
        // user, item, category; + user × category
        assertThat(new FtrlFeatures(spec, FtrlConfig.defaults().withCrosses(false)).coordinates(ex))
                .hasSize(3);
        assertThat(new FtrlFeatures(spec, FtrlConfig.defaults()).coordinates(ex)).hasSize(4);
    }

    @Test
    void numericValuesAreBucketized() {
        assertThat(FtrlFeatures.bucket(0f)).isEqualTo(0);
        assertThat(FtrlFeatures.bucket(1f)).isEqualTo(4);
        assertThat(FtrlFeatures.bucket(2f)).isEqualTo(8);
        assertThat(FtrlFeatures.bucket(0.3f)).isEqualTo(1);
        assertThat(FtrlFeatures.bucket(-0.3f)).isEqualTo(-2);
        // floor(ln(v)^2) above 2: ln(100)^2 = 21.2, ln(1000)^2 = 47.7
        assertThat(FtrlFeatures.bucket(100f)).isEqualTo(1_021);
        assertThat(FtrlFeatures.bucket(101f)).isEqualTo(1_021);
        assertThat(FtrlFeatures.bucket(1000f)).isEqualTo(1_047);
        assertThat(FtrlFeatures.bucket(-1000f)).isEqualTo(-1_047);
        assertThat(FtrlFeatures.bucket(3f)).isNotEqualTo(FtrlFeatures.bucket(0.3f));
    }
}
