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

    /** The learner of the package in {@code dir}, restored. */
    private static OnlineLearner warmStarted(Path dir, String device) {
        try {
            return ModelPackage.load(dir, device).learner(); // closing it closes the package
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model package " + dir, e);
        }
    }

    public static Run run(
            String model,
            FeatureSpec spec,
            List<Example> examples,
            int batchSize,
            long seed,
            String device) {
        return run(model, spec, examples, batchSize, seed, device, OptFusionOptions.NONE);
    }

    public static Run run(
            String model,
            FeatureSpec spec,
            List<Example> examples,
            int batchSize,
            long seed,
            String device,
            OptFusionOptions optFusion) {
        return run(model, spec, examples, batchSize, seed, device, optFusion, done -> {});
    }

    /** As above, telling {@code progress} the number of examples done after each mini-batch. */
    public static Run run(
            String model,
            FeatureSpec spec,
            List<Example> examples,
            int batchSize,
            long seed,
            String device,
            OptFusionOptions optFusion,
            LongConsumer progress) {
        return run(
                model,
                spec,
                examples,
                batchSize,
                TrainerConfig.defaults(),
                seed,
                device,
                optFusion,
                progress);
    }

    /**
     * As above with the trainer's hyper-parameters ({@code hyperParameters}' own seed is replaced
     * by {@code seed}). Each example is scored as the model's learner scores it in the job (a deep
     * model: the batch with the weights before it; {@code ftrl}: event by event).
     */
    public static Run run(
            String model,
            FeatureSpec spec,
            List<Example> examples,
            int batchSize,
            TrainerConfig hyperParameters,
            long seed,
            String device,
            OptFusionOptions optFusion,
            LongConsumer progress) {
        return run(
                model,
                spec,
                examples,
                batchSize,
                hyperParameters,
                seed,
                device,
                optFusion,
                FreshnessConfig.defaults(),
                progress);
    }

    /**
     * As above with the deep models' freshness levers ({@link FreshnessConfig}; the job's
     * ctr.learner.* options).
     */
    public static Run run(
            String model,
            FeatureSpec spec,
            List<Example> examples,
            int batchSize,
            TrainerConfig hyperParameters,
            long seed,
            String device,
            OptFusionOptions optFusion,
            FreshnessConfig freshness,
            LongConsumer progress) {
        return run(
                model,
                spec,
                examples,
                batchSize,
                hyperParameters,
                seed,
                device,
                optFusion,
                freshness,
                progress,
                learner -> {});
    }

    /**
     * As above, handing the learner to {@code atEnd} after the stream, before it is closed (e.g. to
     * export it as a model package).
     */
    public static Run run(
            String model,
            FeatureSpec spec,
            List<Example> examples,
            int batchSize,
            TrainerConfig hyperParameters,
            long seed,
            String device,
            OptFusionOptions optFusion,
            FreshnessConfig freshness,
            LongConsumer progress,
            Consumer<OnlineLearner> atEnd) {
        return run(
                model,
                spec,
                examples,
                batchSize,
                hyperParameters,
                seed,
                device,
                optFusion,
                freshness,
                progress,
                atEnd,
                null);
    }

    /**
     * As above, the learner started from the model package in {@code warmStart} when it is not null
     * (issue 15: the package's learner, its settings and state, goes on from its step; the
     * hyper-parameters, seed, OptFusion options and freshness levers given here do not apply).
     */
    public static Run run(
            String model,
            FeatureSpec spec,
            List<Example> examples,
            int batchSize,
            TrainerConfig hyperParameters,
            long seed,
            String device,
            OptFusionOptions optFusion,
            FreshnessConfig freshness,
            LongConsumer progress,
            Consumer<OnlineLearner> atEnd,
            Path warmStart) {
        StreamingMetrics metrics = new StreamingMetrics(10_000);
        long started = System.nanoTime();
        try (OnlineLearner learner =
                warmStart != null
                        ? warmStarted(warmStart, device)
                        : learner(
                                model,
                                spec,
                                hyperParameters.withSeed(seed),
                                device,
                                optFusion,
                                freshness)) {
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<Example> slice =
                        examples.subList(from, Math.min(examples.size(), from + batchSize));
                float[] scores = learner.process(slice).scores();
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
