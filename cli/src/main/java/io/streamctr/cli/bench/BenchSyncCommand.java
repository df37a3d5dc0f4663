package io.streamctr.cli.bench;

import io.streamctr.bench.ModelBench;
import io.streamctr.bench.ModelBenchData;
import io.streamctr.bench.SyncJobRate;
import io.streamctr.bench.SyncRoundBench;
import io.streamctr.cli.Choices;
import io.streamctr.cli.Inputs;
import io.streamctr.cli.UsageException;
import io.streamctr.cli.evaluate.FeatureSpecInference;
import io.streamctr.datasets.DatasetAdapters;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.flink.JobOptions;
import io.streamctr.model.learn.Learners;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamctr bench-sync}: the bytes and time of one data-parallel synchronisation round per
 * model (issue 17), and the prequential AUC at P replicas next to one learner at the same total
 * batch, on a data set (the bundled MovieLens by default). The work is in {@link SyncRoundBench}.
 */
@Command(
        name = "bench-sync",
        mixinStandardHelpOptions = true,
        description = {
            "Measure one data-parallel synchronisation round per model, without Flink or Kafka: P"
                + " replicas of the model's learner train on their users' events of a data set (the"
                + " bundled MovieLens unless --dataset/--path; job defaults), every K steps each"
                + " cuts its delta (the rows changed since the last round), the deltas are encoded,"
                + " decoded and applied by every replica. Prints per model the time of K steps, of"
                + " a cut, of encoding and of one replica's apply, the bytes of a delta and of the"
                + " whole state, and the prequential AUC at P next to one learner at batch P x B."
        })
public final class BenchSyncCommand implements Callable<Integer> {

    @Option(
            names = "--models",
            defaultValue = "dnn,din,interformer-tiny,optfusion-soft,ftrl",
            split = ",",
            paramLabel = "NAME",
            description = "Models to measure. Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(
            names = "--replicas",
            defaultValue = "2",
            paramLabel = "P",
            description = "Replicas (>= 2). Default: ${DEFAULT-VALUE}.")
    int replicas;

    @Option(
            names = "--every-steps",
            defaultValue = "50",
            paramLabel = "K",
            description = "Training steps of each replica per round. Default: ${DEFAULT-VALUE}.")
    int everySteps;

    @Option(
            names = "--batch-size",
            defaultValue = "128",
            paramLabel = "B",
            description = "Each replica's mini-batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--events",
            defaultValue = "100000",
            paramLabel = "N",
            description = "The first N events of the data set. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(
            names = "--no-single",
            description = "Skip the run of one learner at batch P x B (its AUC).")
    boolean noSingle;

    @Option(
            names = "--dataset",
            defaultValue = "movielens",
            paramLabel = "NAME",
            description =
                    "Data set format (see replay --list-datasets); another than MovieLens is"
                            + " encoded with the fields evaluate infers from it. Default:"
                            + " ${DEFAULT-VALUE}.")
    String dataset;

    @Option(
            names = {"--data", "--path"},
            paramLabel = "FILE_OR_DIR",
            description =
                    "The data set's files. Default: the bundled MovieLens"
                            + " (data/movielens-latest-small).")
    Path data;

    @Option(
            names = "--job",
            description =
                    "Also run the whole job (in-process broker, MiniCluster, exactly-once) on the"
                            + " same events with the first model at P = 1 and at P replicas, and"
                            + " print both rates.")
    boolean job;

    @Option(
            names = "--checkpoint-ms",
            defaultValue = "1000",
            paramLabel = "MS",
            description =
                    "With --job: the checkpoint interval (a round takes at least one). Default:"
                            + " ${DEFAULT-VALUE}.")
    long checkpointMs;

    @Option(
            names = "--skip-rounds",
            description = "Skip the per-model round table (with --job: the job runs only).")
    boolean skipRounds;

    @Option(
            names = "--device",
            defaultValue = "cpu",
            description = "auto, cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        for (String m : models) {
            Choices.require("model", m.trim(), Learners.names(), "known models");
        }
        Inputs.atLeast("--replicas", replicas, 2);
        Inputs.atLeast("--every-steps", everySteps, 1);
        Inputs.atLeast("--batch-size", batchSize, 1);
        Inputs.atLeast("--events", events, 1);
        Choices.require("data set", dataset, DatasetAdapters.names(), "known data sets");
        boolean isMovieLens = "movielens".equals(dataset);
        if (data == null && !isMovieLens) {
            throw new UsageException("--dataset " + dataset + " needs --path FILE_OR_DIR");
        }
        Path path = data != null ? data : Path.of("data/movielens-latest-small");
        Inputs.existing("--path", path, "the data set's file or directory");
        Inputs.device(device);
        ModelBenchData set;
        if (isMovieLens) {
            set = ModelBench.movieLens(path, 16); // the job's own MovieLens fields
        } else {
            List<ClickEvent> read =
                    DatasetAdapters.read(
                            dataset, path, DatasetOptions.of(Map.of()), Integer.MAX_VALUE);
            set =
                    new ModelBenchData(
                            dataset + " " + path,
                            read,
                            FeatureSpecInference.infer(
                                    read,
                                    16,
                                    JobOptions.HASH_BUCKETS.defaultValue(),
                                    JobOptions.SEQUENCE_LENGTH.defaultValue()),
                            JobOptions.CONTEXT_ONLY_ACTIONS.defaultValue());
        }
        SyncRoundBench bench =
                new SyncRoundBench(replicas, everySteps, batchSize, !noSingle, device, System.err);
        System.out.printf(
                "data-parallel rounds: P = %d, K = %d steps, B = %d per replica, %s (first %d"
                        + " events)%n",
                replicas, everySteps, batchSize, set.description(), events);
        if (!skipRounds) {
            System.out.println(SyncRoundBench.header());
            for (String m : models) {
                System.out.println(SyncRoundBench.format(bench.run(m.trim(), set, events)));
            }
        }
        if (job) {
            jobRates(set, models.get(0).trim());
        }
        return 0;
    }

    private void jobRates(ModelBenchData set, String model) throws Exception {
        List<ClickEvent> first = set.events().subList(0, Math.min(events, set.events().size()));
        try (EmbeddedKafka kafka = SyncJobRate.broker(System.err)) {
            SyncJobRate rate = new SyncJobRate(kafka, System.err);
            String topic = rate.events(first);
            System.out.printf(
                    "%nwhole job, %s, batch %d (the job's batch per replica), K = %d,"
                            + " checkpoints every %d ms, %d events:%n",
                    model, batchSize, everySteps, checkpointMs, first.size());
            System.out.printf(
                    "%-3s %12s %10s %12s %9s  %s%n",
                    "P", "predictions", "distinct", "events/s", "wall s", "replicas ended");
            for (int p : new int[] {1, replicas}) {
                SyncJobRate.Result r =
                        rate.run(
                                topic,
                                model,
                                p,
                                everySteps,
                                batchSize,
                                Duration.ofMillis(checkpointMs));
                System.out.printf(
                        java.util.Locale.ROOT,
                        "%-3d %12d %10d %12.0f %9.1f  %s%n",
                        r.replicas(),
                        r.predictions(),
                        r.distinct(),
                        r.eventsPerSecond(),
                        r.wallMs() / 1000.0,
                        r.ends());
            }
        }
    }
}
