package io.streamctr.model.ftrl;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.LearnedBatch;
import io.streamctr.model.learn.LossWeighting;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.sync.Combine;
import io.streamctr.model.sync.StateArray;
import io.streamctr.schemas.Example;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Online FTRL-Proximal logistic regression (McMahan et al., KDD 2013, Algorithm 1) over the hashed
 * one-hot features of {@link FtrlFeatures}, one update per labelled event: the per-event learner
 * that mini-batch models are measured against.
 *
 * <p>Per coordinate i it keeps z_i and n_i; w_i = 0 if |z_i| <= λ1, else −(z_i − sgn(z_i)·λ1) / ((β
 * + √n_i)/α + λ2); p = σ(bias + Σ w_i) with the logit clipped to ±35; after the label y, with g = p
 * − y and σ_i = (√(n_i + g²) − √n_i)/α: z_i += g − σ_i·w_i, n_i += g². The bias is one more
 * coordinate with the same rule. Inside a batch, event i is scored with the weights after events
 * 0..i−1 and then learned from, so a batch of B behaves exactly as B batches of 1. Not thread-safe.
 *
 * <p>With offsets ({@link #scoreThenLearn(List, float[])}) the logit is the offset plus the FTRL
 * sum and the update follows the gradient of that sum: FTRL learns the residual of another model.
 * It can also learn, per event, the weight of that model's logit ({@link #FtrlLearner(String,
 * FeatureSpec, FtrlConfig, double)}, {@link #scoreThenLearn(List, float[], float[])}).
 *
 * <p>State: z and n as doubles, 2^bits each ({@code 16 · 2^bits} bytes, 64 MiB at the default 22
 * bits); a snapshot holds only the coordinates seen so far.
 */
public final class FtrlLearner implements OnlineLearner {

    /** Format version of {@link #snapshot()}; bumped on any change of the layout. */
    public static final byte SNAPSHOT_VERSION = 1;

    /**
     * Format version of the snapshot of a learner that learns the weight of a scaled logit: {@link
     * #SNAPSHOT_VERSION}'s layout with that weight's z and n after the bias's.
     */
    public static final byte SNAPSHOT_VERSION_SCALED = 2;

    private static final double MAX_LOGIT = 35.0;

    private final String modelName;
    private final FtrlConfig config;
    private final FtrlFeatures features;

    /** z_i at 2i and n_i at 2i + 1: one cache line per coordinate. */
    private final double[] zn;

    private double biasZ;
    private double biasN;

    /** Whether the weight of a scaled logit is learned, and the α of its rule. */
    private final boolean learnsScaledWeight;

    private final double scaledAlpha;

    private double scaledZ;
    private double scaledN;
    private long step;

    private double lastLossSum;

    /** A learner named {@code ftrl}. */
    public FtrlLearner(FeatureSpec spec, FtrlConfig config) {
        this("ftrl", spec, config);
    }

    public FtrlLearner(String modelName, FeatureSpec spec, FtrlConfig config) {
        this(modelName, spec, config, 0.0);
    }

    /**
     * A learner that, with {@code scaledAlpha} > 0, also learns per event the weight of the scaled
     * logit given to {@link #scoreThenLearn(List, float[], float[])}: one more coordinate whose
     * feature value is that logit, under the same rule with its own α (it sees every event, as the
     * bias does, but its feature is real-valued), started at weight 1 (z = −(β/α + λ2), as the
     * embedding rows' {@code initialZ}). This is online stacking: the weight falls below 1 where
     * the other model is overconfident, as Platt scaling would learn. {@code scaledAlpha} 0: the
     * weight stays 1.
     */
    public FtrlLearner(String modelName, FeatureSpec spec, FtrlConfig config, double scaledAlpha) {
        if (modelName == null || spec == null || config == null) {
            throw new IllegalArgumentException("model name, spec and config must not be null");
        }
        if (!(scaledAlpha >= 0) || !Double.isFinite(scaledAlpha)) {
            throw new IllegalArgumentException(
                    "the scaled logit's alpha must be finite and >= 0, got " + scaledAlpha);
        }
        this.modelName = modelName;
        this.config = config;
        this.features = new FtrlFeatures(spec, config);
        this.zn = new double[2 * config.coordinates()];
        this.learnsScaledWeight = scaledAlpha > 0;
        this.scaledAlpha = scaledAlpha;
        this.scaledZ = initialScaledZ();
    }

    private double initialScaledZ() {
        return learnsScaledWeight ? -(config.beta() / scaledAlpha + config.l2()) : 0.0;
    }

    /** Whether this learner learns the weight of a scaled logit (else that weight is 1). */
    public boolean learnsScaledWeight() {
        return learnsScaledWeight;
    }

    /** The current weight of the scaled logit (1 when not learned). */
    public double scaledWeight() {
        return learnsScaledWeight ? scaledWeightOf(scaledZ, scaledN) : 1.0;
    }

    public FtrlConfig config() {
        return config;
    }

    public FtrlFeatures features() {
        return features;
    }

    @Override
    public String modelName() {
        return modelName;
    }

    /** Labelled events learned from so far (restored with a snapshot). */
    @Override
    public long step() {
        return step;
    }

    @Override
    public LearnedBatch process(List<Example> batch) {
        return process(batch, LossWeighting.NONE);
    }

    @Override
    public LearnedBatch process(List<Example> batch, LossWeighting weighting) {
        long version = step;
        float[] scores = scoreThenLearn(batch, null, null, weighting).scores();
        int labelled = (int) (step - version);
        float loss = labelled == 0 ? Float.NaN : (float) (lastLossSum / labelled);
        return new LearnedBatch(scores, version, loss, labelled, false);
    }

    /** FTRL never skips an update. */
    @Override
    public long skippedSteps() {
        return 0;
    }

    /**
     * The state as the arrays data-parallel replicas exchange ({@link
     * io.streamctr.model.sync.ReplicaSync}), named {@code <prefix>…}: the coordinates' (z, n) as
     * rows of 2, the bias's and the scaled logit's (z, n), the step. Every one adds the replicas'
     * increments ({@link Combine#SUM}): z and n are sums over events, so the combined learner is
     * the one that saw every replica's events (its gradients taken at the weights of its replica).
     */
    public List<StateArray> syncArrays(String prefix) {
        return List.of(
                StateArray.ofDoubles(prefix + "zn", config.coordinates(), 2, Combine.SUM, zn),
                StateArray.of(
                        prefix + "bias",
                        1,
                        4,
                        Combine.SUM,
                        true,
                        () -> new double[] {biasZ, biasN, scaledZ, scaledN},
                        v -> {
                            biasZ = v[0];
                            biasN = Math.max(0, v[1]);
                            scaledZ = v[2];
                            scaledN = Math.max(0, v[3]);
                        }),
                StateArray.of(
                        prefix + "step",
                        1,
                        1,
                        Combine.SUM,
                        true,
                        () -> new double[] {step},
                        v -> step = Math.max(0, Math.round(v[0]))));
    }

    /** Forgets everything learned: every coordinate, the bias and the step. */
    public void clear() {
        Arrays.fill(zn, 0.0);
        biasZ = 0;
        biasN = 0;
        scaledZ = initialScaledZ();
        scaledN = 0;
        step = 0;
    }

    /** Holds no native resources. */
    @Override
    public void close() {}

    /** As {@link #scoreThenLearn(List, float[])} without offsets. */
    public float[] scoreThenLearn(List<Example> batch) {
        return scoreThenLearn(batch, null);
    }

    /**
     * Click probabilities of the batch's events, in order: event i is scored with the weights after
     * events 0..i−1 of this batch, then, when labelled, learned from; unlabelled events are only
     * scored. {@code offsets} (null for none, else one logit per event) are added to the logit, so
     * FTRL learns what they leave unexplained.
     */
    public float[] scoreThenLearn(List<Example> batch, float[] offsets) {
        return scoreThenLearn(batch, offsets, null).scores();
    }

    /**
     * As {@link #scoreThenLearn(List, float[])}, with a second logit per event, {@code scaled}
     * (null for none), added times a weight: 1, or the weight learned per event when {@link
     * #learnsScaledWeight()}. Event i's logit is offset_i + weight_i · scaled_i + residual_i, all
     * from the state after events 0..i−1. Returns the scores with each event's residual and weight.
     */
    public OffsetScores scoreThenLearn(List<Example> batch, float[] offsets, float[] scaled) {
        return scoreThenLearn(batch, offsets, scaled, LossWeighting.NONE);
    }

    /**
     * As {@link #scoreThenLearn(List, float[], float[])}, each labelled event's log loss times
     * {@code weighting}'s weight w for it at its score p (detached): the gradient is w·(p − y).
     * {@link LossWeighting#NONE} is bit for bit the unweighted rule.
     */
    public OffsetScores scoreThenLearn(
            List<Example> batch, float[] offsets, float[] scaled, LossWeighting weighting) {
        if (batch == null || weighting == null) {
            throw new IllegalArgumentException("batch and weighting must not be null");
        }
        requireOnePerEvent(offsets, batch, "offsets");
        requireOnePerEvent(scaled, batch, "scaled logits");
        lastLossSum = 0;
        float[] out = new float[batch.size()];
        float[] residuals = new float[batch.size()];
        float[] weights = new float[batch.size()];
        double[] w = new double[64];
        for (int i = 0; i < batch.size(); i++) {
            Example example = batch.get(i);
            if (example == null) {
                throw new IllegalArgumentException("batch element " + i + " is null");
            }
            int[] coords = features.coordinates(example);
            if (w.length < coords.length) {
                w = new double[Math.max(coords.length, 2 * w.length)];
            }
            Integer label = example.getEvent().getLabel();
            if (label != null && label != 0 && label != 1) {
                throw new IllegalArgumentException(
                        "label must be 0, 1 or null, got "
                                + label
                                + " (event "
                                + example.getEvent().getEventId()
                                + ")");
            }
            double biasW = weight(biasZ, biasN);
            double residual = biasW;
            for (int k = 0; k < coords.length; k++) {
                w[k] = weight(zn[2 * coords[k]], zn[2 * coords[k] + 1]);
                residual += w[k];
            }
            double x = scaled == null ? 0.0 : scaled[i];
            double scaledW = learnsScaledWeight ? scaledWeightOf(scaledZ, scaledN) : 1.0;
            double logit = residual + (offsets == null ? 0.0 : offsets[i]) + scaledW * x;
            double p = 1.0 / (1.0 + Math.exp(-Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, logit))));
            out[i] = (float) p;
            residuals[i] = (float) residual;
            weights[i] = (float) scaledW;
            if (label != null) {
                double lossWeight =
                        weighting == LossWeighting.NONE ? 1.0 : weighting.weight(example, p);
                double logLoss = -Math.log(Math.max(1e-15, label == 1 ? p : 1 - p));
                lastLossSum += weighting == LossWeighting.NONE ? logLoss : lossWeight * logLoss;
                double g = weighting == LossWeighting.NONE ? p - label : lossWeight * (p - label);
                double g2 = g * g;
                double sqrtBias = Math.sqrt(biasN);
                biasZ += g - (Math.sqrt(biasN + g2) - sqrtBias) / config.alpha() * biasW;
                biasN += g2;
                if (learnsScaledWeight && x != 0.0) {
                    double gx = g * x;
                    double sqrtScaled = Math.sqrt(scaledN);
                    scaledZ +=
                            gx
                                    - (Math.sqrt(scaledN + gx * gx) - sqrtScaled)
                                            / scaledAlpha
                                            * scaledW;
                    scaledN += gx * gx;
                }
                for (int k = 0; k < coords.length; k++) {
                    int c = 2 * coords[k];
                    double nc = zn[c + 1];
                    double sigma = (Math.sqrt(nc + g2) - Math.sqrt(nc)) / config.alpha();
                    zn[c] += g - sigma * w[k];
                    zn[c + 1] = nc + g2;
                }
                step++;
            }
        }
        return new OffsetScores(out, residuals, weights);
    }

    private static void requireOnePerEvent(float[] values, List<Example> batch, String what) {
        if (values != null && values.length != batch.size()) {
            throw new IllegalArgumentException(
                    what
                            + " must have one logit per event: "
                            + values.length
                            + " for "
                            + batch.size());
        }
    }

    /**
     * The scaled logit's weight under the rule with α = {@link #scaledAlpha} (λ1 does not apply).
     */
    private double scaledWeightOf(double zi, double ni) {
        return -zi / ((config.beta() + Math.sqrt(ni)) / scaledAlpha + config.l2());
    }

    /** Scores the batch with the weights as they are, learning nothing (labels are ignored). */
    @Override
    public float[] score(List<Example> batch) {
        return score(batch, null, null);
    }

    /**
     * As {@link #scoreThenLearn(List, float[], float[])} with every event unlabelled: each event is
     * scored with the state as it is (the same arithmetic, so the same score bit for bit), and
     * nothing changes.
     */
    public float[] score(List<Example> batch, float[] offsets, float[] scaled) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        requireOnePerEvent(offsets, batch, "offsets");
        requireOnePerEvent(scaled, batch, "scaled logits");
        double scaledW = scaledWeight();
        float[] out = new float[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) == null) {
                throw new IllegalArgumentException("batch element " + i + " is null");
            }
            int[] coords = features.coordinates(batch.get(i));
            double residual = weight(biasZ, biasN);
            for (int c : coords) {
                residual += weight(zn[2 * c], zn[2 * c + 1]);
            }
            double x = scaled == null ? 0.0 : scaled[i];
            double logit = residual + (offsets == null ? 0.0 : offsets[i]) + scaledW * x;
            out[i] =
                    (float)
                            (1.0
                                    / (1.0
                                            + Math.exp(
                                                    -Math.max(
                                                            -MAX_LOGIT,
                                                            Math.min(MAX_LOGIT, logit)))));
        }
        return out;
    }

    private double weight(double zi, double ni) {
        if (Math.abs(zi) <= config.l1()) {
            return 0.0;
        }
        return -(zi - Math.signum(zi) * config.l1())
                / ((config.beta() + Math.sqrt(ni)) / config.alpha() + config.l2());
    }

    /**
     * The learner's state: version byte, bits, step, the bias's z and n, then the count and (index,
     * z, n) of every coordinate with a non-zero z or n, in index order.
     */
    @Override
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(learnsScaledWeight ? SNAPSHOT_VERSION_SCALED : SNAPSHOT_VERSION);
            out.writeInt(config.bits());
            out.writeLong(step);
            out.writeDouble(biasZ);
            out.writeDouble(biasN);
            if (learnsScaledWeight) {
                out.writeDouble(scaledZ);
                out.writeDouble(scaledN);
            }
            int count = 0;
            int coordinates = config.coordinates();
            for (int i = 0; i < coordinates; i++) {
                if (zn[2 * i] != 0 || zn[2 * i + 1] != 0) {
                    count++;
                }
            }
            out.writeInt(count);
            for (int i = 0; i < coordinates; i++) {
                if (zn[2 * i] != 0 || zn[2 * i + 1] != 0) {
                    out.writeInt(i);
                    out.writeDouble(zn[2 * i]);
                    out.writeDouble(zn[2 * i + 1]);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces the state with a {@link #snapshot()}'s. The snapshot is checked in full before
     * anything changes: IllegalArgumentException (and the state kept) when it is empty, of another
     * version or another number of bits, truncated, has trailing bytes, or holds an index out of
     * range or out of order, a negative n or a non-finite value.
     */
    @Override
    public void restore(byte[] snapshot) {
        if (snapshot == null || snapshot.length == 0) {
            throw new IllegalArgumentException("FTRL snapshot is empty");
        }
        // a learner that learns the weight also restores a plain snapshot: the weight starts at 1
        boolean scaledState = snapshot[0] == SNAPSHOT_VERSION_SCALED;
        if (snapshot[0] != SNAPSHOT_VERSION && !scaledState) {
            throw new IllegalArgumentException(
                    "unsupported FTRL snapshot version "
                            + snapshot[0]
                            + ", expected "
                            + SNAPSHOT_VERSION
                            + (learnsScaledWeight ? " or " + SNAPSHOT_VERSION_SCALED : ""));
        }
        if (scaledState && !learnsScaledWeight) {
            throw new IllegalArgumentException(
                    "FTRL snapshot of a learner with a learned weight of the deep logit"
                            + " (ctr.learner.deep-weight=true); this learner has none");
        }
        int header = scaledState ? 16 : 0;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            in.readByte();
            int bits = in.readInt();
            if (bits != config.bits()) {
                throw new IllegalArgumentException(
                        "FTRL snapshot has 2^"
                                + bits
                                + " coordinates, this learner 2^"
                                + config.bits());
            }
            long steps = in.readLong();
            if (steps < 0) {
                throw new IllegalArgumentException("FTRL snapshot has a negative step " + steps);
            }
            double bz = checked(in.readDouble(), false, "bias z");
            double bn = checked(in.readDouble(), true, "bias n");
            double sz =
                    scaledState ? checked(in.readDouble(), false, "scaled z") : initialScaledZ();
            double sn = scaledState ? checked(in.readDouble(), true, "scaled n") : 0.0;
            int count = in.readInt();
            int coordinates = config.coordinates();
            if (count < 0 || count > coordinates) {
                throw new IllegalArgumentException(
                        "FTRL snapshot holds "
                                + count
                                + " coordinates, expected 0.."
                                + coordinates);
            }
            if ((long) snapshot.length != 1L + 4 + 8 + 16 + header + 4 + 20L * count) {
                throw new IllegalArgumentException(
                        "FTRL snapshot of "
                                + count
                                + " coordinates must be "
                                + (1L + 4 + 8 + 16 + header + 4 + 20L * count)
                                + " bytes, got "
                                + snapshot.length
                                + " (truncated or trailing bytes)");
            }
            int[] index = new int[count];
            double[] zs = new double[count];
            double[] ns = new double[count];
            for (int k = 0; k < count; k++) {
                index[k] = in.readInt();
                if (index[k] < 0
                        || index[k] >= coordinates
                        || (k > 0 && index[k] <= index[k - 1])) {
                    throw new IllegalArgumentException(
                            "FTRL snapshot coordinate "
                                    + k
                                    + " has index "
                                    + index[k]
                                    + ": out of [0, "
                                    + coordinates
                                    + ") or not increasing");
                }
                zs[k] = checked(in.readDouble(), false, "z of coordinate " + index[k]);
                ns[k] = checked(in.readDouble(), true, "n of coordinate " + index[k]);
            }
            Arrays.fill(zn, 0.0);
            for (int k = 0; k < count; k++) {
                zn[2 * index[k]] = zs[k];
                zn[2 * index[k] + 1] = ns[k];
            }
            biasZ = bz;
            biasN = bn;
            scaledZ = sz;
            scaledN = sn;
            step = steps;
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "FTRL snapshot is truncated (" + snapshot.length + " bytes)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double checked(double v, boolean nonNegative, String what) {
        if (!Double.isFinite(v) || (nonNegative && v < 0)) {
            throw new IllegalArgumentException("FTRL snapshot has an invalid " + what + ": " + v);
        }
        return v;
    }
}
