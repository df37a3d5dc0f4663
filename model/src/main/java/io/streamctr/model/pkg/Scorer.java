package io.streamctr.model.pkg;

import io.streamctr.model.enrich.UserHistories;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.List;

/**
 * Scores events with an exported model, outside Flink (issue 15): what a plain service calls. Each
 * event is scored with the package's state as it is ({@link OnlineLearner#score}): nothing is
 * learned, labels are ignored, and the same event always gets the same score.
 *
 * <p>An event is scored with its user's behaviour sequences as they were before it, as the job's
 * enricher builds them ({@link io.streamctr.model.enrich.SequenceEnrichment}); a service keeps each
 * user's {@link UserHistory} and extends it with {@link #append} once an event's label is known.
 * Thread-safe: calls are serialized on the package's learner, which every scorer of the package
 * shares.
 */
public final class Scorer {

    private final OnlineLearner learner;
    private final FeatureSpec spec;

    Scorer(OnlineLearner learner, FeatureSpec spec) {
        this.learner = learner;
        this.spec = spec;
    }

    /** The model's name. */
    public String modelName() {
        return learner.modelName();
    }

    /** The model version the scores are made with. */
    public long version() {
        synchronized (learner) {
            return learner.step();
        }
    }

    /** Click probabilities of the examples, in order (a batch is faster than one by one). */
    public float[] score(List<Example> examples) {
        if (examples == null) {
            throw new IllegalArgumentException("examples must not be null");
        }
        if (examples.isEmpty()) {
            return new float[0];
        }
        synchronized (learner) { // every scorer of a package shares its learner
            return learner.score(examples);
        }
    }

    /**
     * The user's sequences after {@code event} (labelled: 1 clicked, 0 not; unlabelled changes no
     * sequence) as the job's enricher extends them with the package's side field and sequence
     * length; {@code before} null for a user without history. {@code before} is not modified.
     */
    public UserHistory append(UserHistory before, ClickEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        return UserHistories.append(
                before == null ? UserHistories.empty() : before,
                event,
                spec.sideField(),
                spec.sequenceLength());
    }

    /**
     * The click probability of {@code event} for a user whose sequences before it are {@code
     * history} (null: no history yet).
     */
    public float score(ClickEvent event, UserHistory history) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        Example example =
                Example.newBuilder()
                        .setEvent(event)
                        .setHistory(history == null ? UserHistories.empty() : history)
                        .build();
        return score(List.of(example))[0];
    }
}
