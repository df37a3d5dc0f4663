package io.streamctr.cli.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.Main;
import io.streamctr.cli.replay.Replayer;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.schemas.ClickEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * An OptFusion job searches, freezes, is stopped with a savepoint; the command draws what it found.
 */
class ArchitectureCommandITCase {

    private static final int EVENTS = 2_000;

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void writesTheFrozenArchitectureFromASavepoint(@TempDir Path dir) throws Exception {
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        String bootstrap = KAFKA.bootstrapServers();
        KAFKA.createTopics(
                List.of("ctr.events", "ctr.predictions", "ctr.metrics", "ctr.deadletter"), 1);
        Replayer.builder().bootstrapServers(bootstrap).topic("ctr.events").build().replay(events);
        Configuration conf =
                LocalFlink.configuration(dir.resolve("checkpoints"), Duration.ofSeconds(1));
        conf.set(JobOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(JobOptions.MODELS, List.of("optfusion-soft-tiny"));
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.BATCH_SIZE, 64);
        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        StreamCtrPipeline.build(env, conf);
        JobClient job = env.executeAsync("architecture-itcase");
        awaitCommitted(bootstrap, "ctr.predictions", EVENTS);
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code =
                cli.execute(
                        "architecture",
                        "--checkpoint",
                        savepoint,
                        "--model",
                        "optfusion-soft-tiny",
                        "--output",
                        dir.resolve("arch").toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("architecture frozen").contains("stage RETRAIN");
        String json = Files.readString(dir.resolve("arch/optfusion-soft-tiny-architecture.json"));
        assertThat(json)
                .startsWith("{\"variant\":\"soft\"")
                .contains("\"edges\"")
                .contains("\"kept\"");
        assertThat(Files.readString(dir.resolve("arch/optfusion-soft-tiny-architecture.dot")))
                .startsWith("digraph");
        // the default formats are json,dot,svg: the picture is there without Graphviz
        assertThat(Files.readString(dir.resolve("arch/optfusion-soft-tiny-architecture.svg")))
                .startsWith("<svg")
                .contains("class=\"node\" data-block=\"O\"");
        assertThat(dir.resolve("arch/optfusion-soft-tiny-architecture.png")).doesNotExist();
    }

    @Test
    void saysWhenTheCheckpointCannotBeRead(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("architecture", "--checkpoint", dir.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read learner 'optfusion-soft'");
    }

    private static void awaitCommitted(String bootstrap, String topic, long count)
            throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            TopicPartition p = new TopicPartition(topic, 0);
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                // committed records end before the last stable offset: count them by reading
                consumer.assign(List.of(p));
                consumer.seekToBeginning(List.of(p));
                long n = 0;
                for (int polls = 0; polls < 20; polls++) {
                    n += consumer.poll(Duration.ofMillis(100)).count();
                }
                if (n >= count) {
                    return;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("timed out waiting for " + count + " predictions");
    }
}
