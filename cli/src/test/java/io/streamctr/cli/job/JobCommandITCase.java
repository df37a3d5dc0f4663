package io.streamctr.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import io.streamctr.cli.replay.Replayer;
import io.streamctr.cli.tail.TopicDump;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.DatasetAdapters;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamctr job} against a broker of the test's: the job's arguments, bounded, local. */
class JobCommandITCase {

    private static final int EVENTS = 300;

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void runsTheJobToTheEndOffsetsAndWritesPredictions(@TempDir Path dir) throws Exception {
        String servers = KAFKA.bootstrapServers();
        KAFKA.createTopics(List.of("job.events", "job.predictions", "job.metrics", "job.dlq"), 1);
        List<ClickEvent> events =
                DatasetAdapters.read(
                        "movielens", BundledData.movieLensDir(), DatasetOptions.defaults(), EVENTS);
        assertThat(
                        Replayer.builder()
                                .bootstrapServers(servers)
                                .topic("job.events")
                                .build()
                                .replay(events)
                                .failed())
                .isZero();

        CliRun run =
                CliRun.of(
                        "job",
                        "--kafka.bootstrap-servers",
                        servers,
                        "--kafka.topic.events",
                        "job.events",
                        "--kafka.topic.predictions",
                        "job.predictions",
                        "--kafka.topic.metrics",
                        "job.metrics",
                        "--kafka.topic.dead-letter",
                        "job.dlq",
                        "--ctr.models",
                        "ftrl",
                        "--kafka.bounded",
                        "true",
                        "--execution.checkpointing.dir",
                        dir.resolve("checkpoints").toUri().toString(),
                        "--execution.checkpointing.interval",
                        "1s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("predictions on job.predictions")
                .contains(servers)
                .contains("job finished");
        Path predictions = dir.resolve("predictions.jsonl");
        long n = TopicDump.toJsonLines(servers, "job.predictions", predictions, r -> {});
        assertThat(n).isEqualTo(EVENTS);
        assertThat(Files.readAllLines(predictions)).allMatch(l -> l.contains("ftrl"));
    }

    @Test
    void anUnknownKeyIsAUsageErrorInOneLine() {
        CliRun run = CliRun.of("job", "--ctr.modles", "dnn", "--kafka.bounded", "true");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0))
                .contains("unknown option 'ctr.modles'")
                .contains("ctr.models");
    }

    @Test
    void aKeyWithoutAValueIsAUsageError() {
        CliRun run = CliRun.of("job", "--kafka.bounded");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("--kafka.bounded needs a value");
    }
}
