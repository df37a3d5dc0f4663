package io.streamctr.model.learn;

import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainResult;
import io.streamctr.schemas.Example;

import java.util.List;

/**
 * A mini-batch deep model as an {@link OnlineLearner}: encodes the batch ({@link FeatureEncoder}),
 * scores it in inference mode with the weights before it ({@link OnlineTrainer#predict}), then
 * makes one training step on its labelled rows.
 */
public final class DeepLearner implements OnlineLearner {

    private final OnlineTrainer trainer;
    private final FeatureEncoder encoder;

    public DeepLearner(OnlineTrainer trainer) {
        this.trainer = trainer;
        this.encoder = new FeatureEncoder(trainer.spec());
    }

    /** The trainer (its block, stage and architecture, for OptFusion's reports). */
    public OnlineTrainer trainer() {
        return trainer;
    }

    @Override
    public String modelName() {
        return trainer.modelName();
    }

    @Override
    public LearnedBatch process(List<Example> batch) {
        FeatureBatch encoded = encoder.encode(batch);
        float[] scores = trainer.predict(encoded);
        long version = trainer.step();
        TrainResult result = trainer.train(encoded);
        return new LearnedBatch(scores, version, result.loss(), result.labelled(), result.skipped() && result.labelled() > 0);
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
        return trainer.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
        trainer.restore(snapshot);
    }

    @Override
    public void close() {
        trainer.close();
    }
}
