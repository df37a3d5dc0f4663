package io.streamctr.flink.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeNegativesTest {

    private static Example impression(Example x) {
        return Example.newBuilder(x)
                .setEvent(
                        ClickEvent.newBuilder(x.getEvent())
                                .setLabel(null)
                                .setKind(EventKind.IMPRESSION)
                                .build())
                .build();
    }

    @Test
    void anImpressionIsFollowedByItsFakeNegativeAndAJoinedNegativeIsNotLearnedAgain() {
        List<Example> xs = TestExamples.examples(3, 4);
        Example shown = impression(xs.get(0));
        Example labelled = xs.get(1); // LABELLED, as is
        List<Example> arrived =
                List.of(
                        shown,
                        labelled,
                        JoinedLabels.labelled(shown, 1),
                        JoinedLabels.labelled(impression(xs.get(2)), 0));

        FakeNegatives.Plan plan = FakeNegatives.plan(arrived);

        assertThat(plan.batch())
                .extracting(x -> x.getEvent().getEventId() + "=" + x.getEvent().getLabel())
                .containsExactly(
                        shown.getEvent().getEventId() + "=null",
                        shown.getEvent().getEventId() + "=0",
                        labelled.getEvent().getEventId() + "=" + labelled.getEvent().getLabel(),
                        shown.getEvent().getEventId() + "=1");
        assertThat(plan.position()).containsExactly(0, 2, 3, -1);
        assertThat(FakeNegatives.plain(arrived).position()).containsExactly(0, 1, 2, 3);
    }
}
