package io.streamctr.bench;

import io.streamctr.flink.JobOptions;
import io.streamctr.model.learn.LearnedBatch;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.metrics.BinaryMetrics;
import io.streamctr.model.sync.ReplicaDelta;
import io.streamctr.model.sync.ReplicaSync;
import io.streamctr.model.sync.SyncArrays;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/**
 * The cost of one data-parallel synchronisation round per model (issue 17), without Flink or Kafka:
 * P replicas of the model's learner (the job's default trainer and freshness settings) each train
 * on the events of their users (user id hash mod P) in batches of B, one batch per replica in turn;
 * every K steps each cuts its {@link ReplicaDelta} (the rows changed since the last round), the
 * deltas are encoded and decoded, and every replica applies the round ({@link ReplicaSync}).
 * Reports per model the mean time of K steps, of a cut, of encoding and of one replica's decode +
 * apply, the bytes of a delta and of the learner's whole snapshot, and the prequential AUC over all
 * events at P next to one learner's at batch P·B (the same total batch), on the same events.
 */
public final class SyncRoundBench {

    /**
     * What one model's run measured.
     *
     * @param rounds rounds applied
     * @param events events scored
     * @param stepMillis mean time of one replica's K training steps (ms)
     * @param cutMillis mean time of one cut (ms)
     * @param encodeMillis mean time to encode one delta (ms)
     * @param applyMillis mean time of one replica's decode of the P deltas and apply (ms)
     * @param deltaBytes mean bytes of one replica's delta
     * @param changedRows mean changed rows of one delta
     * @param snapshotBytes the bytes of one learner's whole snapshot at the end
     * @param auc the prequential AUC at P replicas
     * @param aucOne one learner's at batch P·B; NaN when not measured
     */
    public record Row(
            String model,
            long rounds,
            long events,
            double stepMillis,
            double cutMillis,
            double encodeMillis,
            double applyMillis,
            double deltaBytes,
            double changedRows,
            long snapshotBytes,
            double auc,
            double aucOne) {}

    private final int replicas;
    private final int everySteps;
    private final int batchSize;
    private final boolean compareOne;
    private final String device;
    private final PrintStream err;

