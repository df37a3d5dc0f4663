package io.streamctr.model.enrich;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;

/**
 * The delayed-label rules (issue 16) shared by the job's label join and any simulation of it: an
 * {@link EventKind#IMPRESSION} is scored without a label; once its label is known (a click within
 * the attribution window, or the window's end without one) the same example, with the sequences as
 * they were when it was scored, comes back labelled: a <i>joined</i> example, trained on and never
 * scored again. The sequences learn the outcome when it happens: the clicked item at the click's
 * time, the non-clicked item at the window's end; an impression itself changes none.
 */
public final class JoinedLabels {

    private JoinedLabels() {}

    /** True for a joined example's event: an impression that has its label now. */
    public static boolean isJoined(ClickEvent event) {
        return event.getKind() == EventKind.IMPRESSION && event.getLabel() != null;
    }

    /**
     * The largest calibrated fake-negative score: a score of 1 would make a negative's loss
     * infinite.
     */
    public static final float MAX_CALIBRATED = 1f - 1e-6f;

    /**
     * The click probability p of a model trained with fake negatives (every impression a negative
     * at once, its click one more positive), which learns q = p / (1 + p): p = q / (1 − q), at most
     * {@link #MAX_CALIBRATED} (Ktena et al., RecSys 2019, section 4.2). The one calibration of the
     * job's learner and of {@code evaluate}'s simulation.
     */
    public static float fakeNegativeCalibrated(float q) {
        if (!(q >= 0f) || q > 1f) {
            throw new IllegalArgumentException("a score must be in [0, 1], got " + q);
        }
        return q >= 1f ? MAX_CALIBRATED : (float) Math.min(q / (1.0 - q), MAX_CALIBRATED);
    }

    /** The scored example with its label: the history is the one it was scored with. */
    public static Example labelled(Example scored, int label) {
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
        if (scored.getEvent().getKind() != EventKind.IMPRESSION) {
            throw new IllegalArgumentException(
                    "only an IMPRESSION is labelled later, got a "
                            + scored.getEvent().getKind()
                            + " (event "
                            + scored.getEvent().getEventId()
                            + ")");
        }
        ClickEvent event = ClickEvent.newBuilder(scored.getEvent()).setLabel(label).build();
        return Example.newBuilder(scored).setEvent(event).build();
    }

    /**
     * The user's history after the impression's outcome became known at {@code time}: its item
     * appended to the clicked ({@code label} 1) or non-clicked (0) sequence with that time. The
     * user's latest event time moves to {@code time} only for a click (an event of the stream); a
     * window's end is not an event.
     */
    public static UserHistory outcome(
            UserHistory before,
            ClickEvent impression,
            int label,
            long time,
            String sideField,
            int maxLength) {
        return outcome(
                        before == null ? null : CompactHistory.of(before),
                        impression,
                        label,
                        time,
                        sideField,
                        maxLength)
                .toAvro();
    }

    /** As above, on the enricher's state form. */
    public static CompactHistory outcome(
            CompactHistory before,
            ClickEvent impression,
            int label,
            long time,
            String sideField,
            int maxLength) {
        CompactHistory history = before == null ? CompactHistory.EMPTY : before;
        ClickEvent at =
                ClickEvent.newBuilder(impression).setLabel(label).setEventTime(time).build();
        CompactHistory after = history.appended(at, sideField, maxLength);
        return label == 1 ? after : after.withLastEventTime(history.lastEventTime());
    }
}
