package io.streamctr.model.features;

import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Synthetic examples for model tests: the label depends on the item, so a model can learn it. */
public final class Examples {

    private Examples() {}

    public static List<Example> random(int n, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int item = r.nextInt(40);
            int label = (item % 3 == 0) ^ (r.nextDouble() < 0.1) ? 1 : 0;
            ClickEvent e =
                    ClickEvent.newBuilder()
                            .setEventId("e" + i)
                            .setUserId("u" + r.nextInt(20))
                            .setItemId("i" + item)
                            .setEventTime(1_000L * i)
                            .setLabel(label)
                            .setMultiValued(
                                    Map.of("genres", List.of("g" + item % 5, "g" + item % 7)))
                            .build();
            out.add(Example.newBuilder().setEvent(e).setHistory(history(r, r.nextInt(6))).build());
        }
        return out;
    }

    public static UserHistory history(Random r, int length) {
        return UserHistory.newBuilder()
                .setClicked(sequence(r, length))
                .setNonClicked(sequence(r, length / 2))
                .setLastEventTime(0L)
                .build();
    }

    private static BehaviourSequence sequence(Random r, int length) {
        List<Integer> items = new ArrayList<>();
        List<Integer> sides = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            items.add(StableHash.hash("i" + r.nextInt(40)));
            sides.add(r.nextInt());
            times.add((long) i);
        }
        return BehaviourSequence.newBuilder()
                .setItems(items)
                .setSides(sides)
                .setTimes(times)
                .build();
    }

    public static UserHistory emptyHistory() {
        BehaviourSequence empty = BehaviourSequence.newBuilder().build();
        return UserHistory.newBuilder()
                .setClicked(empty)
                .setNonClicked(BehaviourSequence.newBuilder().build())
                .setLastEventTime(0L)
                .build();
    }
}
