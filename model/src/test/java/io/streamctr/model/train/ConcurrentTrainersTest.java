package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamctr.model.dnn.DnnConfig;
import io.streamctr.model.dnn.DnnModel;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two learners in one JVM on two threads at once (two models side by side, or parallelism 2): DJL's
 * GradientCollector allows one per JVM; the trainer's per-thread grad mode must not.
 */
class ConcurrentTrainersTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 256, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    private static float[] run(long seed) {
        try (OnlineTrainer trainer =
                new OnlineTrainer(
                        "dnn-tiny",
                        new DnnModel(SPEC, DnnConfig.tiny()),
                        SPEC,
                        TrainerConfig.defaults().withSeed(seed),
                        Device.cpu())) {
            FeatureEncoder encoder = new FeatureEncoder(SPEC);
            for (int i = 0; i < 30; i++) {
                assertThat(
                                trainer.train(encoder.encode(Examples.random(32, seed * 100 + i)))
                                        .skipped())
                        .isFalse();
            }
            FeatureBatch probe = encoder.encode(Examples.random(16, 7));
            return trainer.predict(probe);
        }
    }

    @Test
    void trainersOnTwoThreadsTrainAtOnceAndMatchSequentialRuns() throws Exception {
        float[] sequentialA = run(1);
        float[] sequentialB = run(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (long seed : new long[] {1, 2}) {
                futures.add(pool.submit((Callable<float[]>) () -> run(seed)));
            }
            assertThat(futures.get(0).get()).containsExactly(sequentialA);
            assertThat(futures.get(1).get()).containsExactly(sequentialB);
        } finally {
            pool.shutdownNow();
        }
    }
}
