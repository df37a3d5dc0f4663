package io.streamctr.bench;

import static io.streamctr.bench.BenchFormat.count;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import io.streamctr.bench.perf.MatmulRate;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/**
 * {@code streamctr bench-model}: the training throughput of models alone (no Flink, no Kafka) on
 * the data set's events, enriched with their sequences as the job's enricher would, and encoded by
 * the job's {@code FeatureEncoder}; per model and batch size the events/s of the training step and
 * of the learner's whole loop (encode + predict + train), the compute rate the step reaches
 * (GFLOP/s from {@link io.streamctr.bench.perf.ModelFlops}), and that rate as a share of this
 * machine's fp32 matrix-multiply rate through the same libtorch and thread count ({@link
 * MatmulRate}, measured before and after the models in the same run). Optionally, a rough split of
 * a step into forward, backward and the rest ({@link StepProfile}).
 */
public final class ModelBench {

    /** Seconds of each matrix-multiply measurement. */
    private static final double MATMUL_SECONDS = 3;

    private final ModelBenchSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final long startedAt = System.nanoTime();

    public ModelBench(ModelBenchSettings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /**
     * MovieLens ml-latest(-small) from {@code dir} with the job's default feature spec at D =
     * {@code embeddingDim}: what the job trains on in the demo.
     */
    public static ModelBenchData movieLens(Path dir, int embeddingDim) throws IOException {
        Configuration conf = new Configuration();
        conf.set(JobOptions.EMBEDDING_DIM, embeddingDim);
        return new ModelBenchData(
                "MovieLens " + dir,
                MovieLensReader.read(dir),
                StreamCtrPipeline.featureSpec(conf),
                List.of());
    }

    /**
     * Measures everything on the MovieLens of the settings' data directory and prints the tables;
     * returns the measurements.
     */
    public List<TrainingThroughput.Measurement> run() throws Exception {
        progress("reading " + settings.dataDir());
        return run(movieLens(settings.dataDir(), settings.embeddingDim()));
    }

    /** Measures everything on {@code data} and prints the tables; returns the measurements. */
    public List<TrainingThroughput.Measurement> run(ModelBenchData data) throws Exception {
        FeatureSpec spec = data.spec();
        if (spec.embeddingDim() != settings.embeddingDim()) {
            throw new IllegalArgumentException(
                    "the data's feature spec has D = "
                            + spec.embeddingDim()
                            + ", the settings "
                            + settings.embeddingDim());
        }
        if (settings.threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.threads()));
        }
        DjlRuntime.configure();
        Device device = DjlRuntime.resolveDevice(settings.device());
        if (settings.threads() > 0) {
            JniUtils.setNumThreads(
                    settings.threads()); // the engine may have been loaded before with another
            // count
        }
        Configuration conf = new Configuration();
        TrainerConfig trainerConfig = JobOptions.trainerConfig(conf);

