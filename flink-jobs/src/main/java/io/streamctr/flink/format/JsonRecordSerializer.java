package io.streamctr.flink.format;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Writes each record as one UTF-8 JSON object with the {@code .avsc} field names. */
public final class JsonRecordSerializer<T extends SpecificRecordBase>
        implements SerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(T element) {
        return AvroJson.toBytes(element);
    }
}
