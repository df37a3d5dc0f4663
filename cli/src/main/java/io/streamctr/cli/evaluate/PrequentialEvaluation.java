package io.streamctr.cli.evaluate;

import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.metrics.MetricsSnapshot;
import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.model.train.TrainingStage;
import io.streamctr.schemas.Example;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * One model's prequential (test-then-train) run over a stream of examples, exactly as the job's
 * learner does it (score a mini-batch, then train on it) but in a plain loop: same trainer, same
 * encoder, same metric definitions.
 */
public final class PrequentialEvaluation {

    /**
     * Lifetime figures of one run and its training rate; for an OptFusion model also its
     * architecture at the end (frozen, or the current argmax while still searching), else null.
     */
    public record Run(String model, long seed, MetricsSnapshot lifetime, MetricsSnapshot window, double eventsPerSecond, long steps,
            TrainingStage stage, FusionArchitecture architecture) {}

    private PrequentialEvaluation() {}

    public static Run run(String model, FeatureSpec spec, List<Example> examples, int batchSize, long seed, String device) {
        return run(model, spec, examples, batchSize, seed, device, OptFusionOptions.NONE);
    }

    public static Run run(String model, FeatureSpec spec, List<Example> examples, int batchSize, long seed, String device,
            OptFusionOptions optFusion) {
        return run(model, spec, examples, batchSize, seed, device, optFusion, done -> { });
    }

    /** As above, telling {@code progress} the number of examples done after each mini-batch. */
    public static Run run(String model, FeatureSpec spec, List<Example> examples, int batchSize, long seed, String device,
            OptFusionOptions optFusion, LongConsumer progress) {
        return run(model, spec, examples, batchSize, TrainerConfig.defaults(), seed, device, optFusion, progress);
    }

    /** As above with the trainer's hyper-parameters ({@code hyperParameters}' own seed is replaced by {@code seed}). */
    public static Run run(String model, FeatureSpec spec, List<Example> examples, int batchSize, TrainerConfig hyperParameters, long seed,
            String device, OptFusionOptions optFusion, LongConsumer progress) {
        DjlRuntime.configure();
        StreamingMetrics metrics = new StreamingMetrics(10_000);
        FeatureEncoder encoder = new FeatureEncoder(spec);
        long started = System.nanoTime();
        try (OnlineTrainer trainer = new OnlineTrainer(model, optFusion.apply(ModelRegistry.create(model, spec), spec), spec,
                hyperParameters.withSeed(seed), DjlRuntime.resolveDevice(device))) {
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<Example> slice = examples.subList(from, Math.min(examples.size(), from + batchSize));
                FeatureBatch batch = encoder.encode(slice);
                float[] scores = trainer.predict(batch);
                for (int i = 0; i < scores.length; i++) {
                    int label = batch.label(i);
                    if (label >= 0) {
                        metrics.add(scores[i], label, slice.get(i).getEvent().getUserId());
                    }
                }
                trainer.train(batch);
                progress.accept(from + slice.size());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            FusionArchitecture architecture = trainer.block() instanceof OptFusionModel m ? m.architecture() : null;
            return new Run(model, seed, metrics.lifetime(), metrics.window(), examples.size() / seconds, trainer.step(),
                    trainer.stage(), architecture);
        }
    }
}
