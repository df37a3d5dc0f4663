package io.streamctr.flink.learn;

import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;

/**
 * Fake-negative training of delayed labels ({@code ctr.labels.train-on=fake-negative}; Ktena et
 * al., RecSys 2019, "Addressing delayed feedback for continuous training with neural networks in
 * CTR prediction", section 4.1): every impression is trained on at once as a negative, and again as
 * a positive when its click comes, so the model learns q = p / (1 + p) of the click probability p;
 * scores are served calibrated back, p = q / (1 − q) (section 4.2, {@link
 * JoinedLabels#fakeNegativeCalibrated}); or, with the paper's importance weights (section 4.3,
 * {@code ctr.labels.fake-negative-weighting}, {@link io.streamctr.model.learn.LossWeighting}), the
 * model learns p itself and its scores are served as they are.
 *
 * <p>The label join runs as in {@code click} mode: a positive at the click, a negative when the
 * window closes. Here the positive is trained and measured; the window's negative is only measured
 * (its fake negative was trained at the impression).
 */
final class FakeNegatives {

    private FakeNegatives() {}

    /**
     * What the learner processes for the examples that arrived, in order, and where each arrived
     * example is in it ({@code -1}: not processed).
     *
     * @param batch the examples to score and learn from
     * @param position for each arrived example, its index in {@code batch}, or -1
     */
    record Plan(List<Example> batch, int[] position) {}

    /** The plan of a batch without fake negatives: the arrived examples as they are. */
    static Plan plain(List<Example> arrived) {
        int[] position = new int[arrived.size()];
        for (int i = 0; i < position.length; i++) {
            position[i] = i;
        }
        return new Plan(arrived, position);
    }

    /**
     * The plan with fake negatives: an impression, then its fake negative right after it (scored
     * before it is learned from); a joined positive; no joined negative; anything else as is.
     */
    static Plan plan(List<Example> arrived) {
        List<Example> batch = new ArrayList<>(arrived.size() * 2);
        int[] position = new int[arrived.size()];
        for (int i = 0; i < position.length; i++) {
            Example x = arrived.get(i);
            ClickEvent e = x.getEvent();
            if (JoinedLabels.isJoined(e) && e.getLabel() == 0) {
                position[i] = -1;
                continue;
            }
            position[i] = batch.size();
            batch.add(x);
            if (e.getKind() == EventKind.IMPRESSION && e.getLabel() == null) {
                batch.add(JoinedLabels.labelled(x, 0));
            }
        }
        return new Plan(batch, position);
    }
}
