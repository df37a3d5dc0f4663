package io.streamctr.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import io.streamctr.datasets.BundledData;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code replay --delayed-clicks} into a real in-process broker, read back: impressions and clicks
 * on one topic keyed by user, each click after its impression in its partition.
 */
@Timeout(180)
class DelayedReplayITCase {

    private static final int EVENTS = 3_000;

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void theTopicHoldsImpressionsAndTheirLaterClicksInPartitionOrder() throws IOException {
        KAFKA.createTopic("ctr.delayed", 3);

        CliRun run =
                CliRun.of(
                        "replay",
                        "--path",
                        BundledData.movieLensDir().toString(),
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "ctr.delayed",
                        "--limit",
                        String.valueOf(EVENTS),
                        "--delayed-clicks",
                        "--click-delay-mean",
                        "2m",
                        "--attribution-window",
                        "10m",
                        "--late-click-share",
                        "0.1",
                        "--delay-seed",
                        "5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("sent 3,000 events (0 failed)");
        Map<String, Long> impressionTime = new HashMap<>();
        Set<String> clicked = new HashSet<>();
        long late = 0;
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG, "it-delayed",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("ctr.delayed"));
            long deadline = System.currentTimeMillis() + 60_000;
            while (read < EVENTS && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ClickEvent e = ClickEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
                    assertThat(new String(r.key(), StandardCharsets.UTF_8))
                            .isEqualTo(e.getUserId());
                    read++;
                    if (e.getKind() == EventKind.IMPRESSION) {
                        assertThat(e.getLabel()).isNull();
                        impressionTime.put(e.getEventId(), e.getEventTime());
                        continue;
                    }
                    assertThat(e.getKind()).isEqualTo(EventKind.CLICK);
                    // same key, same partition: the impression was read before its click
                    Long shown = impressionTime.get(e.getImpressionId());
                    assertThat(shown).as("impression of %s", e.getEventId()).isNotNull();
                    assertThat(clicked.add(e.getImpressionId())).isTrue();
                    if (e.getEventTime() - shown > 10 * 60_000) {
                        late++;
                    }
                }
            }
        }
        assertThat(read).isEqualTo(EVENTS);
        assertThat(impressionTime).isNotEmpty();
        assertThat(clicked).isNotEmpty();
        assertThat(impressionTime.size() + clicked.size()).isEqualTo(EVENTS);
        assertThat(late).isPositive().isLessThan(clicked.size() / 4);
        assertThat(run.out()).contains("delayed clicks: ");
    }
}
