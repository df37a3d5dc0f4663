package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamctr.flink.TestExamples;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.model.train.TrainingStage;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingThroughputTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
    private static final List<Example> EXAMPLES = TestExamples.examples(100, 3);

    @BeforeAll
    static void engine() {
        DjlRuntime.configure();
    }

    private static TrainingThroughput.Measurement measure(
            String model, int batch, int profileSteps, List<String> progress) {
        return TrainingThroughput.measure(
                BenchModel.parse(model),
                SPEC,
                TrainerConfig.defaults(),
                Device.cpu(),
                EXAMPLES,
                batch,
                0,
                0,
                new TrainingThroughput.Profiling(profileSteps, 0, null),
                false,
                progress::add);
    }

    @Test
    void measuresTimedStepsWithTheirFlopsAndAProfile() {
        TrainingThroughput.Measurement m = measure("interformer-tiny", 16, 2, new ArrayList<>());

        assertThat(m.steps()).isGreaterThanOrEqualTo(ModelBenchSettings.MIN_STEPS);
        assertThat(m.events()).isEqualTo(16 * m.steps());
        assertThat(m.stage()).isEqualTo(TrainingStage.FIXED);
        assertThat(m.encodeNanos()).isPositive();
        assertThat(m.loopNanos()).isGreaterThan(m.trainNanos());
        assertThat(m.loopEventsPerSecond()).isLessThan(m.trainEventsPerSecond());
        assertThat(m.flops()).isPresent();
        assertThat(m.trainGflopsPerSecond())
                .isCloseTo(
                        m.flops().get().trainingFlops() * (double) m.steps() / m.trainNanos(),
                        org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.lastLoss()).isFinite();
        assertThat(m.profile().steps()).isEqualTo(2);
        assertThat(m.profile().forwardMs()).isPositive();
        assertThat(m.profile().backwardMs()).isPositive();
        assertThat(m.profile().trainMs()).isPositive();
    }

    @Test
    void aModelWithASearchIsMeasuredAfterItsFreezeUnlessItsSearchIsAsked() {
        List<String> progress = new ArrayList<>();
        // the tiny search lasts 512 events: 16 steps of 32, all before the timed steps
        TrainingThroughput.Measurement hard = measure("optfusion-hard-tiny", 32, 0, progress);
        TrainingThroughput.Measurement search =
                measure("optfusion-hard-tiny/search", 32, 0, new ArrayList<>());

        assertThat(hard.stage()).isEqualTo(TrainingStage.RETRAIN);
        assertThat(progress).anyMatch(line -> line.contains("searched 512 events"));
        assertThat(search.stage()).isEqualTo(TrainingStage.SEARCH);
        assertThat(hard.profile()).isNull();
        // the frozen Hard model runs one operation per block: fewer FLOPs than the supernet
        assertThat(hard.flops().orElseThrow().trainingFlops())
                .isLessThan(search.flops().orElseThrow().trainingFlops());
    }

    @Test
    void theTrainingForwardScoresUnlessTwoPassesAreAsked() {
        TrainingThroughput.Measurement one = measure("dnn", 16, 0, new ArrayList<>());
        TrainingThroughput.Measurement two =
                TrainingThroughput.measure(
                        BenchModel.parse("dnn"),
                        SPEC,
                        TrainerConfig.defaults(),
                        Device.cpu(),
                        EXAMPLES,
                        16,
                        0,
                        0,
                        new TrainingThroughput.Profiling(0, 0, null),
                        true,
                        progress -> {});

        assertThat(one.onePass()).isTrue();
        assertThat(one.predictNanos()).isZero();
        assertThat(one.loopNanos()).isEqualTo(one.encodeNanos() + one.trainNanos());
        assertThat(two.onePass()).isFalse();
        assertThat(two.predictNanos()).isPositive();
        // the separate pass's forward counts in the loop's FLOPs, not in one pass's
        double perStep = one.flops().get().trainingFlops() * (double) one.steps();
        assertThat(one.loopGflopsPerSecond())
                .isCloseTo(perStep / one.loopNanos(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(two.loopGflopsPerSecond() * two.loopNanos() / two.steps())
                .isGreaterThan(two.flops().get().trainingFlops());
    }

    @Test
    void aModelWithoutACounterHasNoComputeRate() {
        TrainingThroughput.Measurement m = measure("fm", 16, 0, new ArrayList<>());

        assertThat(m.flops()).isEmpty();
        assertThat(m.trainGflopsPerSecond()).isNaN();
        assertThat(m.trainEventsPerSecond()).isPositive();
    }
}
