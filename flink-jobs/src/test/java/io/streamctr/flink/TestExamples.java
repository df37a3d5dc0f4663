package io.streamctr.flink;

import io.streamctr.model.enrich.UserHistories;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic click events for operator tests: the label depends on the item, so it can be learned.
 */
public final class TestExamples {

    private TestExamples() {}

    public static List<ClickEvent> events(int n, long seed) {
        Random r = new Random(seed);
        List<ClickEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int item = r.nextInt(50);
            out.add(
                    ClickEvent.newBuilder()
                            .setEventId("e-" + seed + "-" + i)
                            .setUserId("u" + r.nextInt(10))
                            .setItemId("i" + item)
                            .setEventTime(1_000L * i)
                            .setLabel(item % 3 == 0 ? 1 : 0)
                            .setMultiValued(Map.of("genres", List.of("g" + item % 4)))
                            .build());
        }
        return out;
    }

    /** Examples as the enricher would make them, for learner tests. */
    public static List<Example> examples(int n, long seed) {
        Map<String, UserHistory> histories = new HashMap<>();
        List<Example> out = new ArrayList<>();
        for (ClickEvent e : events(n, seed)) {
            UserHistory before = histories.getOrDefault(e.getUserId(), UserHistories.empty());
            out.add(Example.newBuilder().setEvent(e).setHistory(before).build());
            histories.put(e.getUserId(), UserHistories.append(before, e, "genres", 8));
        }
        return out;
    }
}
