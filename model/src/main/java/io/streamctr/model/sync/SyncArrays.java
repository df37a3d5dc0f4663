package io.streamctr.model.sync;

import io.streamctr.model.ftrl.FtrlLearner;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.train.TrainerArrays;
import java.util.ArrayList;
import java.util.List;

/**
 * Every registered learner's state as {@link StateArray}s: a deep model's trainer ({@link
 * TrainerArrays}), then its per-event FTRL residual and its target statistics where it has them;
 * {@code ftrl}'s coordinates ({@link FtrlLearner#syncArrays}).
 */
public final class SyncArrays {

    private SyncArrays() {}

    /** The learner's arrays; IllegalArgumentException for a learner of another kind. */
    public static List<StateArray> of(OnlineLearner learner) {
        if (learner instanceof FtrlLearner ftrl) {
            return ftrl.syncArrays(learner.modelName() + "/");
        }
        if (learner instanceof DeepLearner deep) {
            String prefix = learner.modelName() + "/";
            List<StateArray> out = new ArrayList<>(TrainerArrays.of(deep.trainer(), prefix));
            if (deep.residual() != null) {
                out.addAll(deep.residual().syncArrays(prefix + "residual "));
            }
            if (deep.targetStatistics() != null) {
                out.addAll(deep.targetStatistics().syncArrays(prefix));
            }
            return out;
        }
        throw new IllegalArgumentException(
                "no data-parallel state for learner "
                        + learner.getClass().getName()
                        + " of model '"
                        + learner.modelName()
                        + "'");
    }
}
