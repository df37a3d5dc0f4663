package io.streamctr.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.Events;
import io.streamctr.datasets.delay.ClickDelays;
import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.LearnedBatch;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.LossWeighting;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulated label join against a brute-force account of when each label is known: with a
 * learner that records every call, no example is trained before its label exists, each is trained
 * with the labels its mode gives (once with the label known at window close; with fake negatives a
 * negative at once and a positive at its click), and no score or sequence of an impression reflects
 * a label that came after it, nor its own fake negative.
 */
class JoinSimulationTest {

    private static final long SECOND = 1_000;
    private static final long WINDOW = 300 * SECOND;

    /** One training of an example: its id, label and the simulation's time then. */
    private record Trained(String id, int label, long at) {}

    /**
     * A learner that records each training and checks each scoring against what was trained before,
     * then delegates to ftrl.
     */
    private static final class Recorder implements OnlineLearner {
        final OnlineLearner delegate;
        final Map<String, Long> available;
        final List<Trained> trained = new ArrayList<>();
        final Set<String> trainedIds = new HashSet<>();
        final Set<String> released = new HashSet<>();
        LongSupplier clock;
        long latestTrainedAvailability = Long.MIN_VALUE;
        int scored;

        Recorder(OnlineLearner delegate, Map<String, Long> available) {
            this.delegate = delegate;
            this.available = available;
        }

        @Override
        public LearnedBatch process(List<Example> batch) {
            return process(batch, LossWeighting.NONE);
        }

        /** Impressions to score (unlabelled) are checked as {@link #score}; else a training. */
        @Override
        public LearnedBatch process(List<Example> batch, LossWeighting weighting) {
            if (!batch.isEmpty() && batch.get(0).getEvent().getLabel() == null) {
                checkScored(batch);
                return delegate.process(batch, weighting);
            }
            for (Example e : batch) {
                String id = e.getEvent().getEventId();
                assertThat(released).as("%s trained after its release", id).doesNotContain(id);
                int label = e.getEvent().getLabel();
                trained.add(new Trained(id, label, clock.getAsLong()));
                trainedIds.add(id);
                long availability = available.get(id + "#" + label);
                latestTrainedAvailability = Math.max(latestTrainedAvailability, availability);
            }
            return delegate.process(batch, weighting);
        }

        @Override
        public void release(String impressionId) {
            released.add(impressionId);
            delegate.release(impressionId);
        }

        @Override
        public float[] score(List<Example> batch) {
            checkScored(batch);
            return delegate.score(batch);
        }

