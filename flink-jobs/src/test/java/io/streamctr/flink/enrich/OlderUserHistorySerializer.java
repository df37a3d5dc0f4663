package io.streamctr.flink.enrich;

import io.streamctr.schemas.UserHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;
import org.apache.flink.formats.avro.utils.DataOutputEncoder;
import org.apache.flink.util.StringUtils;

/**
 * Test-only: writes {@link UserHistory} state as an earlier build of the job did, when the
 * generated class had an older schema. Values are encoded the way Flink's {@code AvroSerializer}
 * encodes them, with the older schema as the writer schema, and the serializer snapshot is the
 * {@link AvroSerializerSnapshot} that build would have stored (class name + writer schema, the
 * snapshot's current format). Only writing is supported: the job under test does the reading.
 */
final class OlderUserHistorySerializer extends TypeSerializer<UserHistory> {

    private static final long serialVersionUID = 1L;

    private final String writerSchema;
    private transient GenericDatumWriter<UserHistory> writer;
    private transient DataOutputEncoder encoder;

    OlderUserHistorySerializer(Schema writerSchema) {
        this.writerSchema = writerSchema.toString();
    }

    @Override
    public void serialize(UserHistory record, DataOutputView target) throws IOException {
        if (writer == null) {
            // field by field position: the older schema's fields must be a prefix of the current
            // class's
            writer =
                    new GenericDatumWriter<>(
                            new Schema.Parser().parse(writerSchema), SpecificData.get());
            encoder = new DataOutputEncoder();
        }
        encoder.setOut(target);
        writer.write(record, encoder);
    }

    @Override
    public TypeSerializerSnapshot<UserHistory> snapshotConfiguration() {
        try {
            DataOutputSerializer out = new DataOutputSerializer(4096);
            StringUtils.writeString(UserHistory.class.getName(), out);
            StringUtils.writeString(writerSchema, out);
            AvroSerializerSnapshot<UserHistory> snapshot = new AvroSerializerSnapshot<>();
            snapshot.readSnapshot(
                    snapshot.getCurrentVersion(),
                    new DataInputDeserializer(out.getCopyOfBuffer()),
                    getClass().getClassLoader());
            return snapshot;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public UserHistory deserialize(DataInputView source) {
        throw new UnsupportedOperationException("writes only");
    }

    @Override
    public UserHistory deserialize(UserHistory reuse, DataInputView source) {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) {
        throw new UnsupportedOperationException("writes only");
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<UserHistory> duplicate() {
        return new OlderUserHistorySerializer(new Schema.Parser().parse(writerSchema));
    }

    @Override
    public UserHistory createInstance() {
        return new UserHistory();
    }

    @Override
    public UserHistory copy(UserHistory from) {
        return UserHistory.newBuilder(from).build();
    }

    @Override
    public UserHistory copy(UserHistory from, UserHistory reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OlderUserHistorySerializer other
                && other.writerSchema.equals(writerSchema);
    }

    @Override
    public int hashCode() {
        return writerSchema.hashCode();
    }
}
