package io.streamctr.flink.learn;

import io.streamctr.flink.export.ExportConfig;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.train.TrainerConfig;
import java.io.Serializable;

/**
 * What one learner needs: its name and model (a {@link io.streamctr.model.ModelRegistry} entry or
 * ftrl), features, trainer hyper-parameters, batching and the device; whether it trains, the
 * package it starts from and where it exports packages.
 *
 * @param learnerName the learner's name ({@link LearnerEntry}): its uid, metric group, the model
 *     name of its predictions
 * @param modelName registered model name
 * @param spec features the model sees
 * @param trainer optimizer hyper-parameters
 * @param batchSize events per mini-batch
 * @param batchTimeoutMs a partial batch is processed after this many milliseconds
 * @param device auto, cpu, gpu or gpu:N
 * @param freshness a deep model's freshness levers inside the batch (the ctr.learner.* options)
 * @param overrides the model's own settings (the ctr.model.&lt;name&gt;.* options)
 * @param train false: a frozen learner that scores and never learns ({@code ctr.model.NAME.train})
 * @param warmStart the package the learner starts from, or null ({@code ctr.model.NAME.warm-start})
 * @param export where and when the learner's packages are exported, or null ({@code ctr.export.*})
 */
public record LearnerConfig(
        String learnerName,
        String modelName,
        FeatureSpec spec,
        TrainerConfig trainer,
        int batchSize,
        long batchTimeoutMs,
        String device,
        FreshnessConfig freshness,
        ModelOverrides overrides,
        boolean train,
        WarmStart warmStart,
        ExportConfig export)
        implements Serializable {

    /** A learning learner named after its model, from scratch, without exports. */
    public LearnerConfig(
            String modelName,
            FeatureSpec spec,
            TrainerConfig trainer,
            int batchSize,
            long batchTimeoutMs,
            String device,
            FreshnessConfig freshness,
            ModelOverrides overrides) {
        this(
                modelName,
                modelName,
                spec,
                trainer,
                batchSize,
                batchTimeoutMs,
                device,
                freshness,
                overrides,
                true,
                null,
                null);
    }

    /** With the model's own settings. */
    public LearnerConfig(
            String modelName,
            FeatureSpec spec,
            TrainerConfig trainer,
            int batchSize,
            long batchTimeoutMs,
            String device,
            FreshnessConfig freshness) {
        this(
                modelName,
                spec,
                trainer,
                batchSize,
                batchTimeoutMs,
                device,
                freshness,
                ModelOverrides.NONE);
    }

    /** With the default freshness levers. */
    public LearnerConfig(
            String modelName,
            FeatureSpec spec,
            TrainerConfig trainer,
            int batchSize,
            long batchTimeoutMs,
            String device) {
        this(
                modelName,
                spec,
                trainer,
                batchSize,
                batchTimeoutMs,
                device,
                FreshnessConfig.defaults());
    }

    public LearnerConfig {
        if (learnerName == null || modelName == null) {
            throw new IllegalArgumentException("learner and model names must not be null");
        }
        if (freshness == null || overrides == null) {
            throw new IllegalArgumentException("freshness and overrides must not be null");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        if (batchTimeoutMs <= 0) {
            throw new IllegalArgumentException(
                    "batch timeout must be > 0 ms, got " + batchTimeoutMs);
        }
    }

    /** This learner under another name. */
    public LearnerConfig withName(String name) {
        return new LearnerConfig(
                name,
                modelName,
                spec,
                trainer,
                batchSize,
                batchTimeoutMs,
                device,
                freshness,
                overrides,
                train,
                warmStart,
                export);
    }

    /** This learner with its model's own settings. */
    public LearnerConfig withOverrides(ModelOverrides own) {
        return new LearnerConfig(
                learnerName,
                modelName,
                spec,
                trainer,
                batchSize,
                batchTimeoutMs,
                device,
                freshness,
                own,
                train,
                warmStart,
                export);
    }

    /** This learner learning ({@code true}) or frozen. */
    public LearnerConfig withTrain(boolean learns) {
        return new LearnerConfig(
                learnerName,
                modelName,
                spec,
                trainer,
                batchSize,
                batchTimeoutMs,
                device,
                freshness,
                overrides,
                learns,
                warmStart,
                export);
    }

    /** This learner started from a package (null: from scratch). */
    public LearnerConfig withWarmStart(WarmStart start) {
        return new LearnerConfig(
                learnerName,
                modelName,
                spec,
                trainer,
                batchSize,
                batchTimeoutMs,
                device,
                freshness,
                overrides,
                train,
                start,
                export);
    }

    /** This learner exporting its packages (null: never). */
    public LearnerConfig withExport(ExportConfig exports) {
        return new LearnerConfig(
                learnerName,
                modelName,
                spec,
                trainer,
                batchSize,
                batchTimeoutMs,
                device,
                freshness,
                overrides,
                train,
                warmStart,
                exports);
    }

    /**
     * A fresh learner as this config describes it: the warm-start package's (its manifest's
     * settings), else the model's with this trainer, freshness and overrides. Its state is the
     * initialization's; the caller restores a checkpoint's or the package's.
     */
    public OnlineLearner newLearner() {
        if (warmStart != null) {
            return warmStart.newLearner(device);
        }
        if (overrides.equals(ModelOverrides.NONE)) {
            return Learners.create(modelName, spec, trainer, device, freshness);
        }
        return Learners.createDeep(
                modelName, spec, overrides.apply(trainer), device, freshness, overrides::apply);
    }
}
