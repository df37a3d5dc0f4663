package io.streamctr.model.interformer;

import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A planted problem whose label depends on the clicked sequence only: every event has a new user
 * and a random item, and is a click exactly when the user's clicked items come from the first half
 * of the catalogue. A model that ignores the sequences stays at chance.
 */
final class PlantedSequences {

    private static final int ITEMS = 40;

    private PlantedSequences() {}

    static List<Example> examples(int n, int length, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean firstHalf = r.nextBoolean();
            int item = r.nextInt(ITEMS);
            ClickEvent e =
                    ClickEvent.newBuilder()
                            .setEventId("p" + seed + "-" + i)
                            .setUserId("u" + seed + "-" + i)
                            .setItemId("i" + item)
                            .setEventTime(i)
                            .setLabel(firstHalf ? 1 : 0)
                            .setMultiValued(Map.of("genres", List.of("g" + item % 5)))
                            .build();
            int offset = firstHalf ? 0 : ITEMS / 2;
            UserHistory h =
                    UserHistory.newBuilder()
                            .setClicked(sequence(r, 1 + r.nextInt(length), offset, ITEMS / 2))
                            .setNonClicked(sequence(r, r.nextInt(length), 0, ITEMS))
                            .setLastEventTime(0L)
                            .build();
            out.add(Example.newBuilder().setEvent(e).setHistory(h).build());
        }
        return out;
    }

    private static BehaviourSequence sequence(Random r, int length, int offset, int range) {
        List<Integer> items = new ArrayList<>();
        List<Integer> sides = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int j = 0; j < length; j++) {
            items.add(StableHash.hash("i" + (offset + r.nextInt(range))));
            sides.add(r.nextInt(7));
            times.add((long) j);
        }
        return BehaviourSequence.newBuilder()
                .setItems(items)
                .setSides(sides)
                .setTimes(times)
                .build();
    }
}
