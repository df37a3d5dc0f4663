package io.streamctr.bench;

import ai.djl.Device;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainResult;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.util.List;

/**
 * The learner's work without Flink or Kafka: the same trainer the {@code LearnerOperator} builds
 * (model from the registry, feature spec, trainer config, device), driven over precomputed examples
 * in batches: {@link FeatureEncoder#encode}, {@link OnlineTrainer#predict}, {@link
 * OnlineTrainer#train}. No prediction records are built and nothing is serialized.
 *
 * <p>Not thread-safe; one loop is driven by one thread. Close it to free the model's native memory.
 */
public final class LearnerLoop implements AutoCloseable {

    /** Called after every batch with the events done so far in the current {@link #run}. */
    public interface Progress {
        void batchDone(long eventsDone);
    }

    /** What one run did. */
    public record Result(long events, long nanos, long steps, float lastLoss) {
        public double eventsPerSecond() {
            return nanos <= 0 ? 0 : events * 1e9 / nanos;
        }
    }

    private final OnlineTrainer trainer;
    private final FeatureEncoder encoder;
    private final int batchSize;

    public LearnerLoop(
            String model, FeatureSpec spec, TrainerConfig config, int batchSize, String device) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        DjlRuntime.configure();
        Device resolved = DjlRuntime.resolveDevice(device);
        this.trainer =
                new OnlineTrainer(model, ModelRegistry.create(model, spec), spec, config, resolved);
        this.encoder = new FeatureEncoder(spec);
        this.batchSize = batchSize;
    }

    /**
     * One pass over the examples, in order, in batches of the batch size (the last may be short).
     */
    public Result run(List<Example> examples, Progress progress) {
        long started = System.nanoTime();
        long stepsBefore = trainer.step();
        float lastLoss = Float.NaN;
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<Example> slice =
                    examples.subList(from, Math.min(examples.size(), from + batchSize));
            FeatureBatch batch = encoder.encode(slice);
            float[] scores = trainer.predict(batch);
            if (scores.length != slice.size()) {
                throw new IllegalStateException(
                        "model returned "
                                + scores.length
                                + " scores for "
                                + slice.size()
                                + " rows");
            }
            TrainResult result = trainer.train(batch);
            if (!result.skipped()) {
                lastLoss = result.loss();
            }
            if (progress != null) {
                progress.batchDone(from + slice.size());
            }
        }
        return new Result(
                examples.size(),
                System.nanoTime() - started,
                trainer.step() - stepsBefore,
                lastLoss);
    }

    public Device device() {
        return trainer.device();
    }

    @Override
    public void close() {
        trainer.close();
    }
}