    public SyncRoundBench(
            int replicas,
            int everySteps,
            int batchSize,
            boolean compareOne,
            String device,
            PrintStream err) {
        if (replicas < 2 || everySteps < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "need replicas >= 2, steps per round >= 1 and batch >= 1, got "
                            + replicas
                            + ", "
                            + everySteps
                            + ", "
                            + batchSize);
        }
        this.replicas = replicas;
        this.everySteps = everySteps;
        this.batchSize = batchSize;
        this.compareOne = compareOne;
        this.device = device;
        this.err = err;
    }

    /**
     * Runs the model over the first {@code maxEvents} of the data's examples (time order) at P
     * replicas, then at one if asked.
     */
    public Row run(String model, ModelBenchData data, int maxEvents) {
        List<Example> all = data.examples();
        List<Example> examples = all.subList(0, Math.min(all.size(), maxEvents));
        Configuration conf = new Configuration();
        TrainerConfig trainer = JobOptions.trainerConfig(conf);
        List<List<Example>> shares = new ArrayList<>();
        for (int p = 0; p < replicas; p++) {
            shares.add(new ArrayList<>());
        }
        for (Example e : examples) {
            shares.get(Math.floorMod(e.getEvent().getUserId().hashCode(), replicas)).add(e);
        }
        List<OnlineLearner> learners = new ArrayList<>();
        List<ReplicaSync> syncs = new ArrayList<>();
        try {
            for (int p = 0; p < replicas; p++) {
                OnlineLearner l =
                        Learners.create(
                                model,
                                data.spec(),
                                trainer,
                                device,
                                JobOptions.freshnessConfig(conf));
                learners.add(l);
                syncs.add(new ReplicaSync(model, SyncArrays.of(l), p, replicas));
            }
            int[] next = new int[replicas];
            float[] scores = new float[examples.size()];
            int[] labels = new int[examples.size()];
            int scored = 0;
            long rounds = 0;
            long stepNanos = 0;
            long cutNanos = 0;
            long encodeNanos = 0;
            long applyNanos = 0;
            long bytes = 0;
            long rows = 0;
            boolean more = true;
            while (more) {
                more = false;
                for (int k = 0; k < everySteps; k++) {
                    for (int p = 0; p < replicas; p++) {
                        List<Example> share = shares.get(p);
                        if (next[p] >= share.size()) {
                            continue;
                        }
                        List<Example> batch =
                                share.subList(next[p], Math.min(share.size(), next[p] + batchSize));
                        next[p] += batch.size();
                        long t = System.nanoTime();
                        LearnedBatch result = learners.get(p).process(batch);
                        stepNanos += System.nanoTime() - t;
                        for (int i = 0; i < batch.size(); i++) {
                            Integer label = batch.get(i).getEvent().getLabel();
                            if (label != null) {
                                scores[scored] = result.scores()[i];
                                labels[scored++] = label;
                            }
                        }
                    }
                }
                for (int p = 0; p < replicas; p++) {
                    more |= next[p] < shares.get(p).size();
                }
                List<byte[]> encoded = new ArrayList<>();
                for (ReplicaSync sync : syncs) {
                    long t = System.nanoTime();
                    ReplicaDelta delta = sync.cut();
                    long t2 = System.nanoTime();
                    byte[] b = delta.toBytes();
                    encodeNanos += System.nanoTime() - t2;
                    cutNanos += t2 - t;
                    bytes += b.length;
                    rows += delta.changedRows();
                    encoded.add(b);
                }
                for (ReplicaSync sync : syncs) {
                    long t = System.nanoTime();
                    List<ReplicaDelta> deltas = new ArrayList<>();
                    for (byte[] b : encoded) {
                        deltas.add(ReplicaDelta.fromBytes(b));
                    }
                    sync.apply(deltas);
                    applyNanos += System.nanoTime() - t;
                }
                rounds++;
                if (rounds % 20 == 0) {
                    err.printf(
                            Locale.ROOT,
                            "[bench-sync] %s: round %d, %d events%n",
                            model,
                            rounds,
                            scored);
                }
            }
            long snapshotBytes = learners.get(0).snapshot().length;
            double auc = auc(scores, labels, scored);
            double aucOne = compareOne ? one(model, data, trainer, conf, examples) : Double.NaN;
            double perReplicaRound = (double) rounds * replicas;
            return new Row(
                    model,
                    rounds,
                    scored,
                    stepNanos / 1e6 / perReplicaRound,
                    cutNanos / 1e6 / perReplicaRound,
                    encodeNanos / 1e6 / perReplicaRound,
                    applyNanos / 1e6 / perReplicaRound,
                    bytes / perReplicaRound,
                    rows / perReplicaRound,
                    snapshotBytes,
                    auc,
                    aucOne);
        } finally {
            learners.forEach(OnlineLearner::close);
        }
    }

    private double one(
            String model,
            ModelBenchData data,
            TrainerConfig trainer,
            Configuration conf,
            List<Example> examples) {
        err.printf(
                Locale.ROOT,
                "[bench-sync] %s: one learner at batch %d%n",
                model,
                batchSize * replicas);
        float[] scores = new float[examples.size()];
        int[] labels = new int[examples.size()];
        int total = batchSize * replicas;
        try (OnlineLearner l =
                Learners.create(
                        model, data.spec(), trainer, device, JobOptions.freshnessConfig(conf))) {
            int n = 0;
            for (int from = 0; from < examples.size(); from += total) {
                List<Example> batch =
                        examples.subList(from, Math.min(examples.size(), from + total));
                float[] s = l.process(batch).scores();
                for (int i = 0; i < batch.size(); i++) {
                    Integer label = batch.get(i).getEvent().getLabel();
                    if (label != null) {
                        scores[n] = s[i];
                        labels[n++] = label;
                    }
                }
            }
            return auc(scores, labels, n);
        }
    }

    private static double auc(float[] scores, int[] labels, int n) {
        Double auc = BinaryMetrics.auc(scores, labels, 0, n);
        return auc == null ? Double.NaN : auc;
    }

    /** The table's header. */
    public static String header() {
        return String.format(
                Locale.ROOT,
                "%-18s %6s %8s %10s %8s %8s %9s %11s %10s %11s %7s %7s",
                "model",
                "rounds",
                "events",
                "K steps ms",
                "cut ms",
                "enc ms",
                "apply ms",
                "delta kB",
                "rows",
                "state kB",
                "AUC P",
                "AUC 1");
    }

    /** One row of the table. */
    public static String format(Row r) {
        return String.format(
                Locale.ROOT,
                "%-18s %6d %8d %10.1f %8.1f %8.1f %9.1f %11.1f %10.0f %11.1f %7.4f %7.4f",
                r.model(),
                r.rounds(),
                r.events(),
                r.stepMillis(),
                r.cutMillis(),
                r.encodeMillis(),
                r.applyMillis(),
                r.deltaBytes() / 1e3,
                r.changedRows(),
                r.snapshotBytes() / 1e3,
                r.auc(),
                r.aucOne());
    }
}
