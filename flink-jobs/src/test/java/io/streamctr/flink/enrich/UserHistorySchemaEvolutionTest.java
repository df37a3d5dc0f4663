package io.streamctr.flink.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.flink.TestExamples;
import io.streamctr.model.enrich.UserHistories;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.StateMigrationException;
import org.junit.jupiter.api.Test;

/**
 * State schema evolution of the enricher: keyed state written by an earlier build whose {@code
 * UserHistory} schema lacked {@code lastEventTime} (a field added later, with a default) restores
 * into the current enricher on RocksDB, by Avro schema resolution from the writer schema kept in
 * the serializer snapshot; an incompatible older schema is refused at restore.
 */
class UserHistorySchemaEvolutionTest {

    private static final int MAX_LENGTH = 5;
    private static final Duration TTL = Duration.ofDays(1);

    /**
     * Writes each user's history through the older serializer, as the earlier build's enricher did
     * (the histories are kept on the side too, as the older serializer only writes).
     */
    private static final class OlderEnricher
            extends KeyedProcessFunction<String, ClickEvent, Void> {
        private final String writerSchema;
        private final Map<String, UserHistory> written = new HashMap<>();
        private transient ValueState<UserHistory> history;

        OlderEnricher(Schema writerSchema) {
            this.writerSchema = writerSchema.toString();
        }

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<UserHistory> descriptor =
                    new ValueStateDescriptor<>(
                            SequenceEnricher.STATE_NAME,
                            new OlderUserHistorySerializer(
                                    new Schema.Parser().parse(writerSchema)));
            descriptor.enableTimeToLive(SequenceEnricher.ttlConfig(TTL));
            history = getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(ClickEvent event, Context ctx, Collector<Void> out)
                throws Exception {
            UserHistory after =
                    UserHistories.append(
                            written.getOrDefault(event.getUserId(), UserHistories.empty()),
                            event,
                            "genres",
                            MAX_LENGTH);
            written.put(event.getUserId(), after);
            history.update(after);
        }
    }

    /**
     * The current UserHistory schema cut to its first {@code fields} fields (an older schema the
     * class can still write).
     */
    private static Schema olderSchema(int fields) {
        List<Schema.Field> kept = new ArrayList<>();
        for (Schema.Field f : UserHistory.getClassSchema().getFields().subList(0, fields)) {
            kept.add(new Schema.Field(f, f.schema()));
        }
        Schema current = UserHistory.getClassSchema();
        return Schema.createRecord(
                current.getName(), current.getDoc(), current.getNamespace(), false, kept);
    }

    private static OperatorSubtaskState writeWithOlderSchema(Schema schema, List<ClickEvent> events)
            throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new OlderEnricher(schema)),
                        ClickEvent::getUserId,
                        Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            for (ClickEvent e : events) {
                h.processElement(new StreamRecord<>(e));
            }
            return h.snapshot(1L, 1L);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> enricher()
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SequenceEnricher("genres", MAX_LENGTH, TTL)),
                        ClickEvent::getUserId,
                        Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** One later event per user; returns the examples by user. */
    private static Map<String, Example> onePerUser(
            KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Example> h,
            List<String> users,
            long time,
            String suffix)
            throws Exception {
        h.getOutput().clear();
        for (String user : users) {
            h.processElement(
                    new StreamRecord<>(
                            ClickEvent.newBuilder(TestExamples.events(1, 0).get(0))
                                    .setEventId(user + suffix)
                                    .setUserId(user)
                                    .setItemId("later")
                                    .setEventTime(time)
                                    .setLabel(1)
                                    .build()));
        }
        Map<String, Example> out = new HashMap<>();
        for (Object o : h.getOutput()) {
            Example x = (Example) ((StreamRecord<?>) o).getValue();
            out.put(x.getEvent().getUserId(), x);
        }
        return out;
    }

    @Test
    void restoresHistoriesWrittenWithAnOlderSchemaIntoTheCurrentOne() throws Exception {
        List<ClickEvent> events = TestExamples.events(300, 7);
        Map<String, UserHistory> expected = new LinkedHashMap<>();
        for (ClickEvent e : events) {
            expected.put(
                    e.getUserId(),
                    UserHistories.append(
                            expected.getOrDefault(e.getUserId(), UserHistories.empty()),
                            e,
                            "genres",
                            MAX_LENGTH));
        }
        List<String> users = new ArrayList<>(expected.keySet());
        OperatorSubtaskState older =
                writeWithOlderSchema(olderSchema(2), events); // without lastEventTime

        OperatorSubtaskState migrated;
        try (var h = enricher()) {
            h.initializeState(older);
            h.open();
            Map<String, Example> out = onePerUser(h, users, 1_000_000L, "-a");
            assertThat(out).hasSize(users.size());
            for (String user : users) {
                UserHistory restored = out.get(user).getHistory();
                UserHistory written = expected.get(user);
                assertThat(restored.getClicked())
                        .as("clicked sequence of %s", user)
                        .isEqualTo(written.getClicked());
                assertThat(restored.getNonClicked())
                        .as("non-clicked sequence of %s", user)
                        .isEqualTo(written.getNonClicked());
                assertThat(
                                written.getClicked().getItems().size()
                                        + written.getNonClicked().getItems().size())
                        .isPositive();
                assertThat(restored.getLastEventTime())
                        .as("the added field takes its default")
                        .isZero();
            }
            migrated = h.snapshot(2L, 2L);
        }

        try (var h = enricher()) { // the migrated state is now written with the current schema
            h.initializeState(migrated);
            h.open();
            Map<String, Example> out = onePerUser(h, users, 2_000_000L, "-b");
            for (String user : users) {
                UserHistory history = out.get(user).getHistory();
                assertThat(history.getLastEventTime()).isEqualTo(1_000_000L);
                List<Integer> clicked = history.getClicked().getItems();
                assertThat(clicked.get(clicked.size() - 1))
                        .as("the event after the restore was appended")
                        .isEqualTo(StableHash.hash("later"));
            }
        }
    }

    @Test
    void refusesAnOlderSchemaThatCannotBeResolved() throws Exception {
        // without nonClicked, which the current schema requires (no default)
        OperatorSubtaskState older =
                writeWithOlderSchema(olderSchema(1), TestExamples.events(50, 7));
        try (var h = enricher()) {
            assertThatThrownBy(
                            () -> {
                                h.initializeState(older);
                                h.open();
                            })
                    .hasRootCauseInstanceOf(StateMigrationException.class)
                    .rootCause()
                    .hasMessageContaining("must not be incompatible");
        }
    }
}
