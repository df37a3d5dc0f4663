package io.streamctr.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.schemas.ClickEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeSortedStreamTest {

    @TempDir Path tmp;

    @Test
    void externalMergeSortEqualsAStableInMemorySortAndCleansUp() throws IOException {
        Random random = new Random(3);
        List<ClickEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ClickEvent e =
                    Events.create(
                            "e" + i,
                            "u" + random.nextInt(20),
                            "i" + i,
                            random.nextInt(50),
                            i % 2,
                            null);
            e.getMultiValued().put("genres", List.of("a", "b"));
            events.add(e);
        }
        List<ClickEvent> expected = new ArrayList<>(events);
        expected.sort(Comparator.comparingLong(ClickEvent::getEventTime)); // stable

        List<ClickEvent> sorted = new ArrayList<>();
        try (TimeSortedStream stream = TimeSortedStream.sort(EventStream.of(events), 64, tmp)) {
            assertThat(stream.chunkFiles()).isEqualTo(16);
            assertThat(stream.expectedTotal()).isEqualTo(1_000);
            assertThat(stream.totalIsExact()).isTrue();
            stream.forEachRemaining(sorted::add);
        }

        assertThat(sorted).isEqualTo(expected);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aSourceThatFitsInOneChunkIsSortedInMemory() {
        List<ClickEvent> events =
                List.of(
                        Events.create("b", "u", "i", 2, 1, null),
                        Events.create("a", "u", "i", 1, 0, null));

        try (TimeSortedStream stream = TimeSortedStream.sort(EventStream.of(events), 10, tmp)) {
            assertThat(stream.chunkFiles()).isZero();
            assertThat(stream.next().getEventId()).isEqualTo("a");
            assertThat(stream.next().getEventId()).isEqualTo("b");
            assertThat(stream.hasNext()).isFalse();
        }
    }
}
