package io.streamctr.flink.sink;

import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes Avro records in single-object encoding (marker C3 01, the schema's 8-byte CRC-64-AVRO
 * fingerprint, then the binary record), so any consumer can tell which schema wrote them.
 */
public final class AvroSingleObjectSerializer<T extends SpecificRecordBase> implements SerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient BinaryMessageEncoder<T> encoder;

    public AvroSingleObjectSerializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public byte[] serialize(T element) {
        if (encoder == null) {
            SpecificData data = SpecificData.getForClass(type);
            encoder = new BinaryMessageEncoder<>(data, data.getSchema(type));
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            encoder.encode(element, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