        private void checkScored(List<Example> batch) {
            for (Example e : batch) {
                long shown = e.getEvent().getEventTime();
                String id = e.getEvent().getEventId();
                assertThat(e.getEvent().getLabel()).isNull();
                assertThat(trainedIds).as("%s trained before it was scored", id).doesNotContain(id);
                assertThat(latestTrainedAvailability)
                        .as("labels learnt before scoring %s", id)
                        .isLessThanOrEqualTo(shown);
                assertThat(e.getHistory().getClicked().getTimes())
                        .allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(shown));
                assertThat(e.getHistory().getNonClicked().getTimes())
                        .allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(shown));
                scored++;
            }
        }

        @Override
        public String modelName() {
            return delegate.modelName();
        }

        @Override
        public long step() {
            return delegate.step();
        }

        @Override
        public long skippedSteps() {
            return delegate.skippedSteps();
        }

        @Override
        public byte[] snapshot() {
            return delegate.snapshot();
        }

        @Override
        public void restore(byte[] snapshot) {
            delegate.restore(snapshot);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** 400 labelled events of 8 users, 0 to 90 s apart, about 40 % positive. */
    private static List<ClickEvent> labelled() {
        Random random = new Random(9);
        List<ClickEvent> events = new ArrayList<>();
        long time = 1_000_000;
        for (int i = 0; i < 400; i++) {
            time += random.nextInt(90) * SECOND;
            ClickEvent e =
                    Events.create(
                            "e" + i,
                            "u" + random.nextInt(8),
                            "i" + random.nextInt(30),
                            time,
                            random.nextDouble() < 0.4 ? 1 : 0,
                            null);
            e.getCategorical().put("genre", "g" + random.nextInt(5));
            events.add(e);
        }
        return events;
    }

    @ParameterizedTest
    @EnumSource(TrainOn.class)
    void everyExampleIsTrainedAsExpectedAfterItsLabelExistsAndNoScoreSeesALaterLabel(
            TrainOn trainOn) {
        List<ClickEvent> events = labelled();
        DelayedStream split =
                DelayedStream.of(events, new ClickDelays(120 * SECOND, WINDOW, -1, 4), List.of());
        // brute force: which labels each impression is trained with, and from when each exists
        Map<String, Long> shownAt = new HashMap<>();
        Map<String, Long> clickedAt = new HashMap<>();
        for (ClickEvent e : split.stream()) {
            if (e.getKind() == EventKind.IMPRESSION) {
                shownAt.put(e.getEventId(), e.getEventTime());
            } else {
                clickedAt.put(e.getImpressionId(), e.getEventTime());
            }
        }
        Map<String, Long> available = new HashMap<>(); // "id#label" -> time
        Map<String, List<Integer>> expected = new HashMap<>();
        long late = 0;
        long positivesAtClose = 0;
        for (Map.Entry<String, Long> imp : shownAt.entrySet()) {
            String id = imp.getKey();
            long close = imp.getValue() + WINDOW;
            Long click = clickedAt.get(id);
            boolean inWindow = click != null && click <= close;
            late += click != null && !inWindow ? 1 : 0;
            positivesAtClose += inWindow ? 1 : 0;
            switch (trainOn) {
                case WINDOW_CLOSE -> {
                    available.put(id + "#" + (inWindow ? 1 : 0), close);
                    expected.put(id, List.of(inWindow ? 1 : 0));
                }
                case CLICK -> {
                    available.put(id + "#" + (inWindow ? 1 : 0), inWindow ? click : close);
                    expected.put(id, List.of(inWindow ? 1 : 0));
                }
                case FAKE_NEGATIVE -> {
                    available.put(id + "#0", imp.getValue());
                    if (inWindow) {
                        available.put(id + "#1", click);
                    }
                    expected.put(id, inWindow ? List.of(0, 1) : List.of(0));
                }
            }
        }
        assertThat(late).as("the stream has late clicks").isPositive();
        FeatureSpec spec = FeatureSpecInference.infer(events, 4, 256, 10);
        Recorder learner =
                new Recorder(
                        Learners.create("ftrl", spec, TrainerConfig.defaults(), "cpu"), available);
        JoinSimulation sim =
                new JoinSimulation(
                        learner, 16, WINDOW, trainOn, null, 10, List.of(), split.trueLabels());
        learner.clock = sim::now;

        split.stream().forEach(sim::accept);
        sim.finish();

        assertThat(learner.scored).isEqualTo(400);
        assertThat(learner.released).as("every impression, once final").isEqualTo(shownAt.keySet());
        Map<String, List<Integer>> trainedLabels = new HashMap<>();
        for (Trained t : learner.trained) {
            assertThat(available.get(t.id() + "#" + t.label()))
                    .as("%s with label %d trained at %d", t.id(), t.label(), t.at())
                    .isNotNull()
                    .isLessThanOrEqualTo(t.at());
            trainedLabels.computeIfAbsent(t.id(), i -> new ArrayList<>()).add(t.label());
        }
        assertThat(trainedLabels).isEqualTo(expected);
        assertThat(sim.counts().lateClicks()).isEqualTo(late);
        assertThat(sim.counts().trained()).isEqualTo(learner.trained.size());
        assertThat(sim.metrics().count()).isEqualTo(400);
        assertThat(sim.metrics().lifetime().positives()).isEqualTo(positivesAtClose);
        assertThat(sim.trueLabelMetrics().lifetime().positives())
                .isEqualTo(events.stream().filter(e -> e.getLabel() == 1).count());
        assertThat(sim.pendingCounts().max()).isPositive();
    }

    @Test
    void duplicateAndLateClicksAreCountedAndDropped() {
        List<ClickEvent> stream =
                List.of(
                        impression("a", 0),
                        click("a", 100),
                        click("a", 200),
                        impression("b", 300),
                        click("b", 5_000),
                        impression("c", 6_000));
        FeatureSpec spec = FeatureSpecInference.infer(stream, 4, 64, 5);
        try (OnlineLearner ftrl = Learners.create("ftrl", spec, TrainerConfig.defaults(), "cpu")) {
            JoinSimulation sim =
                    new JoinSimulation(
                            ftrl, 2, 1_000, TrainOn.WINDOW_CLOSE, null, 5, List.of(), Map.of());
            stream.forEach(sim::accept);
            assertThat(sim.counts().trained()).as("a and b closed; c still open").isEqualTo(2);
            sim.finish();

            assertThat(sim.counts()).isEqualTo(new JoinSimulation.Counts(3, 1, 1, 1, 0, 3));
            assertThat(sim.metrics().lifetime().positives()).isEqualTo(1);
            assertThat(sim.pendingCounts().max()).as("a and b open at 300").isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TrainOn.class)
    void aDeepLearnerKeepsEachImpressionsInputsUntilItsWindowCloses(TrainOn trainOn) {
        List<ClickEvent> events = labelled();
        DelayedStream split =
                DelayedStream.of(events, new ClickDelays(120 * SECOND, WINDOW, -1, 4), List.of());
        FeatureSpec spec = FeatureSpecInference.infer(events, 4, 256, 10);
        LossWeighting weighting =
                trainOn == TrainOn.FAKE_NEGATIVE ? LossWeighting.FAKE_NEGATIVE : LossWeighting.NONE;
        try (DeepLearner deep =
                (DeepLearner)
                        Learners.create(
                                "dnn-tiny",
                                spec,
                                TrainerConfig.defaults(),
                                "cpu",
                                FreshnessConfig.defaults().withBits(12, 12))) {
            JoinSimulation sim =
                    new JoinSimulation(
                            deep,
                            16,
                            WINDOW,
                            trainOn,
                            weighting,
                            null,
                            10,
                            List.of(),
                            split.trueLabels());
            int maxKept = 0;
            for (ClickEvent e : split.stream()) {
                sim.accept(e);
                maxKept = Math.max(maxKept, deep.frozenImpressions());
            }
            sim.finish();
            assertThat(maxKept).as("kept while their windows are open").isPositive();
            assertThat(deep.frozenImpressions()).as("released at their windows' close").isZero();
            assertThat(sim.metrics().count()).isEqualTo(400);
        }
    }

    private static ClickEvent impression(String id, long time) {
        ClickEvent e = Events.create(id, "u", "item-" + id, time, null, null);
        e.getCategorical().put("genre", "g");
        e.setKind(EventKind.IMPRESSION);
        return e;
    }

    private static ClickEvent click(String impressionId, long time) {
        ClickEvent e =
                Events.create(
                        impressionId + "/click", "u", "item-" + impressionId, time, null, null);
        e.setKind(EventKind.CLICK);
        e.setImpressionId(impressionId);
        return e;
    }
}
