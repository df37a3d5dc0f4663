package io.streamctr.bench;

import static io.streamctr.bench.BenchFormat.count;
import static io.streamctr.bench.BenchFormat.rate;
import static io.streamctr.bench.BenchFormat.ratio;
import static io.streamctr.bench.BenchFormat.seconds;
import static io.streamctr.bench.BenchFormat.verdict;

import ai.djl.pytorch.jni.JniUtils;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafka;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.source.StartingOffsets;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.MetricsReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code streamctr bench}: in one JVM and one run, after warm-up runs, measures
 *
 * <ol>
 *   <li>the raw learner loop ({@link LearnerLoop}) against the whole job ({@link
 *       StreamCtrPipeline#build} on a {@link LocalFlink} MiniCluster reading an {@link
 *       EmbeddedKafka} topic) on the same events, and the whole job with its streaming metrics
 *       switched off ({@link JobOptions#METRICS_ENABLED}) for their cost;
 *   <li>the whole job's event → prediction latency at fixed loads, fractions of its peak rate from
 *       the runs above, for each batch timeout ({@link JobLatency}; issue 18, item 1);
 *   <li>Kafka → decode → keyBy → {@code SequenceEnricher} → Kafka against a Kafka → decode → Kafka
 *       passthrough ({@link BenchPipelines}) over several passes of the data;
 *   <li>optionally, the resident size over a long run of the learner loop.
 * </ol>
 *
 * The table goes to {@code out}, progress to {@code err}. Every Flink run uses the embedded
 * default's configuration: RocksDB, incremental checkpoints every 3 s, exactly-once sinks,
 * parallelism 1.
 */
public final class Bench {

    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(3);

    /** Issue 18's goal for the whole job's rate over the raw learner loop's. */
    public static final double JOB_GOAL = 0.8;

    /** Issue 18's goal for the enricher's rate over a Kafka → Flink → Kafka passthrough's. */
    public static final double ENRICHER_GOAL = 0.4;

    private final BenchSettings settings;
    private final LatencySettings latency;
    private final PrintStream out;
    private final PrintStream err;
    private final long startedAt = System.nanoTime();
    private int runs;
    private String bootstrapServers;

    /**
     * Latency goal (issue 18): p99 at half the peak rate with the default batch size and timeout.
     */
    public static final long LATENCY_P99_GOAL_MS = 100;

    public Bench(BenchSettings settings, PrintStream out, PrintStream err) {
        this(settings, LatencySettings.defaults(), out, err);
    }

    public Bench(
            BenchSettings settings, LatencySettings latency, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.latency = latency;
        this.out = out;
        this.err = err;
    }

    /** Runs everything the settings ask for and prints the table; closes what it started. */
    public void run() throws Exception {
        OptionalLong rssAtStart = ResidentMemory.rssBytes();
        // the Kafka source registers its consumer's metrics twice: hundreds of harmless warnings
        // per run
        Configurator.setLevel("org.apache.flink.metrics.MetricGroup", Level.ERROR);
        Configurator.setLevel("org.apache.flink.runtime.metrics.groups", Level.ERROR);
        DjlRuntime.configure();
        Configuration jobDefaults = jobConfiguration("unused", "unused");
        FeatureSpec spec = StreamCtrPipeline.featureSpec(jobDefaults);
        TrainerConfig trainerConfig = trainerConfig(jobDefaults);

        progress("reading " + settings.dataDir());
        List<ClickEvent> events = MovieLensReader.read(settings.dataDir());
        if (settings.limit() > 0 && events.size() > settings.limit()) {
            events = events.subList(0, settings.limit());
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events in " + settings.dataDir());
        }
        int passes = settings.effectivePasses(events.size());
        progress("enriching " + count(events.size()) + " events in memory");
        List<Example> examples =
                BenchEvents.enrich(events, spec.sideField(), spec.sequenceLength());
        int warmup = Math.min(settings.warmupEvents(), events.size());

        // the engine is loaded here, so the thread counts below are the ones every run uses
        try (LearnerLoop probe =
                new LearnerLoop(
                        settings.model(),
                        spec,
                        trainerConfig,
                        settings.batchSize(),
                        settings.device())) {
            printHeader(events, passes, probe.device().toString());
        }

        LearnerLoop.Result alone = null;
        if (!settings.skipJob()) {
            // the same loop before any broker or MiniCluster exists in this JVM, for reference
            progress(
                    "warm-up: learner loop over "
                            + count(warmup)
                            + " examples, nothing else started");
            loop(examples.subList(0, warmup), spec, trainerConfig, "learner loop warm-up");
            progress(
                    "measuring: learner loop over "
                            + count(examples.size())
                            + " examples, nothing else started");
            alone = loop(examples, spec, trainerConfig, "learner loop (alone)");
            progress("learner loop, alone: " + rate(alone.eventsPerSecond()));
        }
        boolean givenPeak = !latency.skip() && latency.peakRate() > 0;
        if (!settings.skipJob() || !settings.skipEnricher() || givenPeak) {
            progress("starting the embedded Kafka broker");
            try (EmbeddedKafka kafka = BenchKafka.startBroker(err)) {
                String bootstrap = kafka.bootstrapServers();
                bootstrapServers = bootstrap;
                if (settings.skipJob() && givenPeak) {
                    latency(kafka, bootstrap, events, latency.peakRate());
                }
                if (!settings.skipJob()) {
                    double measured =
                            learnerVsJob(
                                    kafka,
                                    bootstrap,
                                    events,
                                    examples,
                                    warmup,
                                    spec,
                                    trainerConfig,
                                    alone);
                    if (!latency.skip()) {
                        latency(
                                kafka,
                                bootstrap,
                                events,
                                givenPeak ? latency.peakRate() : measured);
                    }
                }
                if (!settings.skipEnricher()) {
                    enricherVsPassthrough(kafka, bootstrap, events, passes);
                }
                progress("stopping the embedded Kafka broker");
            }
        }
        if (settings.soakMinutes() > 0) {
            soak(examples, spec, trainerConfig);
        }
        OptionalLong rssAtEnd = ResidentMemory.rssBytes();
        out.println();
        out.println(
                "resident memory (VmRSS) of this JVM: at start "
                        + ResidentMemory.mib(rssAtStart)
                        + ", at end "
                        + ResidentMemory.mib(rssAtEnd)
                        + "; heap used now "
                        + ResidentMemory.mib(ResidentMemory.heapUsedBytes())
                        + "; total time "
                        + seconds(elapsedMs()));
        out.flush();
    }

    // ---------------------------------------------------------------- learner loop vs whole job

    /** Runs the comparison, prints it; returns the job's rate with metrics on (mean of 2 runs). */
    private double learnerVsJob(
            EmbeddedKafka kafka,
            String bootstrap,
            List<ClickEvent> events,
            List<Example> examples,
            int warmup,
            FeatureSpec spec,
            TrainerConfig trainerConfig,
            LearnerLoop.Result alone)
            throws Exception {
        progress("filling the job's input topics");
        String warmTopic = "bench.job-warmup.events";
        String jobTopic = "bench.job.events";
        kafka.createTopic(warmTopic, 1);
        kafka.createTopic(jobTopic, 1);
        BenchKafka.produce(bootstrap, warmTopic, events.subList(0, warmup), 1, null);
        BenchKafka.produce(bootstrap, jobTopic, events, 1, null);

        progress("warm-up: whole job over " + count(warmup) + " events");
        runJob(kafka, bootstrap, warmTopic, "job-warmup", true);

        progress("measuring: learner loop over " + count(examples.size()) + " examples");
        LearnerLoop.Result loop = loop(examples, spec, trainerConfig, "learner loop");
        progress(
                String.format(
                        Locale.ROOT,
                        "learner loop: %s (%s)",
                        rate(loop.eventsPerSecond()),
                        seconds(loop.nanos() / 1_000_000)));
        progress("measuring: whole job over " + count(events.size()) + " events");
        JobRun job = runJob(kafka, bootstrap, jobTopic, "job", true);
        progress(
                "measuring: whole job with "
                        + JobOptions.LEARNER_OWN_TASK.key()
                        + "=true (the learner on a thread of its own)");
        JobRun ownTask = runJob(kafka, bootstrap, jobTopic, "job-own-task", true, true);
        // metrics on vs off in the order on, off, off, on, so a drift of the machine's speed
        // cancels out
        progress(
                "measuring: whole job twice with "
                        + JobOptions.METRICS_ENABLED.key()
                        + "=false, then once more with metrics");
        JobRun off1 = runJob(kafka, bootstrap, jobTopic, "job-metrics-off-1", false);
        JobRun off2 = runJob(kafka, bootstrap, jobTopic, "job-metrics-off-2", false);
        JobRun on2 = runJob(kafka, bootstrap, jobTopic, "job-metrics-on-2", true);
        double metricsAlone =
                MetricsCost.predictionsPerSecond(
                        events,
                        JobOptions.METRICS_WINDOW.defaultValue(),
                        JobOptions.METRICS_REPORT_EVERY.defaultValue());

        double jobRate = job.predictions.eventsPerSecond();
        double netRate = job.predictions.count() * 1000.0 / Math.max(1, job.netRuntimeMs);
        out.println();
        out.println(
                "1. learner loop vs whole job: "
                        + count(events.size())
                        + " events (one pass), model "
                        + settings.model()
                        + ", batch "
                        + settings.batchSize()
                        + ", after warm-up runs of "
                        + count(warmup)
                        + " events");
        out.printf(
                Locale.ROOT,
                "   learner loop   %14s   encode + predict + train, %s steps in %s, no Flink, no"
                        + " Kafka (broker up, after the job warm-up)%n",
                rate(loop.eventsPerSecond()),
                count(loop.steps()),
                seconds(loop.nanos() / 1_000_000));
        out.printf(
                Locale.ROOT,
                "   job            %14s   first -> last prediction (Prediction.processingTime),"
                        + " excludes startup%n",
                rate(jobRate));
        out.printf(
                Locale.ROOT,
                "   ratio job / loop %12s   %s%n",
                ratio(jobRate, loop.eventsPerSecond()),
                verdict(jobRate, loop.eventsPerSecond(), JOB_GOAL));
        double ownRate = ownTask.predictions.eventsPerSecond();
        out.printf(
                Locale.ROOT,
                "   job, own task  %14s   the same with %s=true (learner and enricher on two"
                        + " threads); / loop %s, / job %s%n",
                rate(ownRate),
                JobOptions.LEARNER_OWN_TASK.key(),
                ratio(ownRate, loop.eventsPerSecond()),
                ratio(ownRate, jobRate));
        out.printf(
                Locale.ROOT,
                "   (learner loop measured before the broker and any MiniCluster started: %s; job /"
                        + " that %s)%n",
                rate(alone.eventsPerSecond()),
                ratio(jobRate, alone.eventsPerSecond()));
        out.printf(
                Locale.ROOT,
                "   job, other clocks: %s over the job's net runtime %s (includes task start, Kafka"
                    + " partition discovery, model init and the final checkpoint);"
                    + " MetricsReport.eventsPerSecond %s (since the metrics operator opened); %s"
                    + " wall incl. MiniCluster start%n",
                rate(netRate),
                seconds(job.netRuntimeMs),
                job.finalReport == null || job.finalReport.getEventsPerSecond() == null
                        ? "n/a"
                        : rate(job.finalReport.getEventsPerSecond()),
                seconds(job.wallMs));
        out.printf(
                Locale.ROOT,
                "   check: %s predictions, %s distinct event ids for %s events%s%n",
                count(job.predictions.count()),
                count(job.predictions.distinctEvents()),
                count(events.size()),
                job.finalReport == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; final lifetime AUC %.4f, NE %.4f, model version %d",
                                nan(job.finalReport.getLifetimeAuc()),
                                nan(job.finalReport.getLifetimeNe()),
                                job.finalReport.getModelVersion()));
        double on = (jobRate + on2.predictions.eventsPerSecond()) / 2;
        double off = (off1.predictions.eventsPerSecond() + off2.predictions.eventsPerSecond()) / 2;
        out.println();
        out.println(
                "2. the streaming metrics' cost: the same job and events with "
                        + JobOptions.METRICS_ENABLED.key()
                        + " true and false, run in the order on, off, off, on");
        out.printf(
                Locale.ROOT,
                "   metrics on     %14s   mean of %s and %s, first -> last prediction%n",
                rate(on),
                rate(jobRate),
                rate(on2.predictions.eventsPerSecond()));
        out.printf(
                Locale.ROOT,
                "   metrics off    %14s   mean of %s and %s (%s and %s predictions)%n",
                rate(off),
                rate(off1.predictions.eventsPerSecond()),
                rate(off2.predictions.eventsPerSecond()),
                count(off1.predictions.count()),
                count(off2.predictions.count()));
        out.printf(Locale.ROOT, "   ratio on / off %14s%n", ratio(on, off));
        out.printf(
                Locale.ROOT,
                "   metrics alone  %14s   predictions/s through the accumulator (window %s, a"
                        + " report every %s), no Flink: at the job's rate it takes %.1f %% of one"
                        + " core%n",
                rate(metricsAlone),
                count(JobOptions.METRICS_WINDOW.defaultValue()),
                count(JobOptions.METRICS_REPORT_EVERY.defaultValue()),
                100.0 * on / metricsAlone);
        out.flush();
        return on;
    }

    // ---------------------------------------------------------------- latency under a fixed load

    private void latency(
            EmbeddedKafka kafka, String bootstrap, List<ClickEvent> events, double peak)
            throws Exception {
        JobLatency bench =
                new JobLatency(kafka, bootstrap, events, settings.model(), this::progress);
        List<JobLatency.Run> results = new java.util.ArrayList<>();
        for (long timeout : latency.batchTimeoutsMs()) {
            for (long idle : latency.batchIdleTimeoutsMs()) {
                for (double load : latency.loads()) {
                    results.add(latencyRun(bench, load, peak, timeout, idle));
                }
            }
        }
        long defaultTimeout = JobOptions.BATCH_TIMEOUT.defaultValue().toMillis();
        long defaultIdle = JobOptions.BATCH_IDLE_TIMEOUT.defaultValue().toMillis();
        out.println();
        out.printf(
                Locale.ROOT,
                "4. event -> prediction latency: the job (model %s, batch %d) fed at a fixed rate"
                    + " (token bucket) of a fraction of its peak %s (%s); per run %.0f s warm-up"
                    + " after the first prediction, then %.0f s measured; Flink's network buffer"
                    + " timeout (the keyBy exchange) %s%n",
                settings.model(),
                settings.batchSize(),
                rate(peak),
                latency.peakRate() > 0
                        ? "given: --latency-peak"
                        : "the job with metrics, 1. and 2. above",
                latency.warmupSeconds(),
                latency.seconds(),
                latency.networkBufferTimeoutMs() < 0
                        ? "Flink's default, "
                                + ExecutionOptions.BUFFER_TIMEOUT.defaultValue().toMillis()
                                + " ms"
                        : latency.networkBufferTimeoutMs()
                                + " ms (--latency-network-buffer-timeout)");
        out.println(
                "   emitted = the prediction record's Kafka timestamp (LogAppendTime: the sink's"
                        + " write reaching the broker, before its transaction commits) - the"
                        + " event record's Kafka timestamp (CreateTime, set by the producer at"
                        + " send; also the event time)");
        out.println(
                "   scored  = Prediction.processingTime (the batch scored, before the update) -"
                        + " the same CreateTime; a read_committed reader waits on top for the"
                        + " checkpoint's commit (every "
                        + latency.checkpointSeconds()
                        + " s)");
        out.println(
                "   load   target ev/s    sent ev/s   batch-timeout / idle-timeout   predictions"
                        + "   emitted p50 / p99 / max ms   scored p50 / p99 / max ms   missing");
        for (JobLatency.Run r : results) {
            out.printf(
                    Locale.ROOT,
                    "   %3.0f %%  %11s  %11s   %25s ms   %11s   %26s   %25s   %7s%n",
                    r.load() * 100,
                    String.format(Locale.ROOT, "%,.0f", r.targetRate()),
                    String.format(Locale.ROOT, "%,.0f", r.sentRate()),
                    r.batchTimeoutMs() + " / " + r.batchIdleTimeoutMs(),
                    count(r.emitted().count()),
                    r.emitted().p50() + " / " + r.emitted().p99() + " / " + r.emitted().max(),
                    r.scored().p50() + " / " + r.scored().p99() + " / " + r.scored().max(),
                    count(r.missing()));
        }
        for (JobLatency.Run r : results) {
            if (r.load() == 0.5
                    && r.batchTimeoutMs() == defaultTimeout
                    && r.batchIdleTimeoutMs() == defaultIdle) {
                out.printf(
                        Locale.ROOT,
                        "   goal: emitted p99 <= %d ms at 50 %% of the peak, batch %d, the job's"
                                + " default timeouts %d / %d ms: %d ms, %s%n",
                        LATENCY_P99_GOAL_MS,
                        settings.batchSize(),
                        defaultTimeout,
                        defaultIdle,
                        r.emitted().p99(),
                        r.emitted().p99() <= LATENCY_P99_GOAL_MS ? "met" : "NOT met");
            }
        }
        out.flush();
    }

    private JobLatency.Run latencyRun(
            JobLatency bench, double load, double peak, long timeout, long idle) throws Exception {
        String label =
                String.format(Locale.ROOT, "latency-%.0f-%dms-idle%dms", load * 100, timeout, idle);
        progress(
                String.format(
                        Locale.ROOT,
                        "measuring: latency at %.0f %% of %s (%s), batch timeout %d ms, idle %d ms",
                        load * 100,
                        rate(peak),
                        rate(load * peak),
                        timeout,
                        idle));
        Configuration conf = jobConfiguration("bench." + label + ".events", label);
        JobLatency.Run run = bench.measure(conf, load, peak, timeout, idle, latency);
        progress(
                String.format(
                        Locale.ROOT,
                        "%s: emitted p50 %d, p99 %d, max %d ms over %s events",
                        label,
                        run.emitted().p50(),
                        run.emitted().p99(),
                        run.emitted().max(),
                        count(run.emitted().count())));
        return run;
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    private LearnerLoop.Result loop(
            List<Example> examples, FeatureSpec spec, TrainerConfig trainerConfig, String label) {
        try (LearnerLoop loop =
                new LearnerLoop(
                        settings.model(),
                        spec,
                        trainerConfig,
                        settings.batchSize(),
                        settings.device())) {
            Throttle throttle = new Throttle();
            return loop.run(
                    examples,
                    done -> {
                        if (throttle.due()) {
                            progress(
                                    String.format(
                                            Locale.ROOT,
                                            "%s: %s / %s examples",
                                            label,
                                            count(done),
                                            count(examples.size())));
                        }
                    });
        }
    }

    private record JobRun(
            long wallMs,
            long netRuntimeMs,
            BenchKafka.PredictionStats predictions,
            MetricsReport finalReport) {}

    private JobRun runJob(
            EmbeddedKafka kafka, String bootstrap, String inputTopic, String label, boolean metrics)
            throws Exception {
        return runJob(kafka, bootstrap, inputTopic, label, metrics, false);
    }

    private JobRun runJob(
            EmbeddedKafka kafka,
            String bootstrap,
            String inputTopic,
            String label,
            boolean metrics,
            boolean learnerOwnTask)
            throws Exception {
        Configuration conf = jobConfiguration(inputTopic, label);
        conf.set(JobOptions.METRICS_ENABLED, metrics);
        conf.set(JobOptions.LEARNER_OWN_TASK, learnerOwnTask);
        kafka.createTopic(conf.get(JobOptions.PREDICTIONS_TOPIC), 1);
        kafka.createTopic(conf.get(JobOptions.METRICS_TOPIC), 1);
        kafka.createTopic(conf.get(JobOptions.DEAD_LETTER_TOPIC), 1);
        Timed timed =
                execute(
                        conf,
                        env -> StreamCtrPipeline.build(env, conf),
                        "streamctr bench " + label);
        progress(
                label
                        + ": job finished in "
                        + seconds(timed.wallMs)
                        + "; reading its predictions back");
        BenchKafka.PredictionStats predictions =
                BenchKafka.predictions(bootstrap, conf.get(JobOptions.PREDICTIONS_TOPIC));
        MetricsReport report =
                BenchKafka.finalReport(bootstrap, conf.get(JobOptions.METRICS_TOPIC));
        progress(
                String.format(
                        Locale.ROOT,
                        "%s: %s first -> last prediction",
                        label,
                        rate(predictions.eventsPerSecond())));
        return new JobRun(timed.wallMs, timed.netRuntimeMs, predictions, report);
    }

    // ---------------------------------------------------------------- enricher vs passthrough

    private void enricherVsPassthrough(
            EmbeddedKafka kafka, String bootstrap, List<ClickEvent> events, int passes)
            throws Exception {
        String warmTopic = "bench.enrich-warmup.events";
        String topic = "bench.enrich.events";
        kafka.createTopic(warmTopic, 1);
        kafka.createTopic(topic, 1);
        long total = (long) events.size() * passes;
        progress("filling the enricher's input topics: 1 + " + passes + " passes");
        BenchKafka.produce(bootstrap, warmTopic, events, 1, null);
        long t0 = System.nanoTime();
        BenchKafka.produce(
                bootstrap,
                topic,
                events,
                passes,
                n -> progress("filling " + topic + ": " + count(n) + " / " + count(total)));
        long produceMs = (System.nanoTime() - t0) / 1_000_000;

        progress("warm-up: passthrough and enricher over " + count(events.size()) + " events");
        runSmall(kafka, bootstrap, warmTopic, "passthrough-warmup", true);
        runSmall(kafka, bootstrap, warmTopic, "enricher-warmup", false);
        progress("measuring: passthrough over " + count(total) + " events");
        SmallRun passthrough = runSmall(kafka, bootstrap, topic, "passthrough", true);
        progress("measuring: enricher over " + count(total) + " events");
        SmallRun enricher = runSmall(kafka, bootstrap, topic, "enricher", false);

        out.println();
        out.println(
                "3. enricher vs passthrough: "
                        + count(total)
                        + " events ("
                        + passes
                        + " passes of "
                        + count(events.size())
                        + "), after a one-pass warm-up of each; input produced at "
                        + rate(total * 1000.0 / Math.max(1, produceMs)));
        out.printf(
                Locale.ROOT,
                "   passthrough    %14s   first -> last output record (broker LogAppendTime),"
                        + " excludes startup; %s over net runtime %s; output ~%.0f B/record%n",
                rate(passthrough.rate(total)),
                rate(total * 1000.0 / Math.max(1, passthrough.netRuntimeMs)),
                seconds(passthrough.netRuntimeMs),
                passthrough.span.tailValueBytes());
        out.printf(
                Locale.ROOT,
                "   enricher       %14s   first -> last output record (broker LogAppendTime),"
                        + " excludes startup; %s over net runtime %s; output ~%.0f B/record%n",
                rate(enricher.rate(total)),
                rate(total * 1000.0 / Math.max(1, enricher.netRuntimeMs)),
                seconds(enricher.netRuntimeMs),
                enricher.span.tailValueBytes());
        out.printf(
                Locale.ROOT,
                "   check: output offsets (records + transaction markers) passthrough %s, enricher"
                        + " %s, for %s events%n",
                count(passthrough.span.offsets()),
                count(enricher.span.offsets()),
                count(total));
        out.printf(
                Locale.ROOT,
                "   ratio enricher / passthrough %s   %s (net-runtime ratio %s)%n",
                ratio(enricher.rate(total), passthrough.rate(total)),
                verdict(enricher.rate(total), passthrough.rate(total), ENRICHER_GOAL),
                ratio(
                        1.0 / Math.max(1, enricher.netRuntimeMs),
                        1.0 / Math.max(1, passthrough.netRuntimeMs)));
        out.printf(
                Locale.ROOT,
                "   CPU of this JVM per event (broker, producers, Flink): passthrough %.1f µs,"
                        + " enricher %.1f µs; ratio passthrough / enricher %s (the rate ratio"
                        + " were CPU the only limit)%n",
                passthrough.cpuMicrosPerEvent(total),
                enricher.cpuMicrosPerEvent(total),
                ratio(passthrough.cpuMicrosPerEvent(total), enricher.cpuMicrosPerEvent(total)));
        out.flush();
    }

    /**
     * One enricher or passthrough run; {@code cpuNanos}: this JVM's CPU time during it (the
     * broker's, the producer's and Flink's threads together), which other sessions' load changes
     * less than the wall-clock rate.
     */
    private record SmallRun(long wallMs, long netRuntimeMs, BenchKafka.Span span, long cpuNanos) {
        double rate(long events) {
            return span.millis() <= 0 ? Double.NaN : (events - 1) * 1000.0 / span.millis();
        }

        double cpuMicrosPerEvent(long events) {
            return cpuNanos / 1000.0 / events;
        }
    }

    /** This JVM's CPU time so far, ns (-1 where the platform does not say). */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    private SmallRun runSmall(
            EmbeddedKafka kafka,
            String bootstrap,
            String inputTopic,
            String label,
            boolean passthrough)
            throws Exception {
        Configuration conf = jobConfiguration(inputTopic, label);
        String output = "bench." + label + ".out";
        BenchKafka.createLogAppendTimeTopic(bootstrap, output);
        kafka.createTopic(output, 1); // exists now; waits for its leader
        long cpu0 = processCpuNanos();
        Timed timed =
                execute(
                        conf,
                        env -> {
                            if (passthrough) {
                                BenchPipelines.passthrough(env, conf, output);
                            } else {
                                BenchPipelines.enricher(env, conf, output);
                            }
                        },
                        "streamctr bench " + label);
        BenchKafka.Span span = BenchKafka.firstAndLastTimestamps(bootstrap, output);
        progress(
                String.format(
                        Locale.ROOT,
                        "%s: net runtime %s, first -> last output %s",
                        label,
                        seconds(timed.netRuntimeMs),
                        seconds(span.millis())));
        return new SmallRun(timed.wallMs, timed.netRuntimeMs, span, processCpuNanos() - cpu0);
    }

    // ---------------------------------------------------------------- soak

    private void soak(List<Example> examples, FeatureSpec spec, TrainerConfig trainerConfig) {
        long durationMs = (long) (settings.soakMinutes() * 60_000);
        out.println();
        out.printf(
                Locale.ROOT,
                "5. resident memory soak: the raw learner loop (one trainer, as a long-running"
                        + " learner) over repeated passes of %s examples for %.1f min; a line every"
                        + " minute%n",
                count(examples.size()),
                settings.soakMinutes());
        out.println(
                "   elapsed   RSS          heap used    heap committed   events so far   passes");
        out.flush();
        AtomicLong eventsSoFar = new AtomicLong();
        AtomicLong passesDone = new AtomicLong();
        long soakStart = System.nanoTime();
        ScheduledExecutorService sampler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "bench-rss-sampler");
                            t.setDaemon(true);
                            return t;
                        });
        Runnable line =
                () -> {
                    long ms = (System.nanoTime() - soakStart) / 1_000_000;
                    out.printf(
                            Locale.ROOT,
                            "   %s     %-12s %-12s %-16s %13s   %d%n",
                            BenchFormat.clock(ms),
                            ResidentMemory.mib(ResidentMemory.rssBytes()),
                            ResidentMemory.mib(ResidentMemory.heapUsedBytes()),
                            ResidentMemory.mib(ResidentMemory.heapCommittedBytes()),
                            count(eventsSoFar.get()),
                            passesDone.get());
                    out.flush();
                };
        line.run();
        sampler.scheduleAtFixedRate(line, 60, 60, TimeUnit.SECONDS);
        long baseline = -1;
        long baselineHeap = -1;
        try (LearnerLoop loop =
                new LearnerLoop(
                        settings.model(),
                        spec,
                        trainerConfig,
                        settings.batchSize(),
                        settings.device())) {
            while ((System.nanoTime() - soakStart) / 1_000_000 < durationMs
                    || passesDone.get() < 2
                    || baseline < 0) {
                long before = eventsSoFar.get();
                loop.run(examples, done -> eventsSoFar.set(before + done));
                passesDone.incrementAndGet();
                long elapsed = (System.nanoTime() - soakStart) / 1_000_000;
                // warm-up: the heap grows towards its steady size for a while; one short pass is
                // not enough
                if (baseline < 0 && elapsed >= Math.min(60_000, durationMs / 2)) {
                    baseline = ResidentMemory.rssBytes().orElse(0);
                    baselineHeap = ResidentMemory.heapUsedBytes();
                    progress(
                            "soak: warm-up done after "
                                    + seconds(elapsed)
                                    + ", RSS "
                                    + ResidentMemory.mib(baseline));
                }
            }
            long end = ResidentMemory.rssBytes().orElse(0);
            sampler.shutdownNow();
            line.run();
            long ms = (System.nanoTime() - soakStart) / 1_000_000;
            out.printf(
                    Locale.ROOT,
                    "   soak: %s events in %s (%s, %d passes); RSS after warm-up (first pass ending"
                        + " >= 1 min in) %s, at end %s: growth after warm-up %s; heap used %s ->"
                        + " %s%n",
                    count(eventsSoFar.get()),
                    seconds(ms),
                    rate(eventsSoFar.get() * 1000.0 / Math.max(1, ms)),
                    passesDone.get(),
                    ResidentMemory.mib(baseline),
                    ResidentMemory.mib(end),
                    baseline > 0 && end > 0
                            ? String.format(
                                    Locale.ROOT,
                                    "%+.1f %%",
                                    ResidentMemory.growthPercent(baseline, end))
                            : "n/a",
                    ResidentMemory.mib(baselineHeap),
                    ResidentMemory.mib(ResidentMemory.heapUsedBytes()));
            out.flush();
        } finally {
            sampler.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- Flink runs

    private record Timed(long wallMs, long netRuntimeMs) {}

    private Timed execute(
            Configuration conf, Consumer<StreamExecutionEnvironment> build, String name)
            throws Exception {
        Path checkpoints = Files.createTempDirectory("streamctr-bench-checkpoints");
        try {
            Configuration flink = LocalFlink.configuration(checkpoints, CHECKPOINT_INTERVAL);
            flink.addAll(conf);
            StreamExecutionEnvironment env = LocalFlink.environment(flink);
            build.accept(env);
            long t0 = System.nanoTime();
            JobExecutionResult result = env.execute(name);
            long wallMs = (System.nanoTime() - t0) / 1_000_000;
            return new Timed(wallMs, result.getNetRuntime(TimeUnit.MILLISECONDS));
        } finally {
            deleteRecursively(checkpoints);
        }
    }

    /**
     * The job options of one run: its own topics, group and transactional ids; bounded;
     * exactly-once.
     */
    private Configuration jobConfiguration(String inputTopic, String label) {
        int id = ++runs;
        Configuration conf = new Configuration();
        if (bootstrapServers != null) {
            conf.set(JobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        conf.set(JobOptions.EVENTS_TOPIC, inputTopic);
        conf.set(JobOptions.PREDICTIONS_TOPIC, "bench." + label + ".predictions");
        conf.set(JobOptions.METRICS_TOPIC, "bench." + label + ".metrics");
        conf.set(JobOptions.DEAD_LETTER_TOPIC, "bench." + label + ".deadletter");
        conf.set(JobOptions.GROUP_ID, "bench-" + label + "-" + id);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + label + "-" + id);
        conf.set(JobOptions.BOUNDED, true);
        conf.set(JobOptions.STARTING_OFFSETS, StartingOffsets.EARLIEST);
        conf.set(JobOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.EXACTLY_ONCE);
        conf.set(JobOptions.MODELS, List.of(settings.model()));
        conf.set(JobOptions.BATCH_SIZE, settings.batchSize());
        conf.set(JobOptions.DEVICE, settings.device());
        return conf;
    }

    /** The trainer settings {@link StreamCtrPipeline#buildFrom} gives the learners. */
    private static TrainerConfig trainerConfig(Configuration conf) {
        return JobOptions.trainerConfig(conf);
    }

    // ---------------------------------------------------------------- output helpers

    private void printHeader(List<ClickEvent> events, int passes, String device) {
        Runtime rt = Runtime.getRuntime();
        long users = events.stream().map(ClickEvent::getUserId).distinct().count();
        out.printf(
                Locale.ROOT,
                "streamctr bench: Java %s (%s %s), %d cores, max heap %s, torch threads %d (interop"
                        + " %d), device %s%n",
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"),
                rt.availableProcessors(),
                ResidentMemory.mib(rt.maxMemory()),
                JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads(),
                device);
        out.printf(
                Locale.ROOT,
                "data: %s, %s events, %s users; model %s, batch %d; Flink: MiniCluster, parallelism"
                        + " 1, RocksDB, checkpoints every %d s, exactly-once Kafka sinks; Kafka:"
                        + " in-process KRaft broker in this JVM%n",
                settings.dataDir(),
                count(events.size()),
                count(users),
                settings.model(),
                settings.batchSize(),
                CHECKPOINT_INTERVAL.toSeconds());
        out.flush();
    }

    private void progress(String message) {
        err.printf(Locale.ROOT, "[bench %s] %s%n", BenchFormat.clock(elapsedMs()), message);
        err.flush();
    }

    private long elapsedMs() {
        return (System.nanoTime() - startedAt) / 1_000_000;
    }

    /** True at most every 5 s. */
    private static final class Throttle {
        private long last = System.nanoTime();

        boolean due() {
            long now = System.nanoTime();
            if (now - last >= 5_000_000_000L) {
                last = now;
                return true;
            }
            return false;
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException ignored) {
                                    // a temp folder left behind is harmless
                                }
                            });
        } catch (IOException | UncheckedIOException ignored) {
            // as above; Flink may still be removing a subsumed checkpoint while the walk lists it
        }
    }
}
