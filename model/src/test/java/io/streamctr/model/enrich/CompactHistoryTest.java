package io.streamctr.model.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.UserHistory;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactHistoryTest {

    private static ClickEvent event(int i, Random r) {
        int item = r.nextInt(40);
        int roll = r.nextInt(10);
        return ClickEvent.newBuilder()
                .setEventId("e" + i)
                .setUserId("u")
                .setItemId("i" + item)
                .setEventTime(1_000L * i + r.nextInt(500))
                .setLabel(roll < 3 ? Integer.valueOf(1) : roll < 9 ? Integer.valueOf(0) : null)
                .setMultiValued(Map.of("genres", List.of("g" + item % 5)))
                .build();
    }

    @Test
    void appendsItemForItemAsTheAvroRuleDoes() {
        Random r = new Random(11);
        UserHistory lists = UserHistories.empty();
        CompactHistory compact = CompactHistory.EMPTY;
        for (int i = 0; i < 400; i++) {
            ClickEvent e = event(i, r);
            lists = UserHistories.append(lists, e, "genres", 7);
            compact = compact.appended(e, "genres", 7);
            assertThat(compact.toAvro()).as("after event %d", i).isEqualTo(lists);
        }
        assertThat(compact.clicked().length()).isEqualTo(7);
        assertThat(compact.nonClicked().length()).isEqualTo(7);
        assertThat(CompactHistory.of(lists).toAvro()).isEqualTo(lists);
    }

    @Test
    void anAppendLeavesTheEarlierHistoryAndItsViewsAlone() {
        Random r = new Random(3);
        CompactHistory before = CompactHistory.EMPTY;
        for (int i = 0; i < 5; i++) {
            before =
                    before.appended(
                            ClickEvent.newBuilder(event(i, r)).setLabel(1).build(), "genres", 3);
        }
        UserHistory view = before.toAvro();
        List<Integer> items = List.copyOf(view.getClicked().getItems());
        ClickEvent next = ClickEvent.newBuilder(event(9, r)).setItemId("new").setLabel(1).build();

        CompactHistory after = before.appended(next, "genres", 3);

        assertThat(view.getClicked().getItems()).containsExactlyElementsOf(items);
        assertThat(after.clicked().item(2)).isEqualTo(StableHash.hash("new"));
        assertThat(after.clicked().item(0)).isEqualTo(before.clicked().item(1));
    }

    @Test
    void refusesArraysOfDifferentLengths() {
        assertThatThrownBy(() -> new CompactSequence(new int[2], new int[2], new long[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("items 2, sides 2, times 1");
    }
}
