package io.streamctr.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.ClickEventDecoders;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Prediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ClickEventDeserializerTest {

    private static final byte[] KEY = "u1".getBytes(StandardCharsets.UTF_8);
    private final ClickEventDeserializer deserializer = new ClickEventDeserializer();

    private static ClickEvent.Builder valid() {
        return ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId("u1")
                .setItemId("i1")
                .setEventTime(1_000L)
                .setLabel(1)
                .setNumeric(Map.of("price", 1.5f))
                .setMultiValued(Map.of("genres", List.of("Comedy")));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static byte[] encode(ClickEvent e) throws Exception {
        return bytes(e.toByteBuffer());
    }

    private DecodedRecord decode(byte[] key, byte[] value) {
        return deserializer.decode("ctr.events", 3, 77, key, value);
    }

    private String reasonFor(byte[] key, byte[] value) {
        DecodedRecord r = decode(key, value);
        assertThat(r.getEvent()).as("expected a dead letter").isNull();
        DeadLetter d = r.getDeadLetter();
        assertThat(d.getTopic()).isEqualTo("ctr.events");
        assertThat(d.getPartition()).isEqualTo(3);
        assertThat(d.getOffset()).isEqualTo(77);
        return d.getReason();
    }

    private String reasonFor(ClickEvent e) throws Exception {
        return reasonFor(KEY, encode(e));
    }

    @Test
    void decodesAValidEvent() throws Exception {
        DecodedRecord r = decode(KEY, encode(valid().build()));
        assertThat(r.getDeadLetter()).isNull();
        assertThat(r.getEvent()).isEqualTo(valid().build());
    }

    @Test
    void decodesAnEventWrittenWithTheSchemaBeforeKindsAsLabelled() throws Exception {
        Schema v1 = ClickEventDecoders.earlierSchemas().get(0);
        GenericRecord old = new GenericData.Record(v1);
        old.put("eventId", "e1");
        old.put("userId", "u1");
        old.put("itemId", "i1");
        old.put("eventTime", 1_000L);
        old.put("label", 1);
        old.put("numeric", Map.of("price", 1.5f));
        old.put("categorical", Map.of());
        old.put("multiValued", Map.of("genres", List.of("Comedy")));
        byte[] bytes =
                bytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old));

        DecodedRecord r = decode(KEY, bytes);

        assertThat(r.getDeadLetter()).isNull();
        assertThat(r.getEvent()).isEqualTo(valid().build());
        assertThat(r.getEvent().getKind()).isEqualTo(EventKind.LABELLED);
    }

    @Test
    void checksTheKindsOfDelayedLabels() throws Exception {
        ClickEvent impression = valid().setLabel(null).setKind(EventKind.IMPRESSION).build();
        ClickEvent click =
                valid().setLabel(null).setKind(EventKind.CLICK).setImpressionId("i9").build();
        assertThat(decode(KEY, encode(impression)).getEvent()).isEqualTo(impression);
        assertThat(decode(KEY, encode(click)).getEvent()).isEqualTo(click);

        assertThat(reasonFor(valid().setKind(EventKind.IMPRESSION).build()))
                .startsWith("an IMPRESSION has no label");
        assertThat(reasonFor(valid().setKind(EventKind.CLICK).setImpressionId("i9").build()))
                .startsWith("a CLICK carries no label");
        assertThat(reasonFor(valid().setLabel(null).setKind(EventKind.CLICK).build()))
                .isEqualTo("missing impression id of the CLICK");
    }

    @Test
    void acceptsUnicodeIds() throws Exception {
        ClickEvent e = valid().setUserId("ユーザー-ü").setItemId("映画🎬").build();
        assertThat(decode(KEY, encode(e)).getEvent()).isEqualTo(e);
    }

    @Test
    void sendsEveryKindOfBadRecordToTheDeadLetters() throws Exception {
        byte[] good = encode(valid().build());
        assertThat(reasonFor(KEY, new byte[0])).isEqualTo("empty value");
        assertThat(reasonFor(KEY, null)).isEqualTo("empty value");
        assertThat(reasonFor(null, good)).startsWith("missing key");
        assertThat(reasonFor(KEY, Arrays.copyOf(good, good.length - 3)))
                .startsWith("undecodable ClickEvent");
        assertThat(reasonFor(KEY, Arrays.copyOf(good, 6)))
                .startsWith("not Avro single-object encoding: Not enough header bytes");
        assertThat(reasonFor(KEY, "{\"json\": true}".getBytes(StandardCharsets.UTF_8)))
                .startsWith("not Avro single-object encoding");
        Prediction p =
                Prediction.newBuilder()
                        .setEventId("e")
                        .setUserId("u")
                        .setItemId("i")
                        .setModelName("m")
                        .setModelVersion(1)
                        .setScore(0.1f)
                        .setEventTime(1L)
                        .setProcessingTime(1L)
                        .build();
        assertThat(reasonFor(KEY, bytes(p.toByteBuffer())))
                .startsWith("schema fingerprint is not ClickEvent's");
        byte[] unknownFingerprint = good.clone();
        unknownFingerprint[5] ^= 0x5A;
        assertThat(reasonFor(KEY, unknownFingerprint))
                .startsWith("schema fingerprint is not ClickEvent's");

        assertThat(reasonFor(valid().setUserId("").build())).isEqualTo("missing user id");
        assertThat(reasonFor(valid().setUserId("   ").build())).isEqualTo("missing user id");
        assertThat(reasonFor(valid().setItemId("").build())).isEqualTo("missing item id");
        assertThat(reasonFor(valid().setEventId("").build())).isEqualTo("missing event id");
        assertThat(reasonFor(valid().setUserId("bad\u0000id").build()))
                .contains("control character U+0000");
        assertThat(reasonFor(valid().setItemId("tab\tid").build()))
                .contains("control character U+0009");
        assertThat(reasonFor(valid().setNumeric(Map.of("price", Float.NaN)).build()))
                .contains("not finite");
        assertThat(reasonFor(valid().setNumeric(Map.of("price", Float.POSITIVE_INFINITY)).build()))
                .contains("not finite");
        assertThat(reasonFor(valid().setNumeric(Map.of("price", Float.NEGATIVE_INFINITY)).build()))
                .contains("not finite");
        assertThat(reasonFor(valid().setEventTime(-1L).build())).startsWith("negative event time");
        assertThat(
                        reasonFor(
                                valid().setEventTime(
                                                System.currentTimeMillis() + 30L * 24 * 3600 * 1000)
                                        .build()))
                .contains("ahead of the wall clock");
        assertThat(reasonFor(valid().setLabel(2).build())).isEqualTo("label 2 is not 0 or 1");
        assertThat(reasonFor(valid().setLabel(-1).build())).isEqualTo("label -1 is not 0 or 1");
        List<String> million = Collections.nCopies(1_000_000, "g");
        assertThat(reasonFor(valid().setMultiValued(Map.of("genres", million)).build()))
                .contains("larger than the limit");
        List<String> many =
                Collections.nCopies(20_000, "g"); // small enough in bytes, too many values
        assertThat(reasonFor(valid().setMultiValued(Map.of("genres", many)).build()))
                .contains("20000 values");
    }

    @Test
    void aTenMegabyteRecordBecomesATruncatedDeadLetter() {
        byte[] huge = new byte[10 * 1024 * 1024];
        DeadLetter d = decode(KEY, huge).getDeadLetter();
        assertThat(d.getReason())
                .contains("larger than the limit")
                .contains("truncated from 10485760 bytes");
        assertThat(d.getValue().remaining()).isEqualTo(DeadLetters.MAX_RAW_BYTES);
    }

    @Test
    void randomBytesNeverThrow() throws Exception {
        Random random = new Random(2026);
        byte[] header =
                Arrays.copyOf(encode(valid().build()), 10); // C3 01 + ClickEvent's fingerprint
        List<DecodedRecord> results = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] value = new byte[random.nextInt(200)];
            random.nextBytes(value);
            if (i % 2 == 0 && value.length >= header.length) {
                System.arraycopy(
                        header, 0, value, 0, header.length); // get past the header into the decoder
            }
            DecodedRecord r = decode(random.nextInt(10) == 0 ? null : KEY, value);
            assertThat(r.getEvent() == null).isNotEqualTo(r.getDeadLetter() == null);
            results.add(r);
        }
        assertThat(results)
                .anyMatch(
                        r ->
                                r.getDeadLetter() != null
                                        && r.getDeadLetter().getReason().startsWith("undecodable"));
    }

    /**
     * Property: valid records with random damage (bytes flipped, cut, inserted or repeated),
     * through the method the Kafka source calls, give exactly one output each and never throw;
     * whatever still decodes to an event passes validation.
     */
    @Test
    void damagedValidRecordsNeverThrowOutOfTheSource() throws Exception {
        Random random = new Random(7);
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            valid.add(
                    encode(
                            valid().setEventId("e" + i)
                                    .setUserId("u" + random.nextInt(1000))
                                    .setLabel(random.nextInt(2))
                                    .setCategorical(Map.of("city", "c" + i))
                                    .setNumeric(Map.of("price", random.nextFloat(), "age", i * 1f))
                                    .setMultiValued(
                                            Map.of(
                                                    "genres",
                                                    Collections.nCopies(
                                                            random.nextInt(5), "g" + i)))
                                    .build()));
        }
        int events = 0;
        int deadLetters = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] value = damage(valid.get(random.nextInt(valid.size())), random);
            List<DecodedRecord> out = new ArrayList<>();
            deserializer.deserialize(
                    new ConsumerRecord<>("ctr.events", 0, i, KEY, value), new ListCollector<>(out));
            assertThat(out).hasSize(1);
            DecodedRecord r = out.get(0);
            assertThat(r.getEvent() == null).isNotEqualTo(r.getDeadLetter() == null);
            if (r.getEvent() != null) {
                assertThat(ClickEventValidator.problem(r.getEvent())).isNull();
                events++;
            } else {
                assertThat(r.getDeadLetter().getReason()).isNotBlank();
                deadLetters++;
            }
        }
        assertThat(deadLetters).as("most damage is caught").isGreaterThan(10_000);
        assertThat(events + deadLetters).isEqualTo(20_000);
    }

    private static byte[] damage(byte[] original, Random random) {
        byte[] b = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> { // flip a few bits, mostly past the header
                for (int k = 0; k <= random.nextInt(4); k++) {
                    int at =
                            random.nextInt(10) == 0
                                    ? random.nextInt(b.length)
                                    : 10 + random.nextInt(b.length - 10);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            case 2 -> { // random bytes inserted
                int at = 10 + random.nextInt(b.length - 10);
                byte[] noise = new byte[1 + random.nextInt(16)];
                random.nextBytes(noise);
                byte[] out = new byte[b.length + noise.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(noise, 0, out, at, noise.length);
                System.arraycopy(b, at, out, at + noise.length, b.length - at);
                return out;
            }
            default -> { // a slice repeated
                int from = 10 + random.nextInt(b.length - 10);
                int len = 1 + random.nextInt(b.length - from);
                byte[] out = Arrays.copyOf(b, b.length + len);
                System.arraycopy(b, from, out, b.length, len);
                return out;
            }
        }
    }
}
