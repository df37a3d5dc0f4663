package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.streamctr.flink.TestExamples;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpProfileTest {

    @TempDir Path dir;

    /** A step in libtorch's trace format: forward (mm in addmm), backward (mm), update (mul). */
    private Path trace(String name, double addmm, double mmBackward, double mul)
            throws IOException {
        String events =
                String.join(
                        ",",
                        event("aten::linear", 0, addmm + 2),
                        event("aten::addmm", 1, addmm),
                        event("aten::relu", addmm + 3, 1),
                        event(
                                "autograd::engine::evaluate_function: AddmmBackward0",
                                addmm + 10,
                                mmBackward + 1),
                        event("aten::mm", addmm + 10.5, mmBackward),
                        event("aten::mul", addmm + mmBackward + 20, mul));
        Path p = dir.resolve(name);
        Files.writeString(p, "[" + events + "]");
        return p;
    }

    private static String event(String name, double ts, double dur) {
        return String.format(
                Locale.ROOT,
                "{\"name\": \"%s\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, \"tid\": 1,"
                        + " \"pid\": \"CPU Functions\", \"args\": {}}",
                name,
                ts,
                dur);
    }

    @Test
    void keepsEachOperatorsFastestStepAndSplitsAtTheAutogradEngine() throws IOException {
        // step 1 was preempted in its forward, step 2 in its backward and update
        Path a = trace("a.json", 9000, 2000, 500);
        Path b = trace("b.json", 3000, 6000, 900);

        OpProfile.Summary s = OpProfile.summarise(List.of(a, b));

        assertThat(s.steps()).isEqualTo(2);
        // forward: linear's self 2 us, addmm 3 ms, relu 1 us
        assertThat(s.forward()[1]).isCloseTo(3.0, within(1e-9));
        assertThat(s.forward()[0]).isCloseTo(3.003, within(1e-9));
        // backward: the engine's own 1 us, mm 2 ms
        assertThat(s.backward()[1]).isCloseTo(2.0, within(1e-9));
        assertThat(s.backward()[0]).isCloseTo(2.001, within(1e-9));
        assertThat(s.update()[0]).isCloseTo(0.5, within(1e-9));
        assertThat(s.update()[1]).isZero();
        assertThat(s.matmulMs()).isCloseTo(5.0, within(1e-9));
        assertThat(s.matmulCeilingEventsPerSecond(256)).isCloseTo(256 / 0.005, within(1e-6));
        assertThat(s.others().keySet()).first().isEqualTo("aten::mul");
    }

    @Test
    void summarisesTheLargestGroupOfStepsThatRanTheSameOperators() throws IOException {
        Path a = trace("a.json", 10, 10, 10);
        Path b = dir.resolve("b.json");
        Files.writeString(b, "[" + event("aten::add", 0, 1) + "]");
        Path c = trace("c.json", 20, 20, 5);

        OpProfile.Summary s = OpProfile.summarise(List.of(a, b, c));

        assertThat(s.steps()).isEqualTo(2);
        assertThat(s.update()[0]).isCloseTo(0.005, within(1e-9));
        assertThat(s.others()).doesNotContainKey("aten::add");
        assertThatThrownBy(() -> OpProfile.summarise(List.of(a, b)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("different operators");
    }

    @Test
    void recordsATrainingStepOfARealModel() {
        DjlRuntime.configure();
        FeatureSpec spec =
                new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
        BatchCursor cursor = new BatchCursor(TestExamples.examples(100, 3), 16);
        try (OnlineTrainer trainer =
                new OnlineTrainer(
                        "dnn",
                        ModelRegistry.create("dnn", spec),
                        spec,
                        TrainerConfig.defaults(),
                        Device.cpu())) {
            trainer.onePass(true);
            OpProfile.Summary s =
                    OpProfile.record(
                            trainer, new FeatureEncoder(spec), cursor, 6, dir.resolve("t"));

            assertThat(dir.resolve("t").resolve("step-5.json")).exists();
            assertThat(s.forward()[1]).isPositive();
            assertThat(s.backward()[1]).isPositive();
            assertThat(s.update()[0]).isPositive();
            assertThat(s.totalMs()).isGreaterThan(s.matmulMs());
        }
    }
}
