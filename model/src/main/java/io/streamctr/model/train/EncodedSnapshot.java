package io.streamctr.model.train;

import java.nio.ByteBuffer;

/**
 * A snapshot's bytes not yet written: their size, then the bytes written into a buffer of the
 * caller's, so a caller that wraps them (a learner's own snapshot around its trainer's) copies the
 * model once instead of once per layer. It reads the live state when written: write it before the
 * state changes.
 */
public interface EncodedSnapshot {

    /** The number of bytes {@link #writeTo} writes. */
    int size();

    /** Writes the bytes at {@code out}'s position, which advances by {@link #size()}. */
    void writeTo(ByteBuffer out);

    /** The bytes in an array of their exact size. */
    default byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(size());
        writeTo(out);
        return out.array();
    }
}
