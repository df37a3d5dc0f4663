package io.streamctr.cli.job;

import io.streamctr.cli.KafkaReachability;
import io.streamctr.cli.UsageException;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.JobOptionsValidator;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.model.runtime.DjlRuntime;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The streamctr job on a Flink MiniCluster in this JVM against any Kafka broker: the program
 * arguments of {@code flink run} ({@code --key value}, parsed and checked as {@code StreamCtrJob}
 * does), on top of the embedded defaults of {@link LocalFlink} (RocksDB, checkpoints every {@value
 * #DEFAULT_INTERVAL} to {@value #DEFAULT_CHECKPOINT_DIR}, which Flink's own keys override). Runs
 * until the bounded source ends ({@code --kafka.bounded true}) or Ctrl-C cancels the job; the way
 * to try streamctr on one's own Kafka before deploying (docs/commands.md).
 */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = {
            "Run the streamctr job on a local Flink MiniCluster against any Kafka broker.",
            "Arguments: those of `flink run streamctr-job.jar` (docs/options.md), e.g.",
            "  --kafka.bootstrap-servers host:9092 --ctr.models dnn,ftrl --kafka.bounded true",
            "Flink's own keys pass through, e.g. --execution.checkpointing.interval 30s",
            "(default 10s), --execution.checkpointing.dir file:///tmp/ckpt (default",
            "streamctr-job/checkpoints). Runs until Ctrl-C, or to the end offsets with",
            "--kafka.bounded true."
        })
public final class JobCommand implements Callable<Integer> {

    /** Where the checkpoints go unless {@code --execution.checkpointing.dir} says otherwise. */
    static final String DEFAULT_CHECKPOINT_DIR = "streamctr-job/checkpoints";

    /** The checkpoint interval unless {@code --execution.checkpointing.interval} says otherwise. */
    static final String DEFAULT_INTERVAL = "10s";

    /** ParameterTool's value of a key given without one (its constant is protected). */
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    /** The exit code after Ctrl-C (128 + SIGINT), as a shell reports it. */
    private static final int CANCELLED = 130;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(60);

    @Spec CommandSpec spec;

    @Unmatched List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Configuration conf = configuration(arguments);
        try {
            JobOptionsValidator.validate(conf);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        String servers = conf.get(JobOptions.BOOTSTRAP_SERVERS);
        KafkaReachability.require(servers, clientProperties(conf), CONNECT_TIMEOUT);
        DjlRuntime.configure();
        List<String> models = StreamCtrPipeline.models(conf);
        boolean bounded = conf.get(JobOptions.BOUNDED);
        out.printf(
                "streamctr job: models %s on a local Flink MiniCluster, reading %s at %s (%s)%n",
                String.join(",", models),
                conf.get(JobOptions.EVENTS_TOPIC),
                servers,
                bounded ? "bounded: stops at the end offsets" : "unbounded: Ctrl-C to stop");
        out.printf(
                "output: predictions on %s, metrics on %s, dead letters on %s (visible at each"
                        + " checkpoint)%n",
                conf.get(JobOptions.PREDICTIONS_TOPIC),
                conf.get(JobOptions.METRICS_TOPIC),
                conf.get(JobOptions.DEAD_LETTER_TOPIC));
        out.printf(
                "checkpoints: %s every %s%n",
                conf.getString("execution.checkpointing.dir", ""),
                conf.getString("execution.checkpointing.interval", ""));
        out.printf(
                "read them: ./streamctr tail --topic %s --bootstrap-servers %s%n",
                conf.get(JobOptions.PREDICTIONS_TOPIC), servers);
        out.flush();

        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        StreamCtrPipeline.build(env, conf);
        long started = System.nanoTime();
        JobClient job = env.executeAsync("streamctr " + String.join(",", models));
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread cancel =
                new Thread(
                        () -> {
                            cancelled.set(true);
                            cancel(job, out);
                        },
                        "streamctr-job-cancel");
        Runtime.getRuntime().addShutdownHook(cancel);
        try {
            job.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            if (cancelled.get()) {
                // Ctrl-C: the hook reports it; the JVM is exiting
                return CANCELLED;
            }
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cancel);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook cancels the job and waits for it
            }
        }
        out.printf("job finished: %.1f s%n", (System.nanoTime() - started) / 1e9);
        out.flush();
        return 0;
    }

    /**
     * The job's configuration: {@link LocalFlink}'s defaults, then the program arguments as {@code
     * StreamCtrJob} parses them ({@link ParameterTool#fromArgs}).
     */
    static Configuration configuration(List<String> args) {
        Map<String, String> given;
        try {
            given = ParameterTool.fromArgs(args.toArray(String[]::new)).toMap();
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "expected --key value arguments (those of flink run), got "
                            + String.join(" ", args));
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (NO_VALUE.equals(e.getValue())) {
                throw new UsageException("--" + e.getKey() + " needs a value");
            }
        }
        Configuration conf =
                LocalFlink.configuration(
                        Path.of(DEFAULT_CHECKPOINT_DIR).toAbsolutePath(),
                        org.apache.flink.util.TimeUtils.parseDuration(DEFAULT_INTERVAL));
        conf.setString("execution.checkpointing.interval", DEFAULT_INTERVAL);
        given.forEach(conf::setString);
        return conf;
    }

    /** The Kafka client properties the job passes on ({@code kafka.properties.*}), unprefixed. */
    private static Map<String, String> clientProperties(Configuration conf) {
        Map<String, String> properties = new LinkedHashMap<>();
        conf.toMap()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith(JobOptions.KAFKA_PROPERTIES_PREFIX)) {
                                properties.put(
                                        k.substring(JobOptions.KAFKA_PROPERTIES_PREFIX.length()),
                                        v);
                            }
                        });
        return properties;
    }

    /** Ctrl-C: cancels the job, which stops the MiniCluster, and waits for it to end. */
    private static void cancel(JobClient job, PrintWriter out) {
        try {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                return;
            }
            out.println("cancelling the job ...");
            out.flush();
            job.cancel().get(CANCEL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            job.getJobExecutionResult()
                    .exceptionally(t -> null)
                    .get(CANCEL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            out.println("job cancelled; the last checkpoint is in the checkpoint folder");
            out.flush();
        } catch (Exception e) {
            out.println("cancelling the job: " + e.getMessage());
            out.flush();
        }
    }
}
