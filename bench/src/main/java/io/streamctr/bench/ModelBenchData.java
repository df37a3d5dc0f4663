package io.streamctr.bench;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.Collection;
import java.util.List;

/**
 * The events {@link ModelBench} trains on and the feature spec they are encoded with.
 *
 * @param description what the events are (printed in the header): the data set and its path
 * @param events the events in time order
 * @param spec the feature spec (its D is the bench's {@code --embedding-dim})
 * @param contextOnlyActions action types whose events only seed the sequences and are not trained
 *     on (MIND's history)
 */
public record ModelBenchData(
        String description,
        List<ClickEvent> events,
        FeatureSpec spec,
        Collection<String> contextOnlyActions) {

    public ModelBenchData {
        events = List.copyOf(events);
        contextOnlyActions = List.copyOf(contextOnlyActions);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events in " + description);
        }
    }

    /**
     * The events enriched with their sequences as the job's enricher would, context-only events
     * left out.
     */
    List<Example> examples() {
        return BenchEvents.enrich(
                events, spec.sideField(), spec.sequenceLength(), contextOnlyActions);
    }
}
