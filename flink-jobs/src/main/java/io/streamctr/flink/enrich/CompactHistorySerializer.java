package io.streamctr.flink.enrich;

import io.streamctr.model.enrich.CompactHistory;
import io.streamctr.model.enrich.CompactSequence;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The enricher's state serializer (issue 18): a {@link CompactHistory} as fixed-width primitives,
 * no Avro schema resolution and no boxed lists. Part of the savepoint format:
 *
 * <pre>
 * long lastEventTime
 * clicked, then nonClicked: int L; L × int item; L × int side; L × long time
 * </pre>
 *
 * The older format, an Avro {@code UserHistory} under {@link SequenceEnricher#STATE_NAME}, is read
 * by the enricher and rewritten in this one, user by user ({@link SequenceEnricher}).
 */
public final class CompactHistorySerializer extends TypeSerializerSingleton<CompactHistory> {

    private static final long serialVersionUID = 1L;

    /** The one instance. */
    public static final CompactHistorySerializer INSTANCE = new CompactHistorySerializer();

    private CompactHistorySerializer() {}

    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public CompactHistory createInstance() {
        return CompactHistory.EMPTY;
    }

    @Override
    public CompactHistory copy(CompactHistory from) {
        return from;
    }

    @Override
    public CompactHistory copy(CompactHistory from, CompactHistory reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CompactHistory record, DataOutputView target) throws IOException {
        target.writeLong(record.lastEventTime());
        write(record.clicked(), target);
        write(record.nonClicked(), target);
    }

    private static void write(CompactSequence seq, DataOutputView target) throws IOException {
        int n = seq.length();
        target.writeInt(n);
        for (int k = 0; k < n; k++) {
            target.writeInt(seq.item(k));
        }
        for (int k = 0; k < n; k++) {
            target.writeInt(seq.side(k));
        }
        for (int k = 0; k < n; k++) {
            target.writeLong(seq.time(k));
        }
    }

    @Override
    public CompactHistory deserialize(DataInputView source) throws IOException {
        long last = source.readLong();
        CompactSequence clicked = read(source);
        return new CompactHistory(clicked, read(source), last);
    }

    private static CompactSequence read(DataInputView source) throws IOException {
        int n = source.readInt();
        if (n < 0) {
            throw new IOException("corrupt compact history: sequence length " + n);
        }
        int[] items = new int[n];
        int[] sides = new int[n];
        long[] times = new long[n];
        for (int k = 0; k < n; k++) {
            items[k] = source.readInt();
        }
        for (int k = 0; k < n; k++) {
            sides[k] = source.readInt();
        }
        for (int k = 0; k < n; k++) {
            times[k] = source.readLong();
        }
        return new CompactSequence(items, sides, times);
    }

    @Override
    public CompactHistory deserialize(CompactHistory reuse, DataInputView source)
            throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<CompactHistory> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: the class is the whole configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CompactHistory> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
