package io.streamctr.cli.evaluate;

import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.model.enrich.EnrichedEvent;
import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.model.enrich.UserHistories;
import io.streamctr.model.learn.LossWeighting;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's label join played in a plain loop over a stream of impressions and clicks in event-time
 * order (issue 16, items 2 to 4), driving one {@link OnlineLearner}:
 *
 * <ul>
 *   <li>an impression is enriched with the user's sequences as they are, scored with the learner's
 *       state as it is ({@link OnlineLearner#process} of the unlabelled impressions, as the job's
 *       learner scores them, in batches of {@code batchSize}, always before any later training: a
 *       deep learner keeps each one's fresh inputs for its joined example) and kept pending, the
 *       example exactly as scored, until its attribution window ({@code impression time + window})
 *       closes;
 *   <li>a click in the window (click time &lt;= impression time + window) marks it clicked, adds
 *       its item to the user's clicked sequence at the click's time and, with {@link
 *       TrainOn#CLICK}, makes the positive example trainable at once; a second click is a
 *       duplicate; a click whose impression is no longer (or never was) pending is late: counted
 *       and dropped;
 *   <li>a window closes when an event later than its end arrives (or the stream ends): the
 *       impression's score is counted in the metrics against the label known then (clicked or not),
 *       a non-clicked item goes to the non-clicked sequence at the close, and the example becomes
 *       trainable (negatives always; positives too with {@link TrainOn#WINDOW_CLOSE});
 *   <li>with {@link TrainOn#FAKE_NEGATIVE} an impression is trainable as a negative as soon as it
 *       is scored, its click in the window adds a positive, the close adds nothing, and a score q
 *       counts in the metrics as {@code q / (1 - q)} (the calibration of Ktena et al., section 4.2,
 *       {@link JoinedLabels#fakeNegativeCalibrated}), or, with {@link LossWeighting#FAKE_NEGATIVE},
 *       the examples are importance weighted (section 4.3) and the score counts as it is;
 *   <li>when a window closes the impression's label is final: once its joined example (if any) is
 *       learnt, the learner is told to {@linkplain OnlineLearner#release release} it;
 *   <li>trainable examples are learnt ({@link OnlineLearner#process}, its scores discarded) in the
 *       order they became trainable, once {@code batchSize} of them are ready;
 *   <li>a {@code LABELLED} event is an impression and its label at once (scored, then trainable);
 *       one of a context-only action type only extends the sequences.
 * </ul>
 *
 * No score ever sees a label that was not available at its impression's time (nor its own fake
 * negative), and every labelled impression is trained exactly once (with fake negatives: once as a
 * negative, and a clicked one once more as a positive).
 */
final class JoinSimulation {

    /** An impression scored or waiting to be, until its window closes. */
    private static final class Pending {
        final Example example;
        final long closeTime;
        final Integer immediateLabel;
        float score = Float.NaN;
        boolean clicked;
        int labelAtClose;

        Pending(Example example, long closeTime, Integer immediateLabel) {
            this.example = example;
            this.closeTime = closeTime;
            this.immediateLabel = immediateLabel;
        }
    }

    /** What the join saw. */
    record Counts(
            long impressions,
            long clicks,
            long lateClicks,
            long duplicateClicks,
            long outOfOrder,
            long trained) {}

    private final OnlineLearner learner;
    private final int batchSize;
    private final long window;
    private final TrainOn trainOn;
    private final LossWeighting weighting;
    private final SequenceEnrichment enrichment;
    private final String sideField;
    private final int sequenceLength;
    private final StreamingMetrics metrics;
    private final StreamingMetrics trueMetrics;
    private final Map<String, Integer> trueLabels;
    private final PendingCounts pendingCounts = new PendingCounts();
    private final Map<String, UserHistory> histories = new HashMap<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final ArrayDeque<Pending> closing = new ArrayDeque<>();
    private final List<Pending> toScore = new ArrayList<>();
    private final List<Pending> closedUnscored = new ArrayList<>();
    private final List<Example> ready = new ArrayList<>();
    private final List<String> released = new ArrayList<>();
    private long now = Long.MIN_VALUE;
    private long impressions;
    private long clicks;
    private long lateClicks;
    private long duplicateClicks;
    private long outOfOrder;
    private long trained;

    /**
     * @param trueLabels the data's own label of each impression id (late clicks included), for the
     *     metrics against them; empty for none
     */
    JoinSimulation(
            OnlineLearner learner,
            int batchSize,
            long windowMillis,
            TrainOn trainOn,
            String sideField,
            int sequenceLength,
            Collection<String> contextOnlyActions,
            Map<String, Integer> trueLabels) {
        this(
                learner,
                batchSize,
                windowMillis,
                trainOn,
                LossWeighting.NONE,
                sideField,
                sequenceLength,
                contextOnlyActions,
                trueLabels);
    }

    /**
     * @param weighting the loss weighting of the learnt examples ({@link
     *     LossWeighting#FAKE_NEGATIVE} only with {@link TrainOn#FAKE_NEGATIVE})
     * @param trueLabels the data's own label of each impression id (late clicks included), for the
     *     metrics against them; empty for none
     */
    JoinSimulation(
            OnlineLearner learner,
            int batchSize,
            long windowMillis,
            TrainOn trainOn,
            LossWeighting weighting,
            String sideField,
            int sequenceLength,
            Collection<String> contextOnlyActions,
            Map<String, Integer> trueLabels) {
        if (weighting == null
                || (weighting != LossWeighting.NONE && trainOn != TrainOn.FAKE_NEGATIVE)) {
            throw new IllegalArgumentException(
                    "loss weighting " + weighting + " needs fake-negative training");
        }
        this.weighting = weighting;
        if (batchSize < 1 || windowMillis < 0) {
            throw new IllegalArgumentException(
                    "batch size must be >= 1 and the window >= 0 ms, got "
                            + batchSize
                            + " and "
                            + windowMillis);
        }
        this.learner = learner;
        this.batchSize = batchSize;
        this.window = windowMillis;
        this.trainOn = trainOn;
        this.enrichment = new SequenceEnrichment(sideField, sequenceLength, contextOnlyActions);
        this.sideField = sideField;
        this.sequenceLength = sequenceLength;
        this.metrics = new StreamingMetrics(10_000);
        this.trueMetrics = new StreamingMetrics(10_000);
        this.trueLabels = Map.copyOf(trueLabels);
    }

    /** The simulation's clock: the time of the last event accepted or window closed. */
    long now() {
        return now;
    }

    /** Plays one event; events must come in event-time order. */
    void accept(ClickEvent event) {
        if (event.getEventTime() < now) {
            throw new IllegalArgumentException(
                    "events must be in time order: "
                            + event.getEventId()
                            + " at "
                            + event.getEventTime()
                            + " after "
                            + now);
        }
        closeBefore(event.getEventTime());
        now = event.getEventTime();
        switch (event.getKind()) {
            case CLICK -> click(event);
            case IMPRESSION -> shown(event, null, true);
            case LABELLED -> shown(event, event.getLabel(), false);
        }
    }

    /** Closes every open window, scores and trains what is left. */
    void finish() {
        closeBefore(Long.MAX_VALUE);
        flushScores();
        train();
    }

    /** Metrics of the impression-time scores against the labels known at window close. */
    StreamingMetrics metrics() {
        return metrics;
    }

    /** Metrics of the same scores against the data's own labels (late clicks as positives). */
    StreamingMetrics trueLabelMetrics() {
        return trueMetrics;
    }

    PendingCounts pendingCounts() {
        return pendingCounts;
    }

    Counts counts() {
        return new Counts(impressions, clicks, lateClicks, duplicateClicks, outOfOrder, trained);
    }

    private void shown(ClickEvent event, Integer label, boolean delayed) {
        String user = event.getUserId();
        EnrichedEvent enriched = enrichment.apply(histories.get(user), event);
        if (enriched.kind() == EnrichedEvent.Kind.OUT_OF_ORDER) {
            outOfOrder++;
            return;
        }
        histories.put(user, enriched.after());
        if (enriched.kind() != EnrichedEvent.Kind.EXAMPLE) {
            return;
        }
        Pending p = new Pending(enriched.example(), event.getEventTime() + window, label);
        toScore.add(p);
        if (delayed) {
            impressions++;
            pending.put(event.getEventId(), p);
            closing.add(p);
            pendingCounts.record(event.getEventTime(), pending.size());
            if (trainOn == TrainOn.FAKE_NEGATIVE) {
                ready.add(labelled(p, 0));
            }
        } else if (label != null) {
            ready.add(enriched.example());
        }
        if (toScore.size() >= batchSize) {
            flushScores();
        }
        trainIfFull();
    }

    private void click(ClickEvent click) {
        Pending p = pending.get(click.getImpressionId());
        if (p == null) {
            lateClicks++;
            return;
        }
        if (p.clicked) {
            duplicateClicks++;
            return;
        }
        p.clicked = true;
        clicks++;
        appendToSequences(p, 1, click.getEventTime());
        if (trainOn != TrainOn.WINDOW_CLOSE) {
            ready.add(labelled(p, 1));
            trainIfFull();
        }
    }

    /** Closes the windows that end before {@code time}, in the order they opened. */
    private void closeBefore(long time) {
        while (!closing.isEmpty() && closing.peek().closeTime < time) {
            Pending p = closing.poll();
            now = Math.max(now, p.closeTime);
            ClickEvent event = p.example.getEvent();
            pending.remove(event.getEventId());
            int label = p.clicked ? 1 : 0;
            p.labelAtClose = label;
            if (Float.isNaN(p.score)) {
                closedUnscored.add(p); // counted once scored, before any further training
            } else {
                count(p);
            }
            if (!p.clicked) {
                appendToSequences(p, 0, p.closeTime);
            }
            released.add(event.getEventId()); // after the learning of what is ready now
            if (trainOn == TrainOn.WINDOW_CLOSE || (trainOn == TrainOn.CLICK && !p.clicked)) {
                ready.add(labelled(p, label));
                trainIfFull();
            }
        }
    }

    /** Adds a closed impression's score to the metrics. */
    private void count(Pending p) {
        ClickEvent event = p.example.getEvent();
        float score =
                trainOn == TrainOn.FAKE_NEGATIVE && weighting == LossWeighting.NONE
                        ? JoinedLabels.fakeNegativeCalibrated(p.score)
                        : p.score;
        metrics.add(score, p.labelAtClose, event.getUserId());
        Integer truth = trueLabels.get(event.getEventId());
        if (truth != null) {
            trueMetrics.add(score, truth, event.getUserId());
        }
    }

    /**
     * Scores the impressions waiting for a score with the state as it is now (no training happened
     * since they arrived), and counts those whose window closed meanwhile.
     */
    private void flushScores() {
        if (toScore.isEmpty()) {
            return;
        }
        List<Example> batch = new ArrayList<>(toScore.size());
        for (Pending p : toScore) {
            batch.add(p.example);
        }
        float[] scores = learner.process(batch, weighting).scores(); // unlabelled: learns nothing
        for (int i = 0; i < scores.length; i++) {
            Pending p = toScore.get(i);
            p.score = scores[i];
            if (p.immediateLabel != null) {
                ClickEvent e = p.example.getEvent();
                metrics.add(p.score, p.immediateLabel, e.getUserId());
                trueMetrics.add(p.score, p.immediateLabel, e.getUserId());
            }
        }
        toScore.clear();
        closedUnscored.forEach(this::count);
        closedUnscored.clear();
    }

    private void trainIfFull() {
        if (ready.size() >= batchSize) {
            train();
        }
    }

    /**
     * Learns from the ready examples, after scoring every impression seen so far; then releases the
     * impressions whose label is final.
     */
    private void train() {
        if (!ready.isEmpty()) {
            flushScores();
            learner.process(List.copyOf(ready), weighting);
            trained += ready.size();
            ready.clear();
        }
        released.forEach(learner::release);
        released.clear();
    }

    /** The example as scored, with its label now known. */
    private static Example labelled(Pending p, int label) {
        ClickEvent event = p.example.getEvent();
        return new Example(withLabel(event, label, event.getEventTime()), p.example.getHistory());
    }

    private void appendToSequences(Pending p, int label, long time) {
        ClickEvent event = p.example.getEvent();
        String user = event.getUserId();
        UserHistory history = histories.get(user);
        histories.put(
                user,
                UserHistories.append(
                        history == null ? UserHistories.empty() : history,
                        withLabel(event, label, time),
                        sideField,
                        sequenceLength));
    }

    /** A shallow copy of {@code e} (same feature maps) with this label and time. */
    private static ClickEvent withLabel(ClickEvent e, int label, long time) {
        return new ClickEvent(
                e.getEventId(),
                e.getUserId(),
                e.getItemId(),
                time,
                label,
                e.getCategorical(),
                e.getNumeric(),
                e.getMultiValued(),
                e.getActionType(),
                e.getKind(),
                e.getImpressionId());
    }
}
