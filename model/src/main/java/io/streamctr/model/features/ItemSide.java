package io.streamctr.model.features;

import io.streamctr.schemas.ClickEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The side feature of an event's item: the sorted value set of the spec's side field joined by '|'
 * and hashed (for MovieLens, the movie's genre set). The enricher stores it beside each item of a
 * behaviour sequence and the encoder computes it for the target item, so both meet in the same
 * embedding rows.
 */
public final class ItemSide {

    /** Hash meaning "no side feature"; the encoder maps it to the padding row. */
    public static final int NONE = 0;

    private ItemSide() {}

    /** The side-feature hash of the event's item, or {@link #NONE}. */
    public static int hash(ClickEvent event, String sideField) {
        if (sideField == null) {
            return NONE;
        }
        List<String> values = event.getMultiValued().get(sideField);
        if (values == null || values.isEmpty()) {
            String single = event.getCategorical().get(sideField);
            return single == null || single.isEmpty() ? NONE : nonZero(StableHash.hash(single));
        }
        List<String> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return nonZero(StableHash.hash(String.join("|", sorted)));
    }

    private static int nonZero(int h) {
        return h == NONE ? 1 : h;
    }
}
