package io.streamctr.model.learn;

import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.features.FreshFeatures;
import io.streamctr.model.features.TargetStatistics;
import io.streamctr.model.ftrl.FtrlConfig;
import io.streamctr.model.ftrl.FtrlLearner;
import io.streamctr.model.ftrl.OffsetScores;
import io.streamctr.model.train.EncodedSnapshot;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainResult;
import io.streamctr.model.train.TrainingStep;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A mini-batch deep model as an {@link OnlineLearner}: encodes the batch ({@link FeatureEncoder}),
 * scores it with the weights before it, then makes one training step on its labelled rows. One
 * forward does both (issue 18, {@link OnlineTrainer#forward}): the training forward's logits score
 * the batch before the loss is built; a model whose forward depends on the mode, or a batch with no
 * label, is scored by a separate inference forward.
 *
 * <p>Fresh inside the batch ({@link FreshnessConfig}; issue 21): the batch's {@link FreshFeatures}
 * (target statistics, sequence lengths) are computed event by event before encoding, so event i's
 * inputs hold the labels of events 0..i−1 of the stream, this batch's included; and a per-event
 * FTRL part ({@link FtrlLearner#scoreThenLearn(List, float[])}) takes the stale deep logit as an
 * offset and learns its residual, so event i's score is σ(deep_i + residual_i) with the residual
 * after events 0..i−1 (the wide part of Wide & Deep, Cheng et al. 2016, trained per event). With
 * {@link FreshnessConfig#deepWeight()} the FTRL part also learns per event the weight a of the deep
 * model's own logit m (the base-rate offset b keeps weight 1): σ(b_i + a_i·m_i + residual_i). The
 * deep model trains on its own loss, or with {@link FreshnessConfig#jointTraining()} on the joint
 * logit with the a_i and residual_i each event was scored with. No event's own label, nor a later
 * one, reaches its score.
 *
 * <p>Delayed labels (issue 16, docs/delayed-labels.md): an impression scored without its label
 * keeps the inputs it was scored with ({@link FrozenInputs}) until {@link #release}, and its joined
 * example trains on them. Loss weights ({@link LossWeighting}) apply to the deep model's loss and
 * to the residual part's updates alike.
 *
 * <p>Snapshot: with no lever on, the trainer's own bytes; else {@link #SNAPSHOT_FORMAT} (or {@link
 * #SNAPSHOT_FORMAT_FROZEN} while inputs are kept), then the levers' flags and the length-prefixed
 * trainer, FTRL and statistics snapshots (and the kept inputs). A trainer's plain snapshot (format
 * 1 or 2, an older learner's) restores with the FTRL part and the statistics empty, when the deep
 * model's inputs match (with target statistics or sequence lengths on, the model has more inputs
 * than the one that wrote it).
 */
public final class DeepLearner implements OnlineLearner {

    /**
     * First byte of a snapshot with freshness levers; a trainer's own snapshots start with 1 or 2.
     */
    public static final byte SNAPSHOT_FORMAT = 16;

    /**
     * First byte of a snapshot with freshness levers and impressions' frozen inputs ({@link
     * #SNAPSHOT_FORMAT}'s blocks, then the frozen inputs' block); written only while some
     * impression's inputs are kept, so a learner that never saw a delayed label writes format 16.
     */
    public static final byte SNAPSHOT_FORMAT_FROZEN = 17;

    private final OnlineTrainer trainer;
    private final FeatureSpec spec;
    private final FeatureEncoder encoder;
    private final FreshnessConfig freshness;
    private final FreshFeatures fresh;
    private final FtrlLearner residual;
    private final FrozenInputs frozen;
    private float[] lastFresh;
    private float[] lastResiduals;

    /** The deep model alone, no freshness lever. */
    public DeepLearner(OnlineTrainer trainer) {
        this.trainer = trainer;
        this.spec = trainer.spec();
        this.encoder = new FeatureEncoder(trainer.spec());
        this.freshness = FreshnessConfig.off();
        this.fresh = null;
        this.residual = null;
        this.frozen = null;
    }

    /**
     * The deep model with the levers of {@code freshness}; {@code trainer}'s spec must be {@link
     * #deepSpec(FeatureSpec, FreshnessConfig)} of {@code spec}.
     */
    public DeepLearner(OnlineTrainer trainer, FeatureSpec spec, FreshnessConfig freshness) {
        if (trainer == null || spec == null || freshness == null) {
            throw new IllegalArgumentException("trainer, spec and freshness must not be null");
        }
        this.freshness = freshness;
        this.fresh = freshFeatures(spec, freshness);
        FeatureSpec expected = fresh == null ? spec : fresh.extend(spec);
        if (!expected.equals(trainer.spec())) {
            throw new IllegalArgumentException(
                    "the trainer's spec must be the learner's spec with the fresh features: "
                            + expected
                            + ", got "
                            + trainer.spec());
        }
        this.trainer = trainer;
        this.spec = spec;
        this.encoder = new FeatureEncoder(trainer.spec());
        this.residual =
                freshness.residual()
                        ? new FtrlLearner(
                                trainer.modelName() + "/residual",
                                spec,
                                FtrlConfig.defaults().withBits(freshness.residualBits()),
                                freshness.deepWeight() ? FreshnessConfig.DEEP_WEIGHT_ALPHA : 0.0)
                        : null;
        this.frozen =
                freshness.any()
                        ? new FrozenInputs(freshCount() + 2, FrozenInputs.DEFAULT_CAPACITY)
                        : null;
    }

    private int freshCount() {
        return fresh == null ? 0 : fresh.count();
    }

    /**
     * The spec the deep model is built on: {@code spec} with the fresh numeric features appended.
     */
    public static FeatureSpec deepSpec(FeatureSpec spec, FreshnessConfig freshness) {
        FreshFeatures f = freshFeatures(spec, freshness);
        return f == null ? spec : f.extend(spec);
    }

    private static FreshFeatures freshFeatures(FeatureSpec spec, FreshnessConfig freshness) {
        if (!freshness.targetStatistics() && !freshness.sequenceLengths()) {
            return null;
        }
        TargetStatistics statistics =
                freshness.targetStatistics()
                        ? new TargetStatistics(
                                spec,
                                freshness.statisticsBits(),
                                freshness.halfLife(),
                                freshness.valueStatistics())
                        : null;
        return new FreshFeatures(statistics, freshness.sequenceLengths());
    }

    /** The trainer (its block, stage and architecture, for OptFusion's reports). */
    public OnlineTrainer trainer() {
        return trainer;
    }

    public FreshnessConfig freshness() {
        return freshness;
    }

    /** The learner's spec, without the fresh features ({@link #deepSpec} adds them). */
    public FeatureSpec spec() {
        return spec;
    }

    @Override
    public String modelName() {
        return trainer.modelName();
    }

    @Override
    public LearnedBatch process(List<Example> batch) {
        return process(batch, LossWeighting.NONE);
    }

    /**
     * Issue 16: an unlabelled impression's fresh features and its residual part's residual and
     * weight are kept ({@link FrozenInputs}) until {@link #release}; its joined example is trained
     * on them (the target statistics still learn its label, when it is trained) instead of on those
     * of the moment it is trained. A joined example of an impression not kept (scored before a
     * restore from an older snapshot, or evicted) gets them computed now.
     */
    @Override
    public LearnedBatch process(List<Example> batch, LossWeighting weighting) {
        if (batch == null || weighting == null) {
            throw new IllegalArgumentException("batch and weighting must not be null");
        }
        float[][] given = frozenRows(batch);
        float[] extra = fresh == null ? null : fresh.values(batch, given);
        FeatureBatch encoded = encoder.encode(batch, extra);
        long version = trainer.step();
        float[] scores;
        float[] residuals = null;
        float[] weights = null;
        TrainResult result;
        try (TrainingStep step = trainer.forward(encoded)) {
            float[] own = step.logits(); // [B] the deep model's logit, weights before the batch
            float[] base = trainer.baseRateOffsets(encoded); // [B] its running click rate
            if (residual == null) {
                scores = OnlineTrainer.probabilities(own, base);
            } else {
                OffsetScores joint = residual.scoreThenLearn(batch, base, own, weighting);
                scores = joint.scores();
                residuals = joint.residuals();
                weights = joint.weights();
                thawResiduals(given, residuals, weights);
                if (freshness.jointTraining()) {
                    // the residual and the weight of the deep logit each event was scored with
                    encoded.setOffsets(residuals);
                    if (residual.learnsScaledWeight()) {
                        encoded.setLogitScales(weights);
                    }
                }
            }
            if (weighting != LossWeighting.NONE) {
                encoded.setLossWeights(lossWeights(batch, scores, weighting));
            }
            result = step.finish();
        }
        lastFresh = extra;
        lastResiduals = residuals;
        keepImpressions(batch, extra, residuals, weights);
        return new LearnedBatch(
                scores,
                version,
                result.loss(),
                result.labelled(),
                result.skipped() && result.labelled() > 0);
    }

    /** Each example's loss weight at its score [B], 1 for an unlabelled one. */
    private static float[] lossWeights(
            List<Example> batch, float[] scores, LossWeighting weighting) {
        float[] w = new float[batch.size()];
        for (int i = 0; i < w.length; i++) {
            Example e = batch.get(i);
            w[i] = e.getEvent().getLabel() == null ? 1f : (float) weighting.weight(e, scores[i]);
        }
        return w;
    }

    /** The kept rows of the batch's joined examples (null where none); null when there are none. */
    private float[][] frozenRows(List<Example> batch) {
        if (frozen == null || frozen.size() == 0) {
            return null;
        }
        float[][] rows = null;
        for (int i = 0; i < batch.size(); i++) {
            ClickEvent e = batch.get(i).getEvent();
            if (JoinedLabels.isJoined(e)) {
                float[] row = frozen.get(e.getEventId());
                if (row != null) {
                    if (rows == null) {
                        rows = new float[batch.size()][];
                    }
                    rows[i] = row;
                }
            }
        }
        return rows;
    }

    /** Puts each kept row's residual and weight in place of those computed now. */
    private void thawResiduals(float[][] given, float[] residuals, float[] weights) {
        if (given == null) {
            return;
        }
        int x = freshCount();
        for (int i = 0; i < given.length; i++) {
            if (given[i] != null) {
                residuals[i] = given[i][x];
                weights[i] = given[i][x + 1];
            }
        }
    }

    /** Keeps each unlabelled impression's fresh features [X], residual and weight. */
    private void keepImpressions(
            List<Example> batch, float[] extra, float[] residuals, float[] weights) {
        if (frozen == null) {
            return;
        }
        int x = freshCount();
        float[] row = new float[x + 2];
        for (int i = 0; i < batch.size(); i++) {
            ClickEvent e = batch.get(i).getEvent();
            if (e.getKind() != EventKind.IMPRESSION || e.getLabel() != null) {
                continue;
            }
            if (x > 0) {
                System.arraycopy(extra, i * x, row, 0, x);
            }
            row[x] = residuals == null ? 0f : residuals[i];
            row[x + 1] = weights == null ? 1f : weights[i];
            frozen.keep(e.getEventId(), row, 0);
        }
    }

    @Override
    public void release(String impressionId) {
        if (frozen != null) {
            frozen.release(impressionId);
        }
    }

    /** Impressions whose scored inputs are kept (issue 16). */
    public int frozenImpressions() {
        return frozen == null ? 0 : frozen.size();
    }

    /** Kept impressions dropped at the capacity ({@link FrozenInputs#DEFAULT_CAPACITY}). */
    public long frozenEvicted() {
        return frozen == null ? 0 : frozen.evicted();
    }

    /** For tests: the fresh features [B, X] of the last {@link #process}ed batch (null: none). */
    float[] lastFreshValues() {
        return lastFresh;
    }

    /** For tests: the residuals [B] the last batch trained with (null without a residual). */
    float[] lastResiduals() {
        return lastResiduals;
    }

    /**
     * The scores {@link #process} would give the batch with every example unlabelled, learning
     * nothing: the fresh features read (not updated), the deep model in inference mode, the
     * residual FTRL part scored (not trained).
     */
    @Override
    public float[] score(List<Example> batch) {
        List<Example> unlabelled = unlabelled(batch);
        float[] extra = fresh == null ? null : fresh.values(unlabelled);
        FeatureBatch encoded = encoder.encode(unlabelled, extra);
        if (residual == null) {
            return trainer.predict(encoded);
        }
        return residual.score(
                unlabelled, trainer.baseRateOffsets(encoded), trainer.predictLogits(encoded));
    }

    /** The batch with each labelled example replaced by a copy without its label. */
    private static List<Example> unlabelled(List<Example> batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        List<Example> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Example e = batch.get(i);
            if (e == null || e.getEvent() == null) {
                throw new IllegalArgumentException("batch element " + i + " or its event is null");
            }
            out.add(
                    e.getEvent().getLabel() == null
                            ? e
                            : new Example(
                                    ClickEvent.newBuilder(e.getEvent()).setLabel(null).build(),
                                    e.getHistory()));
        }
        return out;
    }

    @Override
    public long step() {
        return trainer.step();
    }

    @Override
    public long skippedSteps() {
        return trainer.skippedSteps();
    }

    @Override
    public byte[] snapshot() {
        if (!freshness.any()) {
            return trainer.snapshot();
        }
        boolean withFrozen = frozen != null && frozen.size() > 0;
        byte[][] blocks = {
            residual == null ? new byte[0] : residual.snapshot(),
            statistics() == null ? new byte[0] : statistics().snapshot(),
            withFrozen ? frozen.toBytes() : null
        };
        // one buffer of the exact size, the trainer's model written straight into it (its arrays
        // copied once from the tensors: tens of MB at every checkpoint); the bytes are those of
        // DataOutputStream with the trainer's snapshot() as the first block
        EncodedSnapshot deep = trainer.encodedSnapshot();
        long size = 4 + Integer.BYTES + (long) deep.size();
        for (byte[] block : blocks) {
            size += block == null ? 0 : Integer.BYTES + block.length;
        }
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("learner snapshot of " + size + " bytes is over 2 GB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.put(withFrozen ? SNAPSHOT_FORMAT_FROZEN : SNAPSHOT_FORMAT);
        out.put((byte) (residual != null ? 1 : 0));
        out.put((byte) (statistics() != null ? 1 : 0));
        out.put((byte) (freshness.sequenceLengths() ? 1 : 0));
        out.putInt(deep.size());
        deep.writeTo(out);
        for (byte[] block : blocks) {
            if (block != null) {
                out.putInt(block.length).put(block);
            }
        }
        return out.array();
    }

    /**
     * Restores a {@link #snapshot()} of a learner with the same levers, or a trainer's plain
     * snapshot (FTRL part and statistics then start empty). IllegalArgumentException, and the state
     * kept, when it cannot be this learner's.
     */
    @Override
    public void restore(byte[] snapshot) {
        if (snapshot == null || snapshot.length == 0) {
            throw new IllegalArgumentException("learner snapshot is empty");
        }
        if (snapshot[0] != SNAPSHOT_FORMAT && snapshot[0] != SNAPSHOT_FORMAT_FROZEN) {
            restorePlain(snapshot);
            return;
        }
        byte[] deep;
        byte[] ftrl;
        byte[] stats;
        byte[] kept = null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            in.readByte();
            boolean hasResidual = in.readBoolean();
            boolean hasStatistics = in.readBoolean();
            boolean hasLengths = in.readBoolean();
            if (hasResidual != (residual != null)
                    || hasStatistics != (statistics() != null)
                    || hasLengths != freshness.sequenceLengths()) {
                throw new IllegalArgumentException(
                        "learner snapshot has residual="
                                + hasResidual
                                + ", target statistics="
                                + hasStatistics
                                + ", sequence lengths="
                                + hasLengths
                                + "; this learner "
                                + freshness);
            }
            deep = readBlock(in);
            ftrl = readBlock(in);
            stats = readBlock(in);
            if (snapshot[0] == SNAPSHOT_FORMAT_FROZEN) {
                kept = readBlock(in);
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(
                        "learner snapshot has " + in.available() + " trailing bytes");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "learner snapshot is truncated (" + snapshot.length + " bytes)", e);
        }
        byte[] ftrlBefore = residual == null ? null : residual.snapshot();
        byte[] statsBefore = statistics() == null ? null : statistics().snapshot();
        byte[] frozenBefore = frozen == null ? null : frozen.toBytes();
        try {
            if (kept != null && frozen == null) {
                throw new IllegalArgumentException(
                        "learner snapshot keeps impressions' inputs; this learner has no fresh"
                                + " features to keep");
            }
            if (frozen != null && kept == null) {
                frozen.clear();
            } else if (kept != null) {
                frozen.restore(kept);
            }
            if (residual != null) {
                residual.restore(ftrl);
            }
            if (statistics() != null) {
                statistics().restore(stats);
            }
            restoreTrainer(deep);
        } catch (RuntimeException e) {
            if (frozen != null) {
                frozen.restore(frozenBefore);
            }
            if (residual != null) {
                residual.restore(ftrlBefore);
            }
            if (statistics() != null) {
                statistics().restore(statsBefore);
            }
            throw e;
        }
    }

    private void restorePlain(byte[] snapshot) {
        byte[] before = trainer.snapshot();
        try {
            trainer.restore(snapshot);
        } catch (IllegalArgumentException e) {
            trainer.restore(before); // a mismatch found part-way leaves the trainer half restored
            if (fresh != null) {
                throw new IllegalArgumentException(
                        "a plain trainer snapshot restores only into a learner without target"
                            + " statistics and sequence lengths (the deep model's inputs differ): "
                                + e.getMessage(),
                        e);
            }
            throw e;
        }
        if (residual != null) {
            residual.clear();
        }
        if (statistics() != null) {
            statistics().clear();
        }
        if (frozen != null) {
            frozen.clear();
        }
    }

    /** Restores the trainer, or leaves it as it was when the snapshot does not fit. */
    private void restoreTrainer(byte[] snapshot) {
        byte[] before = trainer.snapshot();
        try {
            trainer.restore(snapshot);
        } catch (RuntimeException e) {
            trainer.restore(before);
            throw e;
        }
    }

    /** The per-event FTRL part; null without {@link FreshnessConfig#residual()}. */
    public FtrlLearner residual() {
        return residual;
    }

    /** The in-batch target statistics; null without them. */
    public TargetStatistics targetStatistics() {
        return statistics();
    }

    private TargetStatistics statistics() {
        return fresh == null ? null : fresh.statistics();
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException(
                    "learner snapshot block of " + length + " bytes, " + in.available() + " left");
        }
        byte[] block = new byte[length];
        in.readFully(block);
        return block;
    }

    @Override
    public void close() {
        trainer.close();
    }
}
