package io.streamctr.model.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequenceEnrichmentTest {

    private static ClickEvent event(
            String id, String user, String item, long time, Integer label, String action) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setItemId(item)
                .setEventTime(time)
                .setLabel(label)
                .setActionType(action)
                .setMultiValued(Map.of("genres", List.of("g-" + item)))
                .build();
    }

    @Test
    void anEventSeesTheSequencesBeforeItNeverItsOwnLabel() {
        SequenceEnrichment enrichment = new SequenceEnrichment("genres", 3, Set.of());
        List<Example> examples =
                enrichment.enrichAll(
                        List.of(
                                event("a", "u1", "i1", 1, 1, null),
                                event("b", "u1", "i2", 2, 0, null),
                                event("c", "u2", "i3", 2, 1, null),
                                event("d", "u1", "i3", 3, 1, null)));

        assertThat(examples)
                .extracting(e -> e.getEvent().getEventId())
                .containsExactly("a", "b", "c", "d");
        assertThat(examples.get(0).getHistory().getClicked().getItems()).isEmpty();
        assertThat(examples.get(1).getHistory().getClicked().getItems())
                .containsExactly(StableHash.hash("i1"));
        assertThat(examples.get(2).getHistory().getClicked().getItems())
                .as("another user's history")
                .isEmpty();
        assertThat(examples.get(3).getHistory().getClicked().getItems())
                .containsExactly(StableHash.hash("i1"));
        assertThat(examples.get(3).getHistory().getNonClicked().getItems())
                .containsExactly(StableHash.hash("i2"));
    }

    @Test
    void contextOnlyEventsExtendTheSequencesWithoutAnExample() {
        SequenceEnrichment enrichment = new SequenceEnrichment("genres", 3, Set.of("history"));
        List<Example> examples =
                enrichment.enrichAll(
                        List.of(
                                event("h", "u1", "i9", 1, 1, "history"),
                                event("a", "u1", "i1", 2, 0, null)));

        assertThat(examples).extracting(e -> e.getEvent().getEventId()).containsExactly("a");
        assertThat(examples.get(0).getHistory().getClicked().getItems())
                .containsExactly(StableHash.hash("i9"));
    }

    @Test
    void anOutOfOrderEventIsNotUsedAndLeavesTheHistoryAsItWas() {
        SequenceEnrichment enrichment = new SequenceEnrichment("genres", 3, Set.of());
        UserHistory after = enrichment.apply(null, event("a", "u1", "i1", 10, 1, null)).after();

        EnrichedEvent late = enrichment.apply(after, event("b", "u1", "i2", 9, 1, null));
        EnrichedEvent sameTime = enrichment.apply(after, event("c", "u1", "i3", 10, 1, null));

        assertThat(late.kind()).isEqualTo(EnrichedEvent.Kind.OUT_OF_ORDER);
        assertThat(late.example()).isNull();
        assertThat(late.after()).isSameAs(after);
        assertThat(sameTime.kind())
                .as("equal times are in order")
                .isEqualTo(EnrichedEvent.Kind.EXAMPLE);
    }

    @Test
    void keepsTheMostRecentItems() {
        SequenceEnrichment enrichment = new SequenceEnrichment("genres", 2, Set.of());
        List<Example> examples =
                enrichment.enrichAll(
                        List.of(
                                event("a", "u1", "i1", 1, 1, null),
                                        event("b", "u1", "i2", 2, 1, null),
                                event("c", "u1", "i3", 3, 1, null),
                                        event("d", "u1", "i4", 4, 1, null)));

        assertThat(examples.get(3).getHistory().getClicked().getItems())
                .containsExactly(StableHash.hash("i2"), StableHash.hash("i3"));
    }

    @Test
    void rejectsANonPositiveLength() {
        assertThatThrownBy(() -> new SequenceEnrichment("genres", 0, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be > 0, got 0");
    }
}
