package io.streamctr.bench;

import ai.djl.Device;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.LearnedBatch;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.util.List;

/**
 * The learner's work without Flink or Kafka: the same {@link OnlineLearner} the {@code
 * LearnerOperator} builds ({@link Learners#create}: model, feature spec, trainer config, device,
 * the default freshness levers), driven over precomputed examples in batches. No prediction records
 * are built and nothing is serialized.
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

    private final OnlineLearner learner;
    private final Device device;
    private final int batchSize;

    public LearnerLoop(
            String model, FeatureSpec spec, TrainerConfig config, int batchSize, String device) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        this.learner = Learners.create(model, spec, config, device);
        this.device = learner instanceof DeepLearner deep ? deep.trainer().device() : Device.cpu();
        this.batchSize = batchSize;
    }

    /**
     * One pass over the examples, in order, in batches of the batch size (the last may be short).
     */
    public Result run(List<Example> examples, Progress progress) {
        long started = System.nanoTime();
        long stepsBefore = learner.step();
        float lastLoss = Float.NaN;
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<Example> slice =
                    examples.subList(from, Math.min(examples.size(), from + batchSize));
            LearnedBatch result = learner.process(slice);
            if (result.scores().length != slice.size()) {
                throw new IllegalStateException(
                        "model returned "
                                + result.scores().length
                                + " scores for "
                                + slice.size()
                                + " rows");
            }
            if (result.labelled() > 0 && !result.skipped()) {
                lastLoss = result.loss();
            }
            if (progress != null) {
                progress.batchDone(from + slice.size());
            }
        }
        return new Result(
                examples.size(),
                System.nanoTime() - started,
                learner.step() - stepsBefore,
                lastLoss);
    }

    public Device device() {
        return device;
    }

    @Override
    public void close() {
        learner.close();
    }
}
