package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.optfusion.OptFusionModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchModelTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 8);

    @Test
    void parsesTheSearchStageSuffix() {
        assertThat(BenchModel.parse("optfusion-soft/search"))
                .isEqualTo(new BenchModel("optfusion-soft", true));
        assertThat(BenchModel.parse(" interformer "))
                .isEqualTo(new BenchModel("interformer", false));
        assertThat(BenchModel.parse("optfusion-soft/search")).hasToString("optfusion-soft/search");
    }

    @Test
    void theSearchStageModelNeverEndsItsSearchOnItsOwn() {
        OptFusionModel searching =
                (OptFusionModel) BenchModel.parse("optfusion-soft-tiny/search").create(SPEC);
        OptFusionModel asRegistered =
                (OptFusionModel) BenchModel.parse("optfusion-soft-tiny").create(SPEC);

        assertThat(searching.searchSchedule().searchEvents()).isEqualTo(Long.MAX_VALUE);
        assertThat(asRegistered.searchSchedule().searchEvents()).isLessThan(Long.MAX_VALUE);
        assertThat(searching.searchSchedule().architectureLearningRate())
                .isEqualTo(asRegistered.searchSchedule().architectureLearningRate());
    }

    @Test
    void rejectsUnknownModelsAndSearchStagesOfModelsWithoutOne() {
        assertThatThrownBy(() -> BenchModel.parse("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interformer");
        assertThatThrownBy(() -> BenchModel.parse("dnn/search").create(SPEC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no architecture search");
    }

    @Test
    void settingsRejectNonsense() {
        List<BenchModel> models = List.of(BenchModel.parse("dnn"));
        Path data = Path.of("data");
        assertThatThrownBy(
                        () ->
                                new ModelBenchSettings(
                                        data,
                                        List.of(),
                                        List.of(256),
                                        1,
                                        1,
                                        16,
                                        0,
                                        64,
                                        0,
                                        "cpu",
                                        false,
                                        0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new ModelBenchSettings(
                                        data,
                                        models,
                                        List.of(0),
                                        1,
                                        1,
                                        16,
                                        0,
                                        64,
                                        0,
                                        "cpu",
                                        false,
                                        0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new ModelBenchSettings(
                                        data,
                                        models,
                                        List.of(256),
                                        0,
                                        1,
                                        16,
                                        0,
                                        64,
                                        0,
                                        "cpu",
                                        false,
                                        0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new ModelBenchSettings(
                                        data,
                                        models,
                                        List.of(256),
                                        1,
                                        1,
                                        16,
                                        -1,
                                        64,
                                        0,
                                        "cpu",
                                        false,
                                        0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
