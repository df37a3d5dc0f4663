package io.streamctr.model.features;

/**
 * The distinct (event, embedding row) pairs of a batch and the batch's ids rewritten as positions
 * among them ({@link FeatureBatch#eventRows()}): a training step that embeds from a copy of one row
 * per pair gets the gradient of each event's own lookups of a row apart, [P, D], whose squares an
 * adaptive sparse rule accumulates per event, as FTRL learning one event at a time does.
 *
 * <p>Shapes: P = pairs; {@code rows} [P] (the table row of each pair, in order of first use, event
 * by event); the id arrays have the batch's own layouts ([B, F], [B, M, K], per sequence [B, L]
 * twice).
 *
 * @param rows the table row of each pair
 * @param categorical the categorical ids as pair positions [B, F]
 * @param multiIds the multi-valued ids as pair positions [B, M, K]
 * @param sequenceItems per sequence, the item ids as pair positions [B, L]
 * @param sequenceSides per sequence, the side ids as pair positions [B, L]
 */
public record EventRows(
        long[] rows,
        long[] categorical,
        long[] multiIds,
        long[][] sequenceItems,
        long[][] sequenceSides) {

    /** The number of (event, row) pairs. */
    public int size() {
        return rows.length;
    }
}
