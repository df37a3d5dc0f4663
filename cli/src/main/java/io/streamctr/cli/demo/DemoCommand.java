package io.streamctr.cli.demo;

import io.streamctr.cli.Choices;
import io.streamctr.cli.DatasetSelection;
import io.streamctr.cli.Inputs;
import io.streamctr.cli.UsageException;
import io.streamctr.cli.console.ConsoleProgress;
import io.streamctr.cli.replay.ReplaySummary;
import io.streamctr.cli.replay.Replayer;
import io.streamctr.cli.tail.TopicDump;
import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.JobOptionsValidator;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.MetricsReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The embedded default, end to end in one JVM: an in-process Kafka broker (KRaft), the bundled
 * MovieLens ratings (or any data set an adapter reads, {@link DatasetSelection}) replayed into it
 * in time order, the streamctr job on a Flink MiniCluster with RocksDB and exactly-once
 * checkpoints, training online to the end of the data; a live progress line from the metrics topic,
 * then the final table and where the predictions are.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole pipeline on the embedded default and print streaming AUC/NE.",
            "In-process Kafka, Flink MiniCluster with RocksDB, the bundled MovieLens"
                    + " ml-latest-small ratings",
            "(label = rating >= 4), online training; or any data set: --dataset, --path, --mapping,"
                    + " --option as in replay."
        })
