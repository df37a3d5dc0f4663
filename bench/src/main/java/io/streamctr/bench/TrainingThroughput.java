package io.streamctr.bench;

import ai.djl.Device;
import io.streamctr.bench.perf.FlopCount;
import io.streamctr.bench.perf.ModelFlops;
import io.streamctr.bench.perf.ProcessCpu;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainResult;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.model.train.TrainingStage;
import io.streamctr.model.train.TrainingStep;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Measures one model at one batch size, as the learner trains it but without Flink or Kafka: a
 * fresh {@link OnlineTrainer}; for a model with an architecture search (unless its search stage is
 * what is measured) the search is run to its end first, as the job would; then untimed warm-up
 * steps; then timed steps on full batches of the examples in order, each part timed on its own:
 * {@link FeatureEncoder#encode}, then, as the learner ({@code DeepLearner}) does, one training step
 * whose forward also scores the batch ({@link OnlineTrainer#forward}: the weights are not updated
 * yet, so its logits are the prequential predictions; issue 18). With {@code twoPass}, or for a
 * model whose forward depends on the mode, the batch is scored by a separate inference pass ({@link
 * OnlineTrainer#predict}) before {@link OnlineTrainer#train}, as before issue 18.
 */
public final class TrainingThroughput {

    /**
     * What one measurement saw.
     *
     * @param flops the count of one training step at this batch size, in the measured stage (empty
     *     for a model without a counter)
     * @param trainCpuNanos CPU time of the training steps ({@link ProcessCpu}; -1 when unknown):
     *     about the torch thread count times their wall time on an idle machine, less when other
     *     processes took the cores
     * @param loopCpuNanos the same over encode + predict + train
     * @param predictNanos a separate inference pass's time (0 when the training forward scored)
     * @param trainNanos the training steps' time (with one pass, scoring included)
     * @param profile the forward / backward / rest split (null when not profiled)
     * @param onePass whether the training forward scored the batches (no separate predict pass)
     * @param ops the step by libtorch operator ({@link OpProfile}; null when not asked)
     */
    public record Measurement(
            BenchModel model,
            int batchSize,
            TrainingStage stage,
            long steps,
            long encodeNanos,
            long predictNanos,
            long trainNanos,
            long trainCpuNanos,
            long loopCpuNanos,
            long skippedSteps,
            float lastLoss,
            Optional<FlopCount> flops,
            StepProfile.Split profile,
            boolean onePass,
            OpProfile.Summary ops) {

        public long events() {
            return steps * batchSize;
        }

        /** Events per second of the training steps alone. */
        public double trainEventsPerSecond() {
            return events() * 1e9 / trainNanos;
        }

        /** Events per second of encode + predict + train: the learner's work per batch. */
        public double loopEventsPerSecond() {
            return events() * 1e9 / loopNanos();
        }

        public long loopNanos() {
            return encodeNanos + predictNanos + trainNanos;
        }

        public double trainMsPerStep() {
            return trainNanos / 1e6 / steps;
        }

        /**
         * GFLOP/s of the training steps (forward + backward FLOPs over their time); NaN without a
         * count.
         */
        public double trainGflopsPerSecond() {
            return flops.map(f -> f.trainingFlops() * (double) steps / trainNanos)
                    .orElse(Double.NaN);
        }

        /** Events per CPU-second of the training steps: about the rate with the cores to itself. */
        public double trainEventsPerCpuSecond() {
            return trainCpuNanos <= 0 ? Double.NaN : events() * 1e9 / trainCpuNanos;
        }

        /** Events per CPU-second of encode + predict + train; NaN when unknown. */
        public double loopEventsPerCpuSecond() {
            return loopCpuNanos <= 0 ? Double.NaN : events() * 1e9 / loopCpuNanos;
        }

        /** Cores this process used during the training steps. */
        public double trainCores() {
            return ProcessCpu.cores(trainCpuNanos, trainNanos);
        }

        /**
         * GFLOP per CPU-second of the training steps: the rate as if the process had its cores to
         * itself.
         */
        public double trainGflopsPerCpuSecond() {
            return trainCpuNanos <= 0
                    ? Double.NaN
                    : flops.map(f -> f.trainingFlops() * (double) steps / trainCpuNanos)
                            .orElse(Double.NaN);
        }

        /**
         * GFLOP/s of the loop: the training step, plus a prediction's forward when it was a
         * separate pass, over encode + predict + train.
         */
        public double loopGflopsPerSecond() {
            return flops.map(
                            f ->
                                    ((onePass ? 0 : f.forwardFlops()) + f.trainingFlops())
                                            * (double) steps
                                            / loopNanos())
                    .orElse(Double.NaN);
        }
    }

    private TrainingThroughput() {}

    /**
     * What is profiled after the timed steps.
     *
     * @param steps steps split into forward / backward / the rest by CPU time ({@link
     *     StepProfile}); 0 = none
     * @param opSteps steps recorded by libtorch's profiler ({@link OpProfile}); 0 = none, else >= 2
     * @param traceDir where their traces go (one per step; needed when {@code opSteps > 0})
     */
    public record Profiling(int steps, int opSteps, java.nio.file.Path traceDir) {
        public Profiling {
            if (steps < 0 || opSteps < 0 || opSteps == 1) {
                throw new IllegalArgumentException(
                        "profile steps must be >= 0 and op profile steps 0 or >= 2, got "
                                + steps
                                + " and "
                                + opSteps);
            }
            if (opSteps > 0 && traceDir == null) {
                throw new IllegalArgumentException("an op profile needs a directory for traces");
            }
        }
    }

    /**
     * Measures one model at one batch size; {@code twoPass} scores each batch with a separate
     * inference pass before its training step, as the learner did before issue 18.
     */
    public static Measurement measure(
            BenchModel model,
            FeatureSpec spec,
            TrainerConfig config,
            Device device,
            List<Example> examples,
            int batchSize,
            double warmupSeconds,
            double seconds,
            Profiling profiling,
            boolean twoPass,
            Consumer<String> progress) {
        int profileSteps = profiling.steps();
        FeatureEncoder encoder = new FeatureEncoder(spec);
        BatchCursor cursor = new BatchCursor(examples, batchSize);
        try (OnlineTrainer trainer =
                new OnlineTrainer(model.name(), model.create(spec), spec, config, device)) {
            trainer.onePass(!twoPass);
            if (!model.searchStage() && trainer.stage() == TrainingStage.SEARCH) {
                int steps = 0;
                while (trainer.stage() == TrainingStage.SEARCH) {
                    FeatureBatch batch = encoder.encode(cursor.next());
                    trainer.predict(batch);
                    trainer.train(batch);
                    steps++;
                }
                progress.accept(
                        model
                                + ": searched "
                                + trainer.searchedEvents()
                                + " events in "
                                + steps
                                + " steps, architecture frozen");
            }
            TrainingStage stage = trainer.stage();
            run(trainer, encoder, cursor, warmupSeconds);
            long skippedBefore = trainer.skippedSteps();
            Totals timed = run(trainer, encoder, cursor, seconds);
            if (trainer.stage() != stage) {
                throw new IllegalStateException(
                        model
                                + ": the stage changed from "
                                + stage
                                + " to "
                                + trainer.stage()
                                + " while measuring");
            }
            List<StepProfile.Sample> samples = new ArrayList<>();
            for (int i = 0; i < profileSteps; i++) {
                samples.add(StepProfile.step(trainer, encoder.encode(cursor.next())));
            }
            OpProfile.Summary ops =
                    profiling.opSteps() > 0
                            ? OpProfile.record(
                                    trainer,
                                    encoder,
                                    cursor,
                                    profiling.opSteps(),
                                    profiling
                                            .traceDir()
                                            .resolve(
                                                    model.toString().replace('/', '-')
                                                            + "-b"
                                                            + batchSize))
                            : null;
            Optional<FlopCount> flops = ModelFlops.count(trainer.block(), spec, batchSize);
            return new Measurement(
                    model,
                    batchSize,
                    stage,
                    timed.steps,
                    timed.encode,
                    timed.predict,
                    timed.train,
                    timed.trainCpu,
                    timed.loopCpu,
                    trainer.skippedSteps() - skippedBefore,
                    timed.lastLoss,
                    flops,
                    profileSteps > 0 ? StepProfile.mean(samples) : null,
                    timed.onePass,
                    ops);
        }
    }

    /**
     * Steps until the time has passed and at least {@link ModelBenchSettings#MIN_STEPS} were made.
     */
    private static Totals run(
            OnlineTrainer trainer, FeatureEncoder encoder, BatchCursor cursor, double seconds) {
        Totals totals = new Totals();
        long limit = (long) (seconds * 1e9);
        long started = System.nanoTime();
        while (totals.steps < ModelBenchSettings.MIN_STEPS || System.nanoTime() - started < limit) {
            long c0 = ProcessCpu.nanos();
            long t0 = System.nanoTime();
            FeatureBatch batch = encoder.encode(cursor.next());
            long t1 = System.nanoTime();
            long c1 = ProcessCpu.nanos();
            float[] scores;
            long t2;
            long c2;
            boolean onePass;
            TrainResult result;
            try (TrainingStep step = trainer.forward(batch)) {
                // [B] the prequential scores, as the learner computes them
                scores = OnlineTrainer.probabilities(step.logits(), trainer.baseRateOffsets(batch));
                t2 = System.nanoTime();
                c2 = ProcessCpu.nanos();
                onePass = step.onePass();
                result = step.finish();
            }
            long t3 = System.nanoTime();
            long c3 = ProcessCpu.nanos();
            if (scores.length != batch.size()) {
                throw new IllegalStateException(
                        "model returned "
                                + scores.length
                                + " scores for "
                                + batch.size()
                                + " rows");
            }
            totals.encode += t1 - t0;
            // one pass: the training step scored the batch; else a separate predict, then train
            totals.predict += onePass ? 0 : t2 - t1;
            totals.train += onePass ? t3 - t1 : t3 - t2;
            totals.trainCpu += onePass ? c3 - c1 : c3 - c2;
            totals.loopCpu += c3 - c0;
            totals.onePass &= onePass;
            totals.steps++;
            if (!result.skipped()) {
                totals.lastLoss = result.loss();
            }
        }
        if (ProcessCpu.nanos() < 0) {
            totals.trainCpu = -1;
            totals.loopCpu = -1;
        }
        return totals;
    }

    /** Time per part, summed over steps. */
    private static final class Totals {
        long steps;
        long encode;
        long predict;
        long train;
        long trainCpu;
        long loopCpu;
        float lastLoss = Float.NaN;
        boolean onePass = true;
    }
}
