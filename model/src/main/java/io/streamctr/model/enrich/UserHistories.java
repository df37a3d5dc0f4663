package io.streamctr.model.enrich;

import io.streamctr.model.features.ItemSide;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.UserHistory;
import java.util.ArrayList;
import java.util.List;

/** Pure functions on a user's sequences: the empty history and appending one labelled event. */
public final class UserHistories {

    private UserHistories() {}

    public static UserHistory empty() {
        return UserHistory.newBuilder()
                .setClicked(emptySequence())
                .setNonClicked(emptySequence())
                .setLastEventTime(0L)
                .build();
    }

    /**
     * A new history with the event appended to the sequence its label says (clicked for 1,
     * non-clicked for 0), keeping the {@code maxLength} most recent items. An unlabelled event
     * changes no sequence. The given history is not modified.
     */
    public static UserHistory append(
            UserHistory history, ClickEvent event, String sideField, int maxLength) {
        Integer label = event.getLabel();
        long time = Math.max(history.getLastEventTime(), event.getEventTime());
        if (label == null) {
            return UserHistory.newBuilder(history).setLastEventTime(time).build();
        }
        int item = StableHash.hash(event.getItemId());
        int side = ItemSide.hash(event, sideField);
        BehaviourSequence clicked = history.getClicked();
        BehaviourSequence nonClicked = history.getNonClicked();
        if (label == 1) {
            clicked = appended(clicked, item, side, event.getEventTime(), maxLength);
        } else {
            nonClicked = appended(nonClicked, item, side, event.getEventTime(), maxLength);
        }
        return UserHistory.newBuilder()
                .setClicked(clicked)
                .setNonClicked(nonClicked)
                .setLastEventTime(time)
                .build();
    }

    private static BehaviourSequence appended(
            BehaviourSequence seq, int item, int side, long time, int maxLength) {
        return BehaviourSequence.newBuilder()
                .setItems(appended(seq.getItems(), item, maxLength))
                .setSides(appended(seq.getSides(), side, maxLength))
                .setTimes(appended(seq.getTimes(), time, maxLength))
                .build();
    }

    private static <T> List<T> appended(List<T> values, T value, int maxLength) {
        int from = Math.max(0, values.size() + 1 - maxLength);
        List<T> out = new ArrayList<>(Math.min(values.size() + 1, maxLength));
        for (int i = from; i < values.size(); i++) {
            out.add(values.get(i));
        }
        out.add(value);
        return out;
    }

    private static BehaviourSequence emptySequence() {
        return BehaviourSequence.newBuilder()
                .setItems(new ArrayList<>())
                .setSides(new ArrayList<>())
                .setTimes(new ArrayList<>())
                .build();
    }
}
