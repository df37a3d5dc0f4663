package io.streamctr.model.enrich;

import io.streamctr.schemas.Example;

/**
 * {@link EnrichedEvent} with the user's history after the event in the enricher's state form: what
 * {@link SequenceEnrichment#applyCompact} makes of one event.
 */
public record CompactEnrichedEvent(
        EnrichedEvent.Kind kind, Example example, CompactHistory after) {}
