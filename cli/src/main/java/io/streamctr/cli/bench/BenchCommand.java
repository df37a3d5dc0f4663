package io.streamctr.cli.bench;

import io.streamctr.bench.Bench;
import io.streamctr.bench.BenchSettings;
import io.streamctr.bench.JobSoak;
import io.streamctr.bench.LatencySettings;
import io.streamctr.cli.Choices;
import io.streamctr.cli.CommandErrors;
import io.streamctr.cli.Inputs;
import io.streamctr.cli.Main;
import io.streamctr.model.ModelRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamctr bench}: throughput of the raw learner loop against the whole job, the job's
 * event → prediction latency at fixed loads, throughput of the sequence enricher against a plain
 * passthrough, and optionally the resident size over a long run, all in this one JVM (in-process
 * Kafka broker + Flink MiniCluster). The work is in {@link Bench}; the table goes to stdout,
 * progress to stderr.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure, in one JVM and one run after warm-up runs: the raw learner loop vs the whole"
                + " job (and the job with its streaming metrics off), the event -> prediction"
                + " latency at fractions of the job's peak rate, the sequence enricher vs a Kafka"
                + " -> Flink -> Kafka passthrough, and optionally the resident memory over a long"
                + " run.",
            "Runs an in-process Kafka broker and Flink MiniClusters (RocksDB, checkpoints every 3"
                    + " s, exactly-once)."
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--data",
            defaultValue = "data/movielens-latest-small",
            paramLabel = "DIR",
            description =
                    "MovieLens ml-latest(-small) directory (ratings.csv[.gz], movies.csv[.gz])."
                            + " Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(
            names = "--model",
            defaultValue = "dnn",
            description = "Model to train. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(
            names = "--batch-size",
            defaultValue = "256",
            paramLabel = "N",
            description = "Learner mini-batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--passes",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Passes over the data for the enricher/passthrough runs; 0 = enough for ~1M"
                            + " events. Default: ${DEFAULT-VALUE}.")
    int passes;

    @Option(
            names = "--warmup-events",
            defaultValue = "20000",
            paramLabel = "N",
            description =
                    "Events of the learner-loop and whole-job warm-up runs. Default:"
                            + " ${DEFAULT-VALUE}.")
    int warmupEvents;

    @Option(
            names = "--limit",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Use only the first N events of the data set (a slow model: e.g. interformer);"
                            + " 0 = all. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--skip-job", description = "Skip the learner loop vs whole job comparison.")
    boolean skipJob;

    @Option(names = "--skip-enricher", description = "Skip the enricher vs passthrough comparison.")
    boolean skipEnricher;

    @Option(
            names = "--soak-minutes",
            defaultValue = "0",
            paramLabel = "MIN",
            description =
                    "Minutes of the resident-memory soak (raw learner loop over repeated passes); 0"
                            + " = none. Default: ${DEFAULT-VALUE}.")
    double soakMinutes;

    @Option(
            names = "--skip-latency",
            description = "Skip the event -> prediction latency runs (they need the job run).")
    boolean skipLatency;

    @Option(
            names = "--latency-loads",
            split = ",",
            paramLabel = "F",
            defaultValue = "0.5,0.9",
            description =
                    "Loads of the latency runs, as fractions of the job's peak rate measured in"
                            + " the same run. Default: ${DEFAULT-VALUE}.")
    List<Double> latencyLoads;

    @Option(
            names = "--latency-batch-timeouts",
            split = ",",
            paramLabel = "MS",
            defaultValue = "200,50",
            description =
                    "ctr.train.batch-timeout values (ms) of the latency runs, each at every load."
                            + " Default: ${DEFAULT-VALUE}.")
    List<Long> latencyBatchTimeouts;

    @Option(
            names = "--latency-batch-idle-timeouts",
            split = ",",
            paramLabel = "MS",
            defaultValue = "0,5",
            description =
                    "ctr.train.batch-idle-timeout values (ms; 0 = none) of the latency runs, each"
                            + " with every batch timeout and load. Default: ${DEFAULT-VALUE}.")
    List<Long> latencyBatchIdleTimeouts;

    @Option(
            names = "--latency-seconds",
            defaultValue = "20",
            paramLabel = "S",
            description = "Seconds measured per latency run. Default: ${DEFAULT-VALUE}.")
    double latencySeconds;

    @Option(
            names = "--latency-warmup-seconds",
            defaultValue = "5",
            paramLabel = "S",
            description =
                    "Seconds of each latency run after the job's first prediction that are not"
                            + " measured. Default: ${DEFAULT-VALUE}.")
    double latencyWarmupSeconds;

    @Option(
            names = "--latency-network-buffer-timeout",
            defaultValue = "-1",
            paramLabel = "MS",
            description =
                    "Flink's execution.buffer-timeout for the latency runs: how long a network"
                            + " buffer of the keyBy exchange may wait unless full; -1 = Flink's"
                            + " default (100 ms). Default: ${DEFAULT-VALUE}.")
    long latencyNetworkBufferTimeout;

    @Option(
            names = "--latency-checkpoint-seconds",
            defaultValue = "3",
            paramLabel = "S",
            description =
                    "Checkpoint interval of the latency runs (the rest of bench keeps 3 s)."
                            + " Default: ${DEFAULT-VALUE}.")
    double latencyCheckpointSeconds;

    @Option(
            names = "--latency-peak",
            defaultValue = "0",
            paramLabel = "EV/S",
            description =
                    "The peak rate the latency loads are fractions of; 0 = the job's, measured in"
                            + " the same run. With a rate, --skip-job runs the latency part alone."
                            + " Default: ${DEFAULT-VALUE}.")
    double latencyPeak;

    @Option(
            names = "--job-soak-minutes",
            defaultValue = "0",
            paramLabel = "MIN",
            description =
                    "Run only the whole-job soak for this long: the job (in-process broker,"
                        + " MiniCluster, RocksDB, checkpoints, exactly-once) on the data replayed"
                        + " in a loop at the highest rate it sustains; a line of memory, checkpoint"
                        + " and rate figures every minute. 0 = none. Default: ${DEFAULT-VALUE}.")
    double jobSoakMinutes;

    @Option(
            names = "--job-soak-warmup-minutes",
            paramLabel = "MIN",
            description =
                    "Minutes of the job soak before the memory growth is measured. Default: "
                            + JobSoak.DEFAULT_WARMUP
                            + ".")
    Double jobSoakWarmupMinutes;

    @Override
    public Integer call() throws Exception {
        Inputs.directory("--data", data, "a MovieLens folder (ratings.csv[.gz], movies.csv[.gz])");
        Choices.require("model", model, ModelRegistry.names(), "registered deep models");
        Inputs.device(device);
        if (jobSoakMinutes != 0) {
            JobSoak.Settings soak;
            try {
                soak =
                        new JobSoak.Settings(
                                data,
                                model,
                                batchSize,
                                jobSoakMinutes,
                                device,
                                jobSoakWarmupMinutes == null ? Double.NaN : jobSoakWarmupMinutes);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--job-soak-minutes/--job-soak-warmup-minutes: " + e.getMessage());
            }
            new JobSoak(soak, System.out, System.err).run();
            return 0;
        }
        BenchSettings settings;
        LatencySettings latency;
        try {
            latency =
                    new LatencySettings(
                            latencyLoads,
                            latencySeconds,
                            latencyWarmupSeconds,
                            latencyBatchTimeouts,
                            latencyBatchIdleTimeouts,
                            latencyNetworkBufferTimeout,
                            latencyCheckpointSeconds,
                            latencyPeak,
                            skipLatency);
            settings =
                    new BenchSettings(
                            data,
                            model,
                            batchSize,
                            passes,
                            warmupEvents,
                            skipJob,
                            skipEnricher,
                            soakMinutes,
                            device,
                            limit);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        new Bench(settings, latency, System.out, System.err).run();
        return 0;
    }

    /** Runs {@code bench} alone (same logging setup as {@link Main}); exits when done. */
    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:" + Main.LOG_CONFIG);
        }
        System.exit(CommandErrors.install(new CommandLine(new BenchCommand())).execute(args));
    }
}
