package io.streamctr.cli.evaluate;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.metrics.MetricsSnapshot;
import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.model.train.TrainingStage;
import io.streamctr.schemas.Example;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One model's prequential (test-then-train) run over a stream of examples, exactly as the job's
 * learner does it but in a plain loop: same learner, same mini-batches, same metric definitions.
 */
public final class PrequentialEvaluation {

    /**
     * Lifetime figures of one run and its training rate; for an OptFusion model also its
     * architecture at the end (frozen, or the current argmax while still searching), else null.
     */
    public record Run(
            String model,
            long seed,
            MetricsSnapshot lifetime,
            MetricsSnapshot window,
            double eventsPerSecond,
            long steps,
            TrainingStage stage,
            FusionArchitecture architecture) {}

    private PrequentialEvaluation() {}

    /**
     * The model's learner as the job builds it, with the OptFusion options applied to an OptFusion
     * block.
     */
    private static OnlineLearner learner(
            String model,
            FeatureSpec spec,
            TrainerConfig config,
            String device,
            OptFusionOptions optFusion,
            FreshnessConfig freshness) {
        if (!Learners.isDeep(model)) {
            return Learners.create(model, spec, config, device, freshness);
        }
        return Learners.createDeep(model, spec, config, device, freshness, optFusion::apply);
    }

    /**
     * The run's learner: the package's with {@link Settings#warmStart()}, else the model's as the
     * job builds it with the settings' trainer (seeded), OptFusion options and freshness levers.
     */
    static OnlineLearner open(String model, FeatureSpec spec, Settings settings) {
        return settings.warmStart() != null
                ? warmStarted(settings.warmStart(), settings.device())
                : learner(
                        model,
                        spec,
                        settings.trainer().withSeed(settings.seed()),
                        settings.device(),
                        settings.optFusion(),
                        settings.freshness());
    }

    /** The learner of the package in {@code dir}, restored. */
    private static OnlineLearner warmStarted(Path dir, String device) {
        try {
            return ModelPackage.load(dir, device).learner(); // closing it closes the package
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model package " + dir, e);
        }
    }

    /**
     * How a run is made.
     *
     * @param batchSize events per mini-batch (the job's ctr.train.batch-size)
     * @param trainer the trainer's hyper-parameters (its own seed is replaced by {@code seed})
     * @param seed the parameter initialization's seed
     * @param device cpu, gpu, gpu:N or auto
     * @param optFusion overrides applied to an OptFusion block
     * @param freshness the deep models' freshness levers (the job's ctr.learner.* options)
     * @param warmStart a model package to start from (its learner, settings and state; the trainer,
     *     seed, OptFusion options and freshness given here then do not apply), or null
     * @param staleScores score each batch with the learner's state from before the batch ({@link
     *     OnlineLearner#score}) and learn from it after: what a mini-batch learner without
     *     freshness inside the batch predicts (for {@code ftrl}: FTRL batched as B events)
     */
    public record Settings(
            int batchSize,
            TrainerConfig trainer,
            long seed,
            String device,
            OptFusionOptions optFusion,
            FreshnessConfig freshness,
            Path warmStart,
            boolean staleScores) {

        /** The job's defaults: batch 64, the default trainer and levers, seed 1, on the CPU. */
        public static Settings defaults() {
            return new Settings(
                    64,
                    TrainerConfig.defaults(),
                    1,
                    "cpu",
                    OptFusionOptions.NONE,
                    FreshnessConfig.defaults(),
                    null,
                    false);
        }

        public Settings withBatchSize(int size) {
            return new Settings(
                    size, trainer, seed, device, optFusion, freshness, warmStart, staleScores);
        }

        public Settings withSeed(long newSeed) {
            return new Settings(
                    batchSize,
                    trainer,
                    newSeed,
                    device,
                    optFusion,
                    freshness,
                    warmStart,
                    staleScores);
        }
    }

    /** As {@link #run(String, FeatureSpec, List, Settings, LongConsumer, Consumer)}, quietly. */
    public static Run run(
            String model, FeatureSpec spec, List<Example> examples, Settings settings) {
        return run(model, spec, examples, settings, done -> {}, learner -> {});
    }

    /**
     * Runs {@code model} over the examples in mini-batches, each example scored as the model's
     * learner scores it in the job (a deep model: the batch with the weights before it and the
     * per-event levers; {@code ftrl}: event by event), telling {@code progress} the examples done
     * after each batch and handing the learner to {@code atEnd} after the stream, before it is
     * closed (e.g. to export it as a model package).
     */
    public static Run run(
            String model,
            FeatureSpec spec,
            List<Example> examples,
            Settings settings,
            LongConsumer progress,
            Consumer<OnlineLearner> atEnd) {
        int batchSize = settings.batchSize();
        long seed = settings.seed();
        StreamingMetrics metrics = new StreamingMetrics(10_000);
        long started = System.nanoTime();
        try (OnlineLearner learner = open(model, spec, settings)) {
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<Example> slice =
                        examples.subList(from, Math.min(examples.size(), from + batchSize));
                float[] stale = settings.staleScores() ? learner.score(slice) : null;
                float[] scores = learner.process(slice).scores();
                if (stale != null) {
                    scores = stale;
                }
                for (int i = 0; i < scores.length; i++) {
                    Integer label = slice.get(i).getEvent().getLabel();
                    if (label != null) {
                        metrics.add(scores[i], label, slice.get(i).getEvent().getUserId());
                    }
                }
                progress.accept(from + slice.size());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            atEnd.accept(learner);
            OnlineTrainer trainer = learner instanceof DeepLearner deep ? deep.trainer() : null;
            FusionArchitecture architecture =
                    trainer != null && trainer.block() instanceof OptFusionModel m
                            ? m.architecture()
                            : null;
            return new Run(
                    model,
                    seed,
                    metrics.lifetime(),
                    metrics.window(),
                    examples.size() / seconds,
                    learner.step(),
                    trainer == null ? TrainingStage.FIXED : trainer.stage(),
                    architecture);
        }
    }
}
