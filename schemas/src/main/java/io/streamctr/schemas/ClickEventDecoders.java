package io.streamctr.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;

/**
 * Decoders of Avro single-object-encoded {@link ClickEvent}s that also read the events written with
 * the earlier ClickEvent schemas (issue 16 added {@code kind} and {@code impressionId}, which
 * changed the schema's fingerprint): each earlier writer schema is kept as a resource under {@code
 * avro/} and registered with the decoder, which resolves it to the current schema (the new fields
 * take their defaults, so an old event reads as a {@link EventKind#LABELLED} one).
 */
public final class ClickEventDecoders {

    /** The earlier ClickEvent writer schemas, oldest first, as resources of this module. */
    public static final List<String> EARLIER_SCHEMAS = List.of("/avro/ClickEvent-v1.avsc");

    private ClickEventDecoders() {}

    /** A new decoder of the current ClickEvent schema and every earlier one. Not thread-safe. */
    public static BinaryMessageDecoder<ClickEvent> create() {
        BinaryMessageDecoder<ClickEvent> decoder =
                new BinaryMessageDecoder<>(SpecificData.get(), ClickEvent.getClassSchema());
        for (Schema schema : earlierSchemas()) {
            decoder.addSchema(schema);
        }
        return decoder;
    }

    /** The earlier writer schemas, parsed, oldest first. */
    public static List<Schema> earlierSchemas() {
        return EARLIER_SCHEMAS.stream().map(ClickEventDecoders::read).toList();
    }

    private static Schema read(String resource) {
        try (InputStream in = ClickEventDecoders.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }
}
