package io.streamctr.model.enrich;

import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;

/**
 * What {@link SequenceEnrichment#apply} makes of one event: whether it becomes an example, the
 * example (the event with the user's sequences as they were before it; null unless {@link
 * Kind#EXAMPLE}) and the user's history after it (the history before, unchanged, for {@link
 * Kind#OUT_OF_ORDER}).
 */
public record EnrichedEvent(Kind kind, Example example, UserHistory after) {

    /** The three things that can happen to an event. */
    public enum Kind {
        /** Scored and trained on: an example is emitted and the sequences are extended. */
        EXAMPLE,
        /** A context-only action type: the sequences are extended, no example is emitted. */
        CONTEXT_ONLY,
        /** Older than the user's latest event: not used (the job sends it to the dead letters). */
        OUT_OF_ORDER
    }
}
