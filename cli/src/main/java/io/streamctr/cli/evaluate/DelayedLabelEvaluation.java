package io.streamctr.cli.evaluate;

import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.LossWeighting;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.metrics.MetricsSnapshot;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainingStage;
import io.streamctr.schemas.ClickEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One model's run over a stream of impressions and delayed clicks ({@code evaluate
 * --delayed-clicks}): the job's label join simulated by {@link JoinSimulation}, so AUC and NE are
 * those of the scores made at impression time against the labels known when each window closed
 * (issue 16, items 4 and 5).
 */
public final class DelayedLabelEvaluation {

    /**
     * How the join runs.
     *
     * @param windowMillis the attribution window
     * @param trainOn when a label is trained on
     * @param weighting the learnt examples' loss weighting (fake-negative weighting, or none)
     * @param sideField the items' side field of the sequences (may be null)
     * @param sequenceLength items kept per sequence
     * @param contextOnlyActions action types of events that only extend the sequences
     */
    public record Join(
            long windowMillis,
            TrainOn trainOn,
            LossWeighting weighting,
            String sideField,
            int sequenceLength,
            Collection<String> contextOnlyActions) {}

    /**
     * A run: its figures as a prequential run's (against the labels known at window close), the
     * same scores against the data's own labels, what the join counted and its pending impressions.
     */
    public record Result(
            PrequentialEvaluation.Run run,
            MetricsSnapshot trueLabels,
            JoinSimulation.Counts counts,
            PendingCounts pending) {}

    private DelayedLabelEvaluation() {}

    /**
     * Runs {@code model} over {@code stream} (impressions, clicks and labelled events in event-time
     * order), telling {@code progress} the events done every so often and handing the learner to
     * {@code atEnd} before it is closed.
     *
     * @param trueLabels the data's label of each impression id, for {@link Result#trueLabels()}
     */
    public static Result run(
            String model,
            FeatureSpec spec,
            List<ClickEvent> stream,
            Map<String, Integer> trueLabels,
            PrequentialEvaluation.Settings settings,
            Join join,
            LongConsumer progress,
            Consumer<OnlineLearner> atEnd) {
        long started = System.nanoTime();
        try (OnlineLearner learner = PrequentialEvaluation.open(model, spec, settings)) {
            JoinSimulation sim =
                    new JoinSimulation(
                            learner,
                            settings.batchSize(),
                            join.windowMillis(),
                            join.trainOn(),
                            join.weighting(),
                            join.sideField(),
                            join.sequenceLength(),
                            join.contextOnlyActions(),
                            trueLabels);
            long done = 0;
            for (ClickEvent event : stream) {
                sim.accept(event);
                if (++done % 1_000 == 0) {
                    progress.accept(done);
                }
            }
            sim.finish();
            progress.accept(done);
            double seconds = (System.nanoTime() - started) / 1e9;
            atEnd.accept(learner);
            OnlineTrainer trainer = learner instanceof DeepLearner deep ? deep.trainer() : null;
            PrequentialEvaluation.Run run =
                    new PrequentialEvaluation.Run(
                            model,
                            settings.seed(),
                            sim.metrics().lifetime(),
                            sim.metrics().window(),
                            stream.size() / seconds,
                            learner.step(),
                            trainer == null ? TrainingStage.FIXED : trainer.stage(),
                            null);
            return new Result(
                    run, sim.trueLabelMetrics().lifetime(), sim.counts(), sim.pendingCounts());
        }
    }
}
