package io.streamctr.bench;

import static io.streamctr.bench.BenchFormat.count;
import static io.streamctr.bench.BenchFormat.rate;

import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.learn.LearnerOperator;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.schemas.ClickEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code streamctr bench --job-soak-minutes N}: the whole job for N minutes in one JVM (in-process
 * broker, MiniCluster with RocksDB, incremental checkpoints every 3 s, exactly-once sinks), fed by
 * a {@link SoakProducer} replaying the data set in a loop at the highest rate the job sustains.
 * Every minute a line: resident memory and where it goes (heap, JVM non-heap, direct buffers, the
 * rest: native memory of libtorch, RocksDB, thread stacks, Flink's network buffers), RocksDB's own
 * memory gauges, the last checkpoint's size and duration, events/s, the backlog and the source's
 * back-pressure. At the end: resident memory growth after the warm-up and the checkpoint duration
 * range. Figures come from the JVM's MXBeans, {@code /proc/self/status} and Flink's metrics ({@link
 * SoakMetrics}).
 */
public final class JobSoak {

    /**
     * Events the producer may be ahead of the job: a few seconds of work, so the job never waits
     * for input.
     */
    public static final long MAX_LAG = 20_000;

    /** Topics keep at most this much each, so a long soak does not fill the disk. */
    private static final long RETENTION_BYTES = 256L * 1024 * 1024;

    /**
     * What the soak runs.
     *
     * @param dataDir a MovieLens ml-latest(-small) directory
     * @param model registered model name
     * @param batchSize learner mini-batch size
     * @param minutes length of the soak
     * @param device auto, cpu, gpu or gpu:N
     * @param warmupMinutes samples before this are the warm-up; NaN = {@link #DEFAULT_WARMUP}
     */
    public record Settings(
            Path dataDir,
            String model,
            int batchSize,
            double minutes,
            String device,
            double warmupMinutes) {
        public Settings {
            if (!(minutes > 0) || Double.isInfinite(minutes)) {
                throw new IllegalArgumentException("soak minutes must be > 0, got " + minutes);
            }
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
            }
            if (!Double.isNaN(warmupMinutes) && !(warmupMinutes >= 0 && warmupMinutes < minutes)) {
                throw new IllegalArgumentException(
                        "warm-up minutes must be >= 0 and below the soak's "
                                + minutes
                                + ", got "
                                + warmupMinutes);
            }
        }

        /** A soak with the default warm-up. */
        public Settings(Path dataDir, String model, int batchSize, double minutes, String device) {
            this(dataDir, model, batchSize, minutes, device, Double.NaN);
        }

        /**
         * Samples before this are the warm-up: as set, or by default a third of the run, at most
         * two minutes.
         */
        long warmupMillis() {
            return Double.isNaN(warmupMinutes)
                    ? Math.min(120_000, (long) (minutes * 60_000 / 3))
                    : (long) (warmupMinutes * 60_000);
        }
    }

    /** The default warm-up, as {@link Settings#warmupMillis()} words it. */
    public static final String DEFAULT_WARMUP = "a third of the run, at most 2 minutes";

    /** One line of the curve. */
    record Sample(
            long elapsedMs,
            long rss,
            long heapUsed,
            long heapCommitted,
            long nonHeapCommitted,
            long direct,
            double rocksDb,
            double checkpointBytes,
            double checkpointFullBytes,
            double checkpointMs,
            double checkpoints,
            long predictions,
            long produced,
            double backPressureMsPerSecond) {
        long otherNative() {
            return rss - heapCommitted - nonHeapCommitted - direct;
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final long startedAt = System.nanoTime();

    public JobSoak(Settings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /** Runs the soak and prints the curve; stops everything it started. */
    public void run() throws Exception {
        Configurator.setLevel("org.apache.flink.metrics.MetricGroup", Level.ERROR);
        Configurator.setLevel("org.apache.flink.runtime.metrics.groups", Level.ERROR);
        DjlRuntime.configure();
        progress("reading " + settings.dataDir());
        List<ClickEvent> events = MovieLensReader.read(settings.dataDir());
        progress("starting the embedded Kafka broker");
        Path checkpoints = Files.createTempDirectory("streamctr-soak-checkpoints");
        SoakMetrics.clear();
        try (EmbeddedKafka kafka = BenchKafka.startBroker(err)) {
            String bootstrap = kafka.bootstrapServers();
            Configuration conf = configuration(bootstrap, checkpoints);
            for (String topic :
                    List.of(
                            conf.get(JobOptions.EVENTS_TOPIC),
                            conf.get(JobOptions.PREDICTIONS_TOPIC),
                            conf.get(JobOptions.METRICS_TOPIC),
                            conf.get(JobOptions.DEAD_LETTER_TOPIC))) {
                createBoundedTopic(bootstrap, topic);
                kafka.createTopic(topic, 1);
            }
            StreamExecutionEnvironment env = LocalFlink.environment(conf);
            StreamCtrPipeline.build(env, conf);
            progress("starting the job and the load");
            JobClient job = env.executeAsync("streamctr soak");
            String predictions =
                    ".model." + settings.model() + "." + LearnerOperator.METRIC_PREDICTIONS;
            try (SoakProducer producer =
                    new SoakProducer(
                            bootstrap,
                            conf.get(JobOptions.EVENTS_TOPIC),
                            events,
                            MAX_LAG,
                            () -> (long) SoakMetrics.sumEndingWith(predictions).orElse(0))) {
                producer.start();
                List<Sample> samples = soak(job, producer, predictions, events.size());
                summary(samples, producer.passes());
            } finally {
                progress("stopping the job");
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } finally {
            deleteRecursively(checkpoints);
        }
    }

    private List<Sample> soak(
            JobClient job, SoakProducer producer, String predictions, int eventsPerPass)
            throws Exception {
        long durationMs = (long) (settings.minutes() * 60_000);
        out.printf(
                Locale.ROOT,
                "job soak: model %s, batch %d, %.1f min; MovieLens replayed in a loop (%s events a"
                    + " pass) at the rate the job sustains (at most %s events ahead); a line every"
                    + " minute%n",
                settings.model(),
                settings.batchSize(),
                settings.minutes(),
                count(eventsPerPass),
                count(MAX_LAG));
        out.println(
                "  min    RSS MiB  heap used  heap comm  non-heap  direct  other native  RocksDB "
                        + " ckpt KiB  (full)  ckpt ms  ckpts   events/s  predictions  backlog "
                        + " back-pressure ms/s");
        out.flush();
        List<Sample> samples = new ArrayList<>();
        long soakStart = System.nanoTime();
        Sample previous = sample(soakStart, predictions, producer);
        for (int minute = 1; ; minute++) {
            long due = soakStart + Math.min(minute * 60_000L, durationMs) * 1_000_000;
            while (System.nanoTime() < due) {
                if (producer.failure() != null) {
                    throw new IllegalStateException(
                            "the load failed: " + producer.failure(), producer.failure());
                }
                if (job.getJobStatus().get().isTerminalState()) {
                    throw new IllegalStateException("the job stopped: " + job.getJobStatus().get());
                }
                Thread.sleep(Math.min(1_000, Math.max(1, (due - System.nanoTime()) / 1_000_000)));
            }
            Sample s = sample(soakStart, predictions, producer);
            samples.add(s);
            print(s, previous);
            previous = s;
            if (s.elapsedMs() >= durationMs) {
                return samples;
            }
        }
    }

    private Sample sample(long soakStart, String predictions, SoakProducer producer) {
        long heapCommitted = ResidentMemory.heapCommittedBytes();
        long nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += Math.max(0, pool.getMemoryUsed()); // direct and mapped buffers
        }
        double rocksDb =
                SoakMetrics.sumEndingWith("size-all-mem-tables").orElse(0)
                        + SoakMetrics.max("rocksdb.block-cache-usage")
                                .orElse(SoakMetrics.sumEndingWith("block-cache-usage").orElse(0));
        return new Sample(
                (System.nanoTime() - soakStart) / 1_000_000,
                ResidentMemory.rssBytes().orElse(0),
                ResidentMemory.heapUsedBytes(),
                heapCommitted,
                nonHeap,
                direct,
                rocksDb,
                SoakMetrics.max("lastCheckpointSize").orElse(Double.NaN),
                SoakMetrics.max("lastCheckpointFullSize").orElse(Double.NaN),
                SoakMetrics.max("lastCheckpointDuration").orElse(Double.NaN),
                SoakMetrics.max("numberOfCompletedCheckpoints").orElse(0),
                (long) SoakMetrics.sumEndingWith(predictions).orElse(0),
                producer.produced(),
                backPressure());
    }

    /**
     * The source task's back-pressured time per second: near 1000 when the learner, downstream, is
     * the bottleneck.
     */
    private static double backPressure() {
        return SoakMetrics.max("backPressuredTimeMsPerSecond").orElse(Double.NaN);
    }

    private void print(Sample s, Sample previous) {
        double rate =
                (s.predictions() - previous.predictions())
                        * 1000.0
                        / Math.max(1, s.elapsedMs() - previous.elapsedMs());
        out.printf(
                Locale.ROOT,
                "  %4.1f %9s %10s %10s %9s %7s %13s %8s %9s %7s %8s %6.0f %10s %12s %8s %19s%n",
                s.elapsedMs() / 60_000.0,
                mib(s.rss()),
                mib(s.heapUsed()),
                mib(s.heapCommitted()),
                mib(s.nonHeapCommitted()),
                mib(s.direct()),
                mib(s.otherNative()),
                mib((long) s.rocksDb()),
                kib(s.checkpointBytes()),
                kib(s.checkpointFullBytes()),
                Double.isNaN(s.checkpointMs())
                        ? "n/a"
                        : String.format(Locale.ROOT, "%,.0f", s.checkpointMs()),
                s.checkpoints(),
                String.format(Locale.ROOT, "%,.0f", rate),
                count(s.predictions()),
                count(s.produced() - s.predictions()),
                Double.isNaN(s.backPressureMsPerSecond())
                        ? "n/a"
                        : String.format(Locale.ROOT, "%.0f", s.backPressureMsPerSecond()));
        out.flush();
    }

    private void summary(List<Sample> samples, long passes) {
        long warmup = settings.warmupMillis();
        List<Sample> after = samples.stream().filter(s -> s.elapsedMs() >= warmup).toList();
        Sample last = samples.get(samples.size() - 1);
        out.println();
        out.printf(
                Locale.ROOT,
                "soak: %s predictions in %.1f min (%s over the run, %d passes); memory columns in"
                        + " MiB; other native = RSS - heap committed - non-heap committed -"
                        + " direct/mapped buffers (libtorch tensors and allocator, RocksDB, thread"
                        + " stacks, Flink's network buffers, malloc)%n",
                count(last.predictions()),
                last.elapsedMs() / 60_000.0,
                rate(last.predictions() * 1000.0 / Math.max(1, last.elapsedMs())),
                passes);
        if (after.size() < 2) {
            out.println("soak: too short for a figure after the warm-up (" + warmup / 1000 + " s)");
            out.flush();
            return;
        }
        Sample first = after.get(0);
        double ckptMin =
                after.stream()
                        .mapToDouble(Sample::checkpointMs)
                        .filter(d -> !Double.isNaN(d))
                        .min()
                        .orElse(Double.NaN);
        double ckptMax =
                after.stream()
                        .mapToDouble(Sample::checkpointMs)
                        .filter(d -> !Double.isNaN(d))
                        .max()
                        .orElse(Double.NaN);
        double rateFirst = minuteRate(after, 1);
        double rateLast = minuteRate(after, after.size() - 1);
        out.printf(
                Locale.ROOT,
                "soak: RSS after warm-up (%.1f min) %s MiB, at end %s MiB: growth %+.1f %% (goal <"
                        + " 5 %%); outside the Java heap (RSS - heap committed) %s -> %s MiB (%+.1f"
                        + " %%); other native %s -> %s MiB; heap committed %s -> %s MiB%n",
                first.elapsedMs() / 60_000.0,
                mib(first.rss()),
                mib(last.rss()),
                ResidentMemory.growthPercent(first.rss(), last.rss()),
                mib(first.rss() - first.heapCommitted()),
                mib(last.rss() - last.heapCommitted()),
                ResidentMemory.growthPercent(
                        first.rss() - first.heapCommitted(), last.rss() - last.heapCommitted()),
                mib(first.otherNative()),
                mib(last.otherNative()),
                mib(first.heapCommitted()),
                mib(last.heapCommitted()));
        double[] trend = trendMiBPerHour(after);
        out.printf(
                Locale.ROOT,
                "soak: trend after warm-up (least squares over %d samples): RSS %+.1f MiB/h, other"
                        + " native %+.1f MiB/h, RocksDB %+.1f MiB/h%n",
                after.size(),
                trend[0],
                trend[1],
                trend[2]);
        out.printf(
                Locale.ROOT,
                "soak: last checkpoint duration after warm-up %.0f-%.0f ms; events/s in the first"
                        + " and last minute after warm-up %,.0f and %,.0f%n",
                ckptMin,
                ckptMax,
                rateFirst,
                rateLast);
        out.flush();
    }

    /** Least-squares slopes of RSS, other native and RocksDB memory over time, in MiB per hour. */
    static double[] trendMiBPerHour(List<Sample> samples) {
        double[] t = samples.stream().mapToDouble(s -> s.elapsedMs() / 3_600_000.0).toArray();
        return new double[] {
            slope(t, samples.stream().mapToDouble(s -> s.rss() / 1048576.0).toArray()),
            slope(t, samples.stream().mapToDouble(s -> s.otherNative() / 1048576.0).toArray()),
            slope(t, samples.stream().mapToDouble(s -> s.rocksDb() / 1048576.0).toArray())
        };
    }

    /** The least-squares slope of y over x; NaN for fewer than two distinct x. */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        double mx = java.util.Arrays.stream(x).average().orElse(Double.NaN);
        double my = java.util.Arrays.stream(y).average().orElse(Double.NaN);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx > 0 ? sxy / sxx : Double.NaN;
    }

    /**
     * Predictions per second in the minute that ends with sample {@code i} (of samples one minute
     * apart).
     */
    private static double minuteRate(List<Sample> samples, int i) {
        if (i == 0) {
            return Double.NaN;
        }
        Sample a = samples.get(i - 1);
        Sample b = samples.get(i);
        return (b.predictions() - a.predictions())
                * 1000.0
                / Math.max(1, b.elapsedMs() - a.elapsedMs());
    }

    private Configuration configuration(String bootstrap, Path checkpoints) {
        Configuration conf = LocalFlink.configuration(checkpoints, Bench.CHECKPOINT_INTERVAL);
        conf.set(JobOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(JobOptions.EVENTS_TOPIC, "soak.events");
        conf.set(JobOptions.PREDICTIONS_TOPIC, "soak.predictions");
        conf.set(JobOptions.METRICS_TOPIC, "soak.metrics");
        conf.set(JobOptions.DEAD_LETTER_TOPIC, "soak.deadletter");
        conf.set(JobOptions.GROUP_ID, "streamctr-soak");
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "streamctr-soak");
        conf.set(JobOptions.BOUNDED, false);
        conf.set(JobOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.EXACTLY_ONCE);
        conf.set(JobOptions.MODELS, List.of(settings.model()));
        conf.set(JobOptions.BATCH_SIZE, settings.batchSize());
        conf.set(JobOptions.DEVICE, settings.device());
        conf.setString("state.backend.rocksdb.metrics.size-all-mem-tables", "true");
        conf.setString("state.backend.rocksdb.metrics.block-cache-usage", "true");
        SoakMetrics.configure(conf);
        return conf;
    }

    /** A one-partition topic that keeps at most {@link #RETENTION_BYTES}. */
    private static void createBoundedTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(topic, 1, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            TopicConfig.RETENTION_BYTES_CONFIG,
                                                                    String.valueOf(RETENTION_BYTES),
                                                            TopicConfig.SEGMENT_BYTES_CONFIG,
                                                                    String.valueOf(
                                                                            RETENTION_BYTES / 4)))))
                    .all()
                    .get();
        }
    }

    private static String kib(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, "%,.0f", bytes / 1024);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d", bytes / (1024 * 1024));
    }

    private void progress(String message) {
        err.printf(
                Locale.ROOT,
                "[soak %s] %s%n",
                BenchFormat.clock((System.nanoTime() - startedAt) / 1_000_000),
                message);
        err.flush();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
