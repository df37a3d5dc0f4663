package io.streamctr.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ModelBench} runs.
 *
 * @param dataDir a MovieLens ml-latest(-small) directory
 * @param models the models (and stages) to measure
 * @param batchSizes mini-batch sizes; every model is measured at each
 * @param seconds measured time per model and batch size (at least {@link #MIN_STEPS} steps)
 * @param warmupSeconds untimed training before each measurement (at least {@link #MIN_STEPS} steps)
 * @param embeddingDim D of the feature spec (the baselines' and OptFusion's; InterFormer has its
 *     own)
 * @param threads torch intra-op threads; 0 = the job's default
 * @param matmulSize n of the n × n matrix-multiply reference
 * @param profileSteps training steps split into forward / backward / the rest after each
 *     measurement (0 = none)
 * @param device auto, cpu, gpu or gpu:N
 * @param twoPass score each batch with a separate inference pass before its training step (as the
 *     learner did before issue 18) instead of with the training forward
 * @param opProfileSteps steps recorded by libtorch's profiler after each measurement ({@link
 *     OpProfile}; 0 = none, else at least 2)
 */
public record ModelBenchSettings(
        Path dataDir,
        List<BenchModel> models,
        List<Integer> batchSizes,
        double seconds,
        double warmupSeconds,
        int embeddingDim,
        int threads,
        int matmulSize,
        int profileSteps,
        String device,
        boolean twoPass,
        int opProfileSteps) {

    /** The fewest steps a warm-up or a measurement makes, however short its time. */
    public static final int MIN_STEPS = 3;

    public ModelBenchSettings {
        models = List.copyOf(models);
        batchSizes = List.copyOf(batchSizes);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to measure");
        }
        if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b <= 0)) {
            throw new IllegalArgumentException("batch sizes must be > 0, got " + batchSizes);
        }
        if (!(seconds > 0) || !(warmupSeconds >= 0)) {
            throw new IllegalArgumentException(
                    "seconds must be > 0 and warm-up seconds >= 0, got "
                            + seconds
                            + " and "
                            + warmupSeconds);
        }
        if (opProfileSteps < 0 || opProfileSteps == 1) {
            throw new IllegalArgumentException(
                    "op profile steps must be 0 or >= 2, got " + opProfileSteps);
        }
        if (embeddingDim <= 0 || threads < 0 || matmulSize <= 0 || profileSteps < 0) {
            throw new IllegalArgumentException(
                    "embedding dim and matmul size must be > 0, threads and profile steps >= 0, got"
                            + " "
                            + embeddingDim
                            + ", "
                            + matmulSize
                            + ", "
                            + threads
                            + ", "
                            + profileSteps);
        }
    }
}