        for (BenchModel model : settings.models()) {
            model.create(
                    spec); // fails now, not after minutes of measuring, for NAME/search of a model
            // without a search
        }
        List<Example> examples = data.examples();
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(
                    "no event to train on in " + data.description() + " (all context-only)");
        }
        printHeader(data, examples.size(), device);

        progress("measuring the matrix-multiply rate (n = " + settings.matmulSize() + ")");
        MatmulRate.Result before =
                MatmulRate.measure(device, settings.matmulSize(), MATMUL_SECONDS);
        progress(
                String.format(
                        Locale.ROOT,
                        "matmul: %.1f GFLOP/s (%.2f cores used)",
                        before.gflopsPerSecond(),
                        before.coresUsed()));

        java.nio.file.Path traceDir =
                settings.opProfileSteps() > 0
                        ? java.nio.file.Files.createTempDirectory("streamctr-op-profile-")
                        : null;
        TrainingThroughput.Profiling profiling =
                new TrainingThroughput.Profiling(
                        settings.profileSteps(), settings.opProfileSteps(), traceDir);
        List<TrainingThroughput.Measurement> rows = new ArrayList<>();
        for (BenchModel model : settings.models()) {
            for (int batch : settings.batchSizes()) {
                progress("measuring " + model + " at batch " + batch);
                TrainingThroughput.Measurement m =
                        TrainingThroughput.measure(
                                model,
                                spec,
                                trainerConfig,
                                device,
                                examples,
                                batch,
                                settings.warmupSeconds(),
                                settings.seconds(),
                                profiling,
                                settings.twoPass(),
                                this::progress);
                progress(
                        String.format(
                                Locale.ROOT,
                                "%s batch %d: %,.0f ev/s training, %.1f ms/step, %s steps, last"
                                        + " loss %.4f",
                                model,
                                batch,
                                m.trainEventsPerSecond(),
                                m.trainMsPerStep(),
                                count(m.steps()),
                                m.lastLoss()));
                rows.add(m);
            }
        }

        MatmulRate.Result after = MatmulRate.measure(device, settings.matmulSize(), MATMUL_SECONDS);
        double matmul = (before.gflopsPerSecond() + after.gflopsPerSecond()) / 2;
        double matmulPerCpu = (before.gflopsPerCpuSecond() + after.gflopsPerCpuSecond()) / 2;
        out.println();
        out.printf(
                Locale.ROOT,
                "fp32 matmul (DJL NDArray.matMul, %d x %d, %d torch thread(s)): %.1f GFLOP/s before"
                    + " the models (%.2f cores used), %.1f after (%.2f); %% matmul below is of"
                    + " their mean, %.1f; per CPU-second %.1f and %.1f, %% (cpu) is of their mean,"
                    + " %.1f%n",
                settings.matmulSize(),
                settings.matmulSize(),
                JniUtils.getNumThreads(),
                before.gflopsPerSecond(),
                before.coresUsed(),
                after.gflopsPerSecond(),
                after.coresUsed(),
                matmul,
                before.gflopsPerCpuSecond(),
                after.gflopsPerCpuSecond(),
                matmulPerCpu);
        out.printf(Locale.ROOT, "load average now: %s%n", loadAverage());
        out.println();
        ModelBenchTable.throughput(out, rows, matmul, matmulPerCpu);
        out.println();
        out.println(
                "train: the training step (forward + backward + Adam) alone; loop: encode + predict"
                    + " + train, the learner's work per batch (passes 1: the training forward's"
                    + " logits are the predictions, as in the learner; 2: a separate inference pass"
                    + " first, --two-pass); GFLOP from the analytic count (io.streamctr.bench.perf:"
                    + " matmul-like ops only, training = forward + backward); cores: CPU time /"
                    + " wall time of the training steps (the torch thread's CPU clock with 1"
                    + " thread, the process's with more; below the thread count = other processes"
                    + " had the cores); ev/cpu-s, GF/cpu-s and % (cpu): the same rates per"
                    + " CPU-second, about what an idle machine would give (loop ev/cpu-s: of the"
                    + " whole loop)");
        out.println();
        OfficialOptFusion.compare(out, rows);
        out.println();
        out.println("training FLOPs by part:");
        ModelBenchTable.flopShares(out, rows);
        if (settings.profileSteps() > 0) {
            out.println();
            out.printf(
                    Locale.ROOT,
                    "where a training step's time goes, ms per step: CPU time of the step's parts"
                        + " (mean of %d profiled steps; optimizer+ = train - forward - backward:"
                        + " gradient checks, Adam, zeroing), wall time of a separate predict pass"
                        + " (0 with one pass) and of encode:%n",
                    settings.profileSteps());
            ModelBenchTable.profile(out, rows);
        }
        if (traceDir != null) {
            out.println();
            out.printf(
                    Locale.ROOT,
                    "a step by libtorch operator, ms per step (%d steps recorded by libtorch's"
                        + " profiler; per operator position the minimum over them, so about an idle"
                        + " core's time plus the profiler's few us per operator; update = after the"
                        + " backward pass: optimizer, gradient checks, zeroing; mm = matrix"
                        + " products; ceiling = batch / mm time, the rate if all else took no"
                        + " time); traces in %s:%n",
                    settings.opProfileSteps(),
                    traceDir);
            ModelBenchTable.opProfile(out, rows);
        }
        out.println();
        out.printf(Locale.ROOT, "total time %s%n", BenchFormat.seconds(elapsedMs()));
        out.flush();
        return rows;
    }

    private void printHeader(ModelBenchData data, int examples, Device device) {
        FeatureSpec spec = data.spec();
        Runtime rt = Runtime.getRuntime();
        out.printf(
                Locale.ROOT,
                "streamctr bench-model: Java %s, %d cores, torch threads %d (interop %d,"
                        + " OMP_WAIT_POLICY %s), device %s%n",
                System.getProperty("java.version"),
                rt.availableProcessors(),
                JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads(),
                ompWaitPolicy(),
                device);
        out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
        out.printf(
                Locale.ROOT,
                "data: %s, %s events trained on with their clicked / non-clicked sequences (L ="
                        + " %d); per model and batch: %.0f s warm-up, then >= %.0f s measured%n",
                data.description(),
                count(examples),
                spec.sequenceLength(),
                settings.warmupSeconds(),
                settings.seconds());
        out.printf(
                Locale.ROOT,
                "fields: categorical %s, multi-valued %s, sequences (clicked, non-clicked) of %s,"
                        + " numeric %s; feature D = %d (InterFormer uses its own D)%n",
                spec.categoricalFields(),
                spec.multiValuedFields(),
                spec.sideField(),
                spec.numericFields(),
                spec.embeddingDim());
        out.flush();
    }

    /**
     * libgomp's OMP_WAIT_POLICY as this process was started with (the launcher sets PASSIVE): with
     * more than one torch thread, ACTIVE (or unset: spin, then sleep) costs much time on a busy
     * machine.
     */
    private static String ompWaitPolicy() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        return policy == null ? "unset" : policy;
    }

    /** The first three fields of /proc/loadavg (1, 5, 15 min), or n/a. */
    private static String loadAverage() {
        try {
            String[] f =
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                            .trim()
                            .split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private void progress(String message) {
        err.printf(Locale.ROOT, "[bench-model %s] %s%n", BenchFormat.clock(elapsedMs()), message);
        err.flush();
    }

    private long elapsedMs() {
        return (System.nanoTime() - startedAt) / 1_000_000;
    }
}