public final class DemoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin DatasetSelection dataset;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "A MovieLens folder: the older name of --path with --dataset movielens.")
    Path data;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Replay only the first N events in time order (default: all).")
    Integer limit;

    @Option(
            names = "--models",
            split = ",",
            defaultValue = "dnn,ftrl",
            paramLabel = "NAME",
            description =
                    "Models trained side by side on the same events (ftrl: the per-event"
                            + " FTRL-Proximal baseline; NAME=MODEL names a learner, with its"
                            + " --set ctr.model.NAME.* options). Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(
            names = "--batch-size",
            description = "Mini-batch size. Default: the job's, ${DEFAULT-VALUE}.")
    int batchSize = JobOptions.BATCH_SIZE.defaultValue();

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "2s",
            paramLabel = "DURATION",
            description =
                    "Flink checkpoint interval (predictions and metrics become visible at each"
                            + " checkpoint). Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(
            names = "--output",
            defaultValue = "demo-output",
            paramLabel = "DIR",
            description =
                    "Where the predictions, metrics and checkpoints are written. Default:"
                            + " ${DEFAULT-VALUE}.")
    Path output;

    @Option(
            names = "--keep-running",
            description = "Keep the broker up after the run (for `streamctr tail`) until Ctrl-C.")
    boolean keepRunning;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Any job option (see the README's table), e.g. --set"
                            + " ctr.train.learning-rate=0.003; repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Duration interval = validate();
        Configuration conf =
                LocalFlink.configuration(output.resolve("checkpoints").toAbsolutePath(), interval);
        options.forEach((k, v) -> conf.setString(k, v));
        conf.set(JobOptions.MODELS, models);
        conf.set(JobOptions.BATCH_SIZE, batchSize);
        conf.set(JobOptions.DEVICE, device);
        conf.set(JobOptions.BOUNDED, true);
        try {
            // fail before the broker starts on a bad --set value
            JobOptionsValidator.validate(conf);
            if (JobOptions.format(conf) != RecordFormat.AVRO) {
                throw new IllegalArgumentException(
                        "kafka.format=json is not for the demo, whose replay, metrics table and"
                                + " dumps use Avro; try it with replay/tail --format json");
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--set: " + e.getMessage(), e);
        }
        DjlRuntime.configure();
        DatasetSelection.Read read = dataset.read(limit == null ? 0 : limit);
        List<ClickEvent> events = read.events();
        Files.createDirectories(output);

        out.printf(
                "streamctr demo: %,d %s events from %s (%s), models %s, device %s%n",
                events.size(),
                dataset.dataset(),
                read.path(),
                read.badLines(),
                String.join(",", models),
                DjlRuntime.resolveDevice(device));
        out.println("starting the in-process Kafka broker ...");
        out.flush();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, bootstrap);
            for (String topic :
                    List.of(
                            conf.get(JobOptions.EVENTS_TOPIC),
                            conf.get(JobOptions.PREDICTIONS_TOPIC),
                            conf.get(JobOptions.METRICS_TOPIC),
                            conf.get(JobOptions.DEAD_LETTER_TOPIC))) {
                kafka.createTopic(topic, 1);
            }
            out.printf(
                    "replaying into %s at %s ...%n", conf.get(JobOptions.EVENTS_TOPIC), bootstrap);
            out.flush();
            ReplaySummary replay =
                    Replayer.builder()
                            .bootstrapServers(bootstrap)
                            .topic(conf.get(JobOptions.EVENTS_TOPIC))
                            .progress(ConsoleProgress.forConsole(out))
                            .build()
                            .replay(events);
            out.println(replay.describe());
            if (replay.failed() > 0) {
                return 1;
            }

            out.println(
                    "running the job on a Flink MiniCluster (RocksDB state, checkpoints every "
                            + checkpointInterval
                            + ") ...");
            out.flush();
            StreamExecutionEnvironment env = LocalFlink.environment(conf);
            StreamCtrPipeline.build(env, conf);
            long jobStarted = System.nanoTime();
            JobClient job;
            try (MetricsFollower follower =
                    new MetricsFollower(
                            bootstrap,
                            conf.get(JobOptions.METRICS_TOPIC),
                            out,
                            System.console() != null,
                            events.size())) {
                follower.start();
                job = env.executeAsync("streamctr demo");
                job.getJobExecutionResult().get();
            }
            double jobSeconds = (System.nanoTime() - jobStarted) / 1e9;

            Path predictionsFile = output.resolve("predictions.jsonl");
            Path metricsFile = output.resolve("metrics.jsonl");
            long predictions =
                    TopicDump.toJsonLines(
                            bootstrap,
                            conf.get(JobOptions.PREDICTIONS_TOPIC),
                            predictionsFile,
                            r -> {});
            Map<String, MetricsReport> finals = new LinkedHashMap<>();
            TopicDump.toJsonLines(
                    bootstrap,
                    conf.get(JobOptions.METRICS_TOPIC),
                    metricsFile,
                    r -> {
                        if (r instanceof MetricsReport m && m.getFinalReport()) {
                            finals.put(m.getModelName(), m);
                        }
                    });
            long deadLetters =
                    TopicDump.toJsonLines(
                            bootstrap,
                            conf.get(JobOptions.DEAD_LETTER_TOPIC),
                            output.resolve("deadletter.jsonl"),
                            r -> {});

            out.println();
            out.print(ResultsTable.render(finals.values(), events.size()));
            out.println();
            out.printf(
                    "job: %.1f s (%,.0f events/s including start-up); whole demo: %.1f s; dead"
                            + " letters: %d%n",
                    jobSeconds,
                    events.size() / jobSeconds,
                    (System.nanoTime() - started) / 1e9,
                    deadLetters);
            out.printf(
                    "predictions: %,d records on topic %s, copied to %s%n",
                    predictions,
                    conf.get(JobOptions.PREDICTIONS_TOPIC),
                    predictionsFile.toAbsolutePath());
            out.printf("metrics reports: %s%n", metricsFile.toAbsolutePath());
            out.flush();
            if (finals.size() != models.size()) {
                out.println("demo: a model produced no final metrics report");
                return 1;
            }
            if (keepRunning) {
                out.printf(
                        "broker still running at %s; e.g. ./streamctr tail --predictions"
                            + " --bootstrap-servers %s --from-beginning --max 5%nCtrl-C to stop.%n",
                        bootstrap, bootstrap);
                out.flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
        }
        return 0;
    }

    /** Checks the options before anything starts; returns the checkpoint interval. */
    private Duration validate() {
        for (String m : models) {
            // NAME=MODEL names a learner (ctr.models): a frozen champion beside a challenger
            String model = m.contains("=") ? m.substring(m.indexOf('=') + 1).trim() : m;
            Choices.require("model", model, Learners.names(), "registered models");
        }
        if (data != null) {
            if (!"movielens".equals(dataset.dataset())) {
                throw new UsageException(
                        "--data is a MovieLens folder; with --dataset "
                                + dataset.dataset()
                                + " use --path");
            }
            Inputs.directory(
                    "--data", data, "a MovieLens folder (ratings.csv[.gz], movies.csv[.gz])");
            dataset.defaultPath(data);
        }
        dataset.validate();
        Inputs.outputDirectory("--output", output);
        if (limit != null) {
            Inputs.atLeast("--limit", limit, 1);
        }
        Inputs.atLeast("--batch-size", batchSize, 1);
        Inputs.device(device);
        Duration interval;
        try {
            interval = org.apache.flink.util.TimeUtils.parseDuration(checkpointInterval);
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "--checkpoint-interval '"
                            + checkpointInterval
                            + "' is not a duration: expected e.g. 2s, 500ms or 1min");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new UsageException(
                    "--checkpoint-interval must be > 0, got " + checkpointInterval);
        }
        return interval;
    }
}
