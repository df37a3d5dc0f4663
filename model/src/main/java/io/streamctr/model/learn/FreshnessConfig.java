package io.streamctr.model.learn;

import java.io.Serializable;

/**
 * The levers that make a mini-batch deep model fresh inside its batch ({@link DeepLearner}), each
 * of which can be turned off: a per-event FTRL part on the deep logit's residual, online target
 * statistics as features, and log(1 + length) of each behaviour sequence as a feature.
 *
 * @param residual a per-event FTRL-Proximal part learns the residual of the batch-scored deep
 *     logit, event by event (Wide & Deep's wide part, trained per event)
 * @param targetStatistics leak-free online target statistics of the event's user, item and values
 *     as numeric features ({@link io.streamctr.model.features.TargetStatistics})
 * @param sequenceLengths log(1 + length) of each behaviour sequence as numeric features
 * @param residualBits log2 of the residual FTRL's hashed coordinates (16 · 2^bits bytes)
 * @param statisticsBits log2 of the target statistics' slots (16 · 2^bits bytes)
 * @param halfLife labelled events after which a target statistic's count weighs half
 * @param jointTraining with the residual on, the deep model trains on the joint logit (deep + the
 *     residual each event was scored with), as Wide & Deep trains jointly; else on its own loss
 * @param valueStatistics with target statistics on, also the statistics of each categorical and
 *     multi-valued field's values (else only user, item and user × side value)
 * @param deepWeight with the residual on, the residual FTRL also learns per event the weight of the
 *     deep model's logit (started at 1; online stacking), and joint training uses that weight
 */
public record FreshnessConfig(
        boolean residual,
        boolean targetStatistics,
        boolean sequenceLengths,
        int residualBits,
        int statisticsBits,
        double halfLife,
        boolean jointTraining,
        boolean valueStatistics,
        boolean deepWeight)
        implements Serializable {

    /**
     * α of the FTRL rule for the learned weight of the deep logit ({@link #deepWeight}): 0.2, four
     * times the sparse coordinates' 0.05, since it is one coordinate that every event moves. On
     * iPinYou (dnn, dcnv2, deepfm, din) 0.05 left the weight at 0.58 after 600 steps and NE at
     * 0.986–1.008; 0.2 and 1.0 gave 0.975–0.977 (docs/freshness.md).
     */
    public static final double DEEP_WEIGHT_ALPHA = 0.2;

    /**
     * With the residual on, the deep model's embedding tables step at this share of their rule's
     * default step (AdaGrad: 0.05 × 0.25 = 0.0125) unless a step is set. The residual FTRL already
     * memorises each sparse value event by event, so the deep part's embeddings only need to
     * generalise; on the five dev streams the quarter step was as good or better for every deep
     * model measured (Avazu head: +0.001 to +0.004 AUC) while the linear `lr` without the residual
     * lost 0.019 with it, so it applies only beside the residual (docs/freshness.md).
     */
    public static final float RESIDUAL_EMBEDDING_STEP_SHARE = 0.25f;

    public FreshnessConfig {
        if (residualBits < 1 || residualBits > 30) {
            throw new IllegalArgumentException(
                    "residual bits must be in [1, 30], got " + residualBits);
        }
        if (statisticsBits < 4 || statisticsBits > 28) {
            throw new IllegalArgumentException(
                    "statistics bits must be in [4, 28], got " + statisticsBits);
        }
        if (!(halfLife > 0)) {
            throw new IllegalArgumentException("half-life must be > 0 events, got " + halfLife);
        }
    }

    /**
     * Every lever on, the deep model trained jointly with the residual, target statistics of user,
     * item and user × side value only: 2^20 residual coordinates, 2^20 statistics slots, a
     * half-life of 10^6 labelled events. The per-value statistics are off because they lowered AUC
     * and raised NE on the Avazu head and iPinYou (many hashed fields, values seen once or twice),
     * joint training on because it lowered NE on every dev stream, the learned weight of the deep
     * logit on because it lowered NE on every dev stream and brought iPinYou's below 1
     * (docs/freshness.md).
     */
    public static FreshnessConfig defaults() {
        return new FreshnessConfig(true, true, true, 20, 20, 1_000_000, true, false, true);
    }

    /** Every lever off: the deep model alone, scored as a mini-batch. */
    public static FreshnessConfig off() {
        return new FreshnessConfig(false, false, false, 20, 20, 1_000_000, false, false, false);
    }

    /** Whether any lever is on. */
    public boolean any() {
        return residual || targetStatistics || sequenceLengths;
    }

    public FreshnessConfig withResidual(boolean on) {
        return new FreshnessConfig(
                on,
                targetStatistics,
                sequenceLengths,
                residualBits,
                statisticsBits,
                halfLife,
                jointTraining,
                valueStatistics,
                deepWeight);
    }

    public FreshnessConfig withTargetStatistics(boolean on) {
        return new FreshnessConfig(
                residual,
                on,
                sequenceLengths,
                residualBits,
                statisticsBits,
                halfLife,
                jointTraining,
                valueStatistics,
                deepWeight);
    }

    public FreshnessConfig withSequenceLengths(boolean on) {
        return new FreshnessConfig(
                residual,
                targetStatistics,
                on,
                residualBits,
                statisticsBits,
                halfLife,
                jointTraining,
                valueStatistics,
                deepWeight);
    }

    public FreshnessConfig withJointTraining(boolean on) {
        return new FreshnessConfig(
                residual,
                targetStatistics,
                sequenceLengths,
                residualBits,
                statisticsBits,
                halfLife,
                on,
                valueStatistics,
                deepWeight);
    }

    public FreshnessConfig withValueStatistics(boolean on) {
        return new FreshnessConfig(
                residual,
                targetStatistics,
                sequenceLengths,
                residualBits,
                statisticsBits,
                halfLife,
                jointTraining,
                on,
                deepWeight);
    }

    public FreshnessConfig withDeepWeight(boolean on) {
        return new FreshnessConfig(
                residual,
                targetStatistics,
                sequenceLengths,
                residualBits,
                statisticsBits,
                halfLife,
                jointTraining,
                valueStatistics,
                on);
    }

    /** This config with smaller (or larger) tables, e.g. for tests. */
    public FreshnessConfig withBits(int residual, int statistics) {
        return new FreshnessConfig(
                this.residual,
                targetStatistics,
                sequenceLengths,
                residual,
                statistics,
                halfLife,
                jointTraining,
                valueStatistics,
                deepWeight);
    }
}
