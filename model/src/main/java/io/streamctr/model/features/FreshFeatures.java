package io.streamctr.model.features;

import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;

/**
 * Numeric features a learner computes itself, event by event in stream order, so that a mini-batch
 * model's inputs are fresh inside the batch: the {@link TargetStatistics} of the events before each
 * one (also those earlier in the same batch) and log(1 + length) of each behaviour sequence (mean
 * pooling hides how many items a user clicked or skipped).
 *
 * <p>The deep model sees them as extra numeric fields appended to the spec's ({@link
 * #extend(FeatureSpec)}); {@link #values(List)} gives their values [B, X] for {@link
 * FeatureEncoder#encode(List, float[])}. They reach the model raw (no normalisation layer), so the
 * statistics are put on the scale of an embedding's entries: each log(1 + count) times {@link
 * #COUNT_SCALE} and each rate's log-odds lift clipped to ±{@link #RATE_CLIP} (a lift from a few
 * events of a rare value otherwise reaches ±10 and swamps the MLP's first layer; measured in
 * docs/freshness.md). Not thread-safe.
 */
public final class FreshFeatures {

    /** Factor on each log(1 + count) statistic. */
    public static final float COUNT_SCALE = 0.1f;

    /** Bound on each rate statistic, a log-odds lift over the running click rate. */
    public static final float RATE_CLIP = 3f;

    private final TargetStatistics statistics;
    private final boolean sequenceLengths;
    private final List<String> names;

    /**
     * @param statistics the target statistics, or null for none
     * @param sequenceLengths whether log(1 + length) of each sequence is a feature
     */
    public FreshFeatures(TargetStatistics statistics, boolean sequenceLengths) {
        if (statistics == null && !sequenceLengths) {
            throw new IllegalArgumentException(
                    "fresh features need target statistics or sequence lengths");
        }
        this.statistics = statistics;
        this.sequenceLengths = sequenceLengths;
        List<String> n = new ArrayList<>();
        if (statistics != null) {
            n.addAll(statistics.names());
        }
        if (sequenceLengths) {
            FeatureSpec.SEQUENCES.forEach(s -> n.add("seq.log1p_length:" + s));
        }
        this.names = List.copyOf(n);
    }

    /** X, the features per event. */
    public int count() {
        return names.size();
    }

    /** Their names, as appended to the spec's numeric fields. */
    public List<String> names() {
        return names;
    }

    /** The target statistics, or null. */
    public TargetStatistics statistics() {
        return statistics;
    }

    /**
     * The spec with these features appended to its numeric fields (IllegalArgumentException on a
     * name clash).
     */
    public FeatureSpec extend(FeatureSpec spec) {
        List<String> numeric = new ArrayList<>(spec.numericFields());
        for (String name : names) {
            if (numeric.contains(name)) {
                throw new IllegalArgumentException(
                        "numeric field '" + name + "' is already in the spec");
            }
            numeric.add(name);
        }
        return new FeatureSpec(
                spec.embeddingDim(),
                spec.bucketsPerField(),
                spec.categoricalFields(),
                spec.multiValuedFields(),
                spec.maxValuesPerField(),
                numeric,
                spec.sideField(),
                spec.sequenceLength());
    }

    /**
     * The features of the batch's events [B, X] row-major, in order: event i's statistics are read
     * before, and updated with, its label, so they hold the labels of events 0..i−1 only (counts
     * scaled, rates clipped).
     */
    public float[] values(List<Example> batch) {
        return values(batch, null);
    }

    /**
     * As {@link #values(List)}, except that an event with a row in {@code given} (null for none,
     * else one entry per event, null where none) gets that row's first X values as its features and
     * only updates the statistics with its label: a joined example trained on the features its
     * impression was scored with (issue 16).
     */
    public float[] values(List<Example> batch, float[][] given) {
        if (given != null && given.length != batch.size()) {
            throw new IllegalArgumentException(
                    "given rows must be one per event: " + given.length + " for " + batch.size());
        }
        int x = count();
        float[] out = new float[batch.size() * x];
        for (int i = 0; i < batch.size(); i++) {
            Example example = batch.get(i);
            int o = i * x;
            if (given != null && given[i] != null) {
                if (given[i].length < x) {
                    throw new IllegalArgumentException(
                            "a given row needs " + x + " features, got " + given[i].length);
                }
                System.arraycopy(given[i], 0, out, o, x);
                if (statistics != null) {
                    statistics.update(example);
                }
                continue;
            }
            if (statistics != null) {
                statistics.read(example, out, o);
                statistics.update(example);
                int end = o + statistics.names().size();
                for (; o < end; o += 2) {
                    out[o] *= COUNT_SCALE;
                    out[o + 1] = Math.max(-RATE_CLIP, Math.min(RATE_CLIP, out[o + 1]));
                }
            }
            if (sequenceLengths && example.getHistory() != null) {
                out[o] = logLength(example.getHistory().getClicked());
                out[o + 1] = logLength(example.getHistory().getNonClicked());
            }
        }
        return out;
    }

    private static float logLength(BehaviourSequence seq) {
        return seq == null ? 0f : (float) Math.log1p(seq.getItems().size());
    }
}
