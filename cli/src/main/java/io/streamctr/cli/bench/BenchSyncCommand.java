package io.streamctr.cli.bench;

import io.streamctr.bench.ModelBench;
import io.streamctr.bench.ModelBenchData;
import io.streamctr.bench.SyncJobRate;
import io.streamctr.bench.SyncRoundBench;
import io.streamctr.cli.Choices;
import io.streamctr.cli.Inputs;
import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.model.learn.Learners;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamctr bench-sync}: the bytes and time of one data-parallel synchronisation round per
 * model (issue 17), and the prequential AUC at P replicas next to one learner at the same total
 * batch, on the bundled MovieLens. The work is in {@link SyncRoundBench}.
 */
@Command(
        name = "bench-sync",
        mixinStandardHelpOptions = true,
        description = {
            "Measure one data-parallel synchronisation round per model, without Flink or Kafka: P"
                + " replicas of the model's learner train on their users' events of the bundled"
                + " MovieLens (job defaults), every K steps each cuts its delta (the rows changed"
                + " since the last round), the deltas are encoded, decoded and applied by every"
                + " replica. Prints per model the time of K steps, of a cut, of encoding and of one"
                + " replica's apply, the bytes of a delta and of the whole state, and the"
                + " prequential AUC at P next to one learner at batch P x B."
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
            description = "The first N events of MovieLens. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(
            names = "--no-single",
            description = "Skip the run of one learner at batch P x B (its AUC).")
    boolean noSingle;

    @Option(
            names = "--data",
            defaultValue = "data/movielens-latest-small",
            paramLabel = "DIR",
            description = "MovieLens directory. Default: ${DEFAULT-VALUE}.")
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
        Inputs.directory("--data", data, "the MovieLens directory");
        Inputs.device(device);
        ModelBenchData movieLens = ModelBench.movieLens(data, 16);
        SyncRoundBench bench =
                new SyncRoundBench(replicas, everySteps, batchSize, !noSingle, device, System.err);
        System.out.printf(
                "data-parallel rounds: P = %d, K = %d steps, B = %d per replica, %s (first %d"
                        + " events)%n",
                replicas, everySteps, batchSize, movieLens.description(), events);
        if (!skipRounds) {
            System.out.println(SyncRoundBench.header());
            for (String m : models) {
                System.out.println(SyncRoundBench.format(bench.run(m.trim(), movieLens, events)));
            }
        }
        if (job) {
            jobRates(movieLens, models.get(0).trim());
        }
        return 0;
    }

    private void jobRates(ModelBenchData movieLens, String model) throws Exception {
        List<ClickEvent> first =
                movieLens.events().subList(0, Math.min(events, movieLens.events().size()));
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
