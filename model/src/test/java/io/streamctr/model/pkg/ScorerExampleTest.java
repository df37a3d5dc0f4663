package io.streamctr.model.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service example of docs/lifecycle.md, on the kept dnn-tiny package: score an event, learn its
 * label into the user's sequences, score the next; the sequences are the enricher's.
 */
class ScorerExampleTest {

    @Test
    void aServiceScoresEventsWithTheUsersSequencesAsTheEnricherBuildsThem() throws Exception {
        Path dir = Path.of(getClass().getResource("/packages/dnn-tiny-v1").toURI());
        List<ClickEvent> stream = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stream.add(
                    ClickEvent.newBuilder()
                            .setEventId("e" + i)
                            .setUserId("u7")
                            .setItemId("i" + (3 * i))
                            .setEventTime(1_000L * i)
                            .setLabel(i % 2)
                            .setCategorical(Map.of("city", "c1"))
                            .setNumeric(Map.of("age", 0.3f))
                            .setMultiValued(Map.of("genres", List.of("g" + i % 5)))
                            .build());
        }
        try (ModelPackage pkg = ModelPackage.load(dir, "cpu")) {
            // the documented loop
            Scorer scorer = pkg.scorer();
            Map<String, UserHistory> histories = new HashMap<>(); // the service's per-user state
            float[] scores = new float[stream.size()];
            for (int i = 0; i < stream.size(); i++) {
                ClickEvent labelled = stream.get(i);
                ClickEvent event = ClickEvent.newBuilder(labelled).setLabel(null).build();
                scores[i] = scorer.score(event, histories.get(event.getUserId()));
                // later, when the label is known:
                histories.put(
                        labelled.getUserId(),
                        scorer.append(histories.get(labelled.getUserId()), labelled));
            }

            List<Example> enriched =
                    new SequenceEnrichment(
                                    pkg.manifest().featureSpec().sideField(),
                                    pkg.manifest().featureSpec().sequenceLength(),
                                    List.of())
                            .enrichAll(stream);
            for (int i = 0; i < stream.size(); i++) {
                assertThat(scores[i])
                        .as("event %d", i)
                        .isEqualTo(scorer.score(List.of(enriched.get(i)))[0]);
            }
            // the history reaches the score: the same event without it scores otherwise
            assertThat(scorer.score(stream.get(5), null)).isNotEqualTo(scores[5]);
        }
    }
}
