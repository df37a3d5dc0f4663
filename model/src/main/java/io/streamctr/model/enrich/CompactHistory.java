package io.streamctr.model.enrich;

import io.streamctr.model.features.ItemSide;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.UserHistory;

/**
 * A user's sequences in primitive arrays: the enricher's keyed state since issue 18 (the {@link
 * UserHistory} Avro record is the older state format and what an example carries). The rule of
 * {@link #appended} is {@link UserHistories#append}'s, item for item. Immutable.
 */
public final class CompactHistory {

    /** A new user's history: both sequences empty, latest event time 0. */
    public static final CompactHistory EMPTY =
            new CompactHistory(CompactSequence.EMPTY, CompactSequence.EMPTY, 0L);

    private final CompactSequence clicked;
    private final CompactSequence nonClicked;
    private final long lastEventTime;

    public CompactHistory(CompactSequence clicked, CompactSequence nonClicked, long lastEventTime) {
        this.clicked = clicked;
        this.nonClicked = nonClicked;
        this.lastEventTime = lastEventTime;
    }

    /** The compact form of a history in the older state format. */
    public static CompactHistory of(UserHistory history) {
        return new CompactHistory(
                CompactSequence.of(history.getClicked()),
                CompactSequence.of(history.getNonClicked()),
                history.getLastEventTime());
    }

    /** Items the user clicked (label 1). */
    public CompactSequence clicked() {
        return clicked;
    }

    /** Items shown to the user and not clicked (label 0). */
    public CompactSequence nonClicked() {
        return nonClicked;
    }

    /** The user's latest event time, epoch ms (0 for a new user). */
    public long lastEventTime() {
        return lastEventTime;
    }

    /** This history with another latest event time. */
    public CompactHistory withLastEventTime(long time) {
        return new CompactHistory(clicked, nonClicked, time);
    }

    /**
     * A new history with the event appended to the sequence its label says (clicked for 1,
     * non-clicked for 0), keeping the {@code maxLength} most recent items; the latest event time
     * becomes the later of the two. An unlabelled event changes no sequence.
     */
    public CompactHistory appended(ClickEvent event, String sideField, int maxLength) {
        Integer label = event.getLabel();
        long time = Math.max(lastEventTime, event.getEventTime());
        if (label == null) {
            return withLastEventTime(time);
        }
        int item = StableHash.hash(event.getItemId());
        int side = ItemSide.hash(event, sideField);
        if (label == 1) {
            return new CompactHistory(
                    clicked.appended(item, side, event.getEventTime(), maxLength),
                    nonClicked,
                    time);
        }
        return new CompactHistory(
                clicked, nonClicked.appended(item, side, event.getEventTime(), maxLength), time);
    }

    /** The Avro history an example carries: views of these arrays, no copy. */
    public UserHistory toAvro() {
        return UserHistory.newBuilder()
                .setClicked(clicked.toAvro())
                .setNonClicked(nonClicked.toAvro())
                .setLastEventTime(lastEventTime)
                .build();
    }
}
