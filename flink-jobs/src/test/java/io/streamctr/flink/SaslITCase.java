package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.source.KafkaAuthenticationFailedException;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a broker that requires SASL/PLAIN, the login given as {@code kafka.properties.*}:
 * with the right password it runs end to end (source and the three exactly-once sinks); with a
 * wrong one it fails, even under a restart strategy that would retry forever, with an error that
 * says authentication failed.
 */
class SaslITCase {

    private static final String USER = "streamctr";
    private static final String PASSWORD = "right-secret";
    private static final List<String> MODELS = List.of("lr");

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA =
            EmbeddedKafkaExtension.withSaslPlain(Map.of(USER, PASSWORD));

    private static Configuration configuration(Path checkpoints, Map<String, String> login) {
        Configuration conf =
                EmbeddedJobRun.configuration(
                        KAFKA.bootstrapServers(), checkpoints, Duration.ofSeconds(1), MODELS);
        login.forEach((k, v) -> conf.setString(JobOptions.KAFKA_PROPERTIES_PREFIX + k, v));
        return conf;
    }

    @Test
    void runsEndToEndWithTheRightLogin(@TempDir Path checkpoints) throws Exception {
        Map<String, String> login = EmbeddedKafka.saslPlainClientProperties(USER, PASSWORD);
        KAFKA.createTopic("ctr.events", 1);
        KAFKA.createTopics(EmbeddedJobRun.OUTPUT_TOPICS, 1);
        List<ClickEvent> events = TestExamples.events(300, 11);
        KafkaTestIO.produce(KAFKA.bootstrapServers(), login, "ctr.events", events);

        EmbeddedJobRun.execute(configuration(checkpoints, login), "sasl-itcase");

        List<Prediction> predictions =
                KafkaTestIO.readAll(
                        KAFKA.bootstrapServers(),
                        login,
                        "ctr.predictions",
                        Prediction.getDecoder());
        assertThat(predictions).hasSize(events.size());
        assertThat(predictions).allSatisfy(p -> assertThat(p.getScore()).isBetween(0f, 1f));
    }

    @Test
    void failsForGoodWithAnAuthenticationErrorOnAWrongPassword(@TempDir Path checkpoints)
            throws Exception {
        Configuration conf =
                configuration(checkpoints, EmbeddedKafka.saslPlainClientProperties(USER, "wrong"));
        // restarts without end: only the source's own verdict can stop the job
        conf.setString("restart-strategy.type", "exponential-delay");
        conf.setString("restart-strategy.exponential-delay.initial-backoff", "100 ms");
        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        StreamCtrPipeline.build(env, conf);
        long start = System.nanoTime();
        JobClient job = env.executeAsync("sasl-wrong-password-itcase");
        try {
            assertThatThrownBy(() -> job.getJobExecutionResult().get(90, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(
                            e ->
                                    assertThat(
                                                    ExceptionUtils.findThrowable(
                                                            e,
                                                            KafkaAuthenticationFailedException
                                                                    .class))
                                            .hasValueSatisfying(
                                                    cause ->
                                                            assertThat(cause.getMessage())
                                                                    .startsWith(
                                                                            "Kafka authentication"
                                                                                    + " failed at "
                                                                                    + KAFKA
                                                                                            .bootstrapServers())
                                                                    .contains(
                                                                            "Authentication"
                                                                                    + " failed")));
        } finally {
            if (!job.getJobExecutionResult().isDone()) {
                job.cancel().get();
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }
}
