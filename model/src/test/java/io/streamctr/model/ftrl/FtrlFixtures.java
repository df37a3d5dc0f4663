package io.streamctr.model.ftrl;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic streams for the FTRL tests: users, items with genres, a categorical and a numeric
 * field, each user's clicked / non-clicked sequences built from the labels before the event, and a
 * few unlabelled events. The label depends on the item and on the user × genre pair.
 */
final class FtrlFixtures {

    private FtrlFixtures() {}

    static FeatureSpec spec() {
        return new FeatureSpec(
                8, 1 << 10, List.of("site"), List.of("genres"), 4, List.of("price"), "genres", 5);
    }

    static List<Example> stream(int n, long seed) {
        Random r = new Random(seed);
        Map<String, List<Integer>> clicked = new HashMap<>();
        Map<String, List<Integer>> skipped = new HashMap<>();
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String user = "u" + r.nextInt(12);
            int item = r.nextInt(30);
            List<String> genres = List.of("g" + item % 4, "g" + (4 + item % 3));
            boolean likes = (user.hashCode() + item % 4) % 3 == 0;
            Integer label =
                    r.nextDouble() < 0.05
                            ? null
                            : (likes ^ r.nextDouble() < 0.2 ^ item % 5 == 0 ? 1 : 0);
            ClickEvent e =
                    ClickEvent.newBuilder()
                            .setEventId("e" + i)
                            .setUserId(user)
                            .setItemId("i" + item)
                            .setEventTime(1_000L * i)
                            .setLabel(label)
                            .setCategorical(Map.of("site", "s" + r.nextInt(3)))
                            .setNumeric(Map.of("price", (float) (r.nextDouble() * 40 - 5)))
                            .setMultiValued(Map.of("genres", genres))
                            .build();
            List<Integer> c = clicked.computeIfAbsent(user, k -> new ArrayList<>());
            List<Integer> s = skipped.computeIfAbsent(user, k -> new ArrayList<>());
            UserHistory history =
                    UserHistory.newBuilder()
                            .setClicked(sequence(c))
                            .setNonClicked(sequence(s))
                            .setLastEventTime(0L)
                            .build();
            out.add(Example.newBuilder().setEvent(e).setHistory(history).build());
            if (label != null) {
                (label == 1 ? c : s).add(StableHash.hash("i" + item));
            }
        }
        return out;
    }

    static BehaviourSequence sequence(List<Integer> items) {
        List<Integer> sides = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            sides.add(0);
            times.add((long) i);
        }
        return BehaviourSequence.newBuilder()
                .setItems(new ArrayList<>(items))
                .setSides(sides)
                .setTimes(times)
                .build();
    }

    /** The example with its event's label replaced (null for unlabelled). */
    static Example withLabel(Example example, Integer label) {
        ClickEvent e = ClickEvent.newBuilder(example.getEvent()).setLabel(label).build();
        return Example.newBuilder(example).setEvent(e).build();
    }
}
