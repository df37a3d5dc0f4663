package io.streamctr.flink.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.model.enrich.CompactHistory;
import io.streamctr.model.enrich.UserHistories;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The enricher's lazy state migration (issue 18): histories written in the older format (an Avro
 * {@code UserHistory} under {@link SequenceEnricher#STATE_NAME}, as every enricher before the
 * compact state wrote them) restore on RocksDB; a user's next event sees the same sequences and
 * moves the user to the compact state, emptying the older one; users not seen stay where they were.
 */
class LazyHistoryMigrationTest {

    private static final int MAX_LENGTH = 5;
    private static final Duration TTL = Duration.ofDays(1);

    private static ValueStateDescriptor<UserHistory> olderDescriptor() {
        ValueStateDescriptor<UserHistory> d =
                new ValueStateDescriptor<>(
                        SequenceEnricher.STATE_NAME, new AvroTypeInfo<>(UserHistory.class));
        d.enableTimeToLive(SequenceEnricher.ttlConfig(TTL));
        return d;
    }

    private static ValueStateDescriptor<CompactHistory> compactDescriptor() {
        ValueStateDescriptor<CompactHistory> d =
                new ValueStateDescriptor<>(
                        SequenceEnricher.COMPACT_STATE_NAME, CompactHistorySerializer.INSTANCE);
        d.enableTimeToLive(SequenceEnricher.ttlConfig(TTL));
        return d;
    }

    /** The enricher's state as it was written before the compact state. */
    private static final class OlderFormatWriter
            extends KeyedProcessFunction<String, ClickEvent, Void> {
        private transient ValueState<UserHistory> history;

        @Override
        public void open(OpenContext openContext) {
            history = getRuntimeContext().getState(olderDescriptor());
        }

        @Override
        public void processElement(ClickEvent event, Context ctx, Collector<Void> out)
                throws Exception {
            UserHistory before = history.value();
            history.update(
                    UserHistories.append(
                            before == null ? UserHistories.empty() : before,
                            event,
                            "genres",
                            MAX_LENGTH));
        }
    }

    /** Reads both states of the user named by the element: user, older value, compact value. */
    private static final class Probe extends KeyedProcessFunction<String, String, String[]> {
        private transient ValueState<UserHistory> older;
        private transient ValueState<CompactHistory> compact;

        @Override
        public void open(OpenContext openContext) {
            older = getRuntimeContext().getState(olderDescriptor());
            compact = getRuntimeContext().getState(compactDescriptor());
        }

        @Override
        public void processElement(String user, Context ctx, Collector<String[]> out)
                throws Exception {
            CompactHistory c = compact.value();
            UserHistory o = older.value();
            out.collect(
                    new String[] {
                        user,
                        o == null ? null : o.toString(),
                        c == null ? null : c.toAvro().toString()
                    });
        }
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> harness(
            KeyedProcessFunction<String, I, O> f, KeySelector<I, String> key) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(f), key, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static ClickEvent later(String user, long time) {
        return ClickEvent.newBuilder(TestExamples.events(1, 0).get(0))
                .setEventId(user + "-later")
                .setUserId(user)
                .setItemId("later")
                .setEventTime(time)
                .setLabel(1)
                .build();
    }

    @Test
    void olderHistoriesRestoreAndMoveToTheCompactStateUserByUser() throws Exception {
        List<ClickEvent> events = TestExamples.events(300, 7); // users u0..u9
        Map<String, UserHistory> expected = new HashMap<>();
        OperatorSubtaskState older;
        try (var h = harness(new OlderFormatWriter(), ClickEvent::getUserId)) {
            h.open();
            for (ClickEvent e : events) {
                h.processElement(new StreamRecord<>(e));
                expected.merge(
                        e.getUserId(),
                        UserHistories.append(UserHistories.empty(), e, "genres", MAX_LENGTH),
                        (was, ignored) -> UserHistories.append(was, e, "genres", MAX_LENGTH));
            }
            older = h.snapshot(1L, 1L);
        }
        assertThat(expected).hasSize(10);

        List<String> seen = List.of("u0", "u1", "u2", "u3", "u4");
        OperatorSubtaskState migrated;
        try (KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> h =
                harness(new SequenceEnricher("genres", MAX_LENGTH, TTL), ClickEvent::getUserId)) {
            h.initializeState(older);
            h.open();
            for (String user : seen) {
                h.processElement(new StreamRecord<>(later(user, 1_000_000L)));
            }
            assertThat(h.extractOutputValues())
                    .extracting(Example::getHistory)
                    .as("each user's sequences as the older state held them")
                    .containsExactlyElementsOf(seen.stream().map(expected::get).toList());
            migrated = h.snapshot(2L, 2L);
        }

        try (KeyedOneInputStreamOperatorTestHarness<String, String, String[]> h =
                harness(new Probe(), u -> u)) {
            h.initializeState(migrated);
            h.open();
            for (String user : expected.keySet()) {
                h.processElement(new StreamRecord<>(user));
            }
            for (String[] row : h.extractOutputValues()) {
                String user = row[0];
                if (seen.contains(user)) {
                    assertThat(row[1]).as("older state of %s, migrated", user).isNull();
                    assertThat(row[2])
                            .as("compact state of %s", user)
                            .isEqualTo(
                                    UserHistories.append(
                                                    expected.get(user),
                                                    later(user, 1_000_000L),
                                                    "genres",
                                                    MAX_LENGTH)
                                            .toString());
                } else {
                    assertThat(row[1])
                            .as("older state of %s, not seen", user)
                            .isEqualTo(expected.get(user).toString());
                    assertThat(row[2]).as("compact state of %s, not seen", user).isNull();
                }
            }
            assertThat(h.extractOutputValues()).hasSize(10);
        }
    }

    @Test
    void theSerializerRoundTripsAHistory() throws Exception {
        CompactHistory h = CompactHistory.EMPTY;
        for (ClickEvent e : TestExamples.events(40, 3)) {
            h = h.appended(e, "genres", MAX_LENGTH);
        }
        var out = new DataOutputSerializer(64);
        CompactHistorySerializer.INSTANCE.serialize(h, out);
        CompactHistory back =
                CompactHistorySerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.toAvro()).isEqualTo(h.toAvro());
        assertThat(out.length()).isEqualTo(8 + 2 * (4 + MAX_LENGTH * 16));
    }
}
