package io.streamctr.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer.PartitionOffsetsRetriever;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Each {@link StartingOffsets} value gives the Kafka source the initializer it names. */
class StartingOffsetsTest {

    private static final TopicPartition PARTITION = new TopicPartition("ctr.events", 0);

    @Test
    void earliestStartsAtEachPartitionsFirstOffset() {
        OffsetsInitializer initializer = StartingOffsets.EARLIEST.initializer();

        assertThat(initializer.getPartitionOffsets(List.of(PARTITION), new Offsets()))
                .containsExactly(Map.entry(PARTITION, KafkaPartitionSplit.EARLIEST_OFFSET));
        assertThat(initializer.getAutoOffsetResetStrategy())
                .isEqualTo(OffsetResetStrategy.EARLIEST);
    }

    @Test
    void latestStartsAtEachPartitionsEnd() {
        OffsetsInitializer initializer = StartingOffsets.LATEST.initializer();

        assertThat(initializer.getPartitionOffsets(List.of(PARTITION), new Offsets()))
                .containsExactly(Map.entry(PARTITION, Offsets.END));
        assertThat(initializer.getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.LATEST);
    }

    @Test
    void committedStartsAtTheGroupsOffsetsElseEarliest() {
        OffsetsInitializer initializer = StartingOffsets.COMMITTED.initializer();

        assertThat(initializer.getPartitionOffsets(List.of(PARTITION), new Offsets()))
                .containsExactly(Map.entry(PARTITION, KafkaPartitionSplit.COMMITTED_OFFSET));
        assertThat(initializer.getAutoOffsetResetStrategy())
                .isEqualTo(OffsetResetStrategy.EARLIEST);
    }

    @Test
    void printsAsUsersWriteIt() {
        assertThat(List.of(StartingOffsets.values()))
                .map(StartingOffsets::toString)
                .containsExactly("earliest", "latest", "committed");
    }

    /** A broker's offsets: every partition begins at 10, ends at 42 and has 7 committed. */
    private static final class Offsets implements PartitionOffsetsRetriever {
        static final long END = 42;

        @Override
        public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions) {
            return each(partitions, 7L);
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
            return each(partitions, END);
        }

        @Override
        public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
            return each(partitions, 10L);
        }

        @Override
        public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
                Map<TopicPartition, Long> timestampsToSearch) {
            throw new UnsupportedOperationException("not asked by these initializers");
        }

        private static Map<TopicPartition, Long> each(
                Collection<TopicPartition> partitions, long offset) {
            return partitions.stream().collect(Collectors.toMap(Function.identity(), p -> offset));
        }
    }
}
