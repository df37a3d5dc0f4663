package io.streamctr.cli.bench;

import io.streamctr.bench.ModelBench;
import io.streamctr.bench.ModelBenchData;
import io.streamctr.bench.SyncRoundBench;
import io.streamctr.cli.Choices;
import io.streamctr.cli.Inputs;
import io.streamctr.model.learn.Learners;
import java.nio.file.Path;
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
        System.out.println(SyncRoundBench.header());
        for (String m : models) {
            System.out.println(SyncRoundBench.format(bench.run(m.trim(), movieLens, events)));
        }
        return 0;
    }
}
