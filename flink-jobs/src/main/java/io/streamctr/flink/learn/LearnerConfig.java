package io.streamctr.flink.learn;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.train.TrainerConfig;
import java.io.Serializable;

/**
 * What one learner needs: the model's name (a {@link io.streamctr.model.ModelRegistry} entry),
 * features, trainer hyper-parameters, batching and the device.
 *
 * @param modelName registered model name
 * @param spec features the model sees
 * @param trainer optimizer hyper-parameters
 * @param batchSize events per mini-batch
 * @param batchTimeoutMs a partial batch is processed after this many milliseconds
 * @param device auto, cpu, gpu or gpu:N
 * @param freshness a deep model's freshness levers inside the batch (the ctr.learner.* options)
 * @param overrides the model's own settings (the ctr.model.&lt;name&gt;.* options)
 */
public record LearnerConfig(
        String modelName,
        FeatureSpec spec,
        TrainerConfig trainer,
        int batchSize,
        long batchTimeoutMs,
        String device,
        FreshnessConfig freshness,
        ModelOverrides overrides)
        implements Serializable {

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
}
