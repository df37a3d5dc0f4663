package io.streamctr.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.ClickEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureSpecInferenceTest {

    private static ClickEvent event(
            Map<String, String> categorical, Map<String, List<String>> multi) {
        return ClickEvent.newBuilder()
                .setEventId("e")
                .setUserId("u")
                .setItemId("i")
                .setEventTime(1L)
                .setLabel(1)
                .setCategorical(categorical)
                .setMultiValued(multi)
                .setNumeric(Map.of())
                .build();
    }

    @Test
    void genresAreTheSideFieldWhenPresent() {
        FeatureSpec spec =
                FeatureSpecInference.infer(
                        List.of(
                                event(
                                        Map.of("category", "news"),
                                        Map.of("tags", List.of("a"), "genres", List.of("Drama")))),
                        8,
                        64,
                        5);
        assertThat(spec.sideField()).isEqualTo("genres");
    }

    @Test
    void aCategoricalCategoryIsTheSideFieldWithoutGenres() {
        FeatureSpec spec =
                FeatureSpecInference.infer(
                        List.of(event(Map.of("category", "news", "subcategory", "x"), Map.of())),
                        8,
                        64,
                        5);
        assertThat(spec.sideField()).isEqualTo("category");
        assertThat(spec.categoricalFields()).containsExactly("category", "subcategory");
    }

    @Test
    void otherwiseTheFirstMultiValuedFieldOrNone() {
        assertThat(
                        FeatureSpecInference.infer(
                                        List.of(
                                                event(
                                                        Map.of("site", "s"),
                                                        Map.of("tags", List.of("a")))),
                                        8,
                                        64,
                                        5)
                                .sideField())
                .isEqualTo("tags");
        assertThat(
                        FeatureSpecInference.infer(
                                        List.of(event(Map.of("site", "s"), Map.of())), 8, 64, 5)
                                .sideField())
                .isNull();
    }
}
