package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.export.PackageExporter;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 under a running job with checkpoints: periodic exports appear, each loads and none is
 * seen half-written by a reader polling during the run; a second job warm-started from the last
 * package scores its first events as the package does, and a frozen copy beside it never moves.
 */
class ModelLifecycleITCase {

    private static final int EVENTS = 3_000;
    private static final int BATCH = 64;

    /** Slows the source down so that the run spans many checkpoints. */
    private static final class Slow implements MapFunction<DecodedRecord, DecodedRecord> {
        @Override
        public DecodedRecord map(DecodedRecord r) throws Exception {
            Thread.sleep(1);
            return r;
        }
    }

    private static Configuration conf(Path checkpoints, Duration every, String... models) {
        Configuration conf = LocalFlink.configuration(checkpoints, every);
        conf.set(JobOptions.MODELS, List.of(models));
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.BATCH_SIZE, BATCH);
        conf.set(JobOptions.HASH_BUCKETS, 1024);
        conf.set(JobOptions.METRICS_ENABLED, false);
        return conf;
    }

    /** The job on {@code events}, its predictions collected. */
    private static List<Prediction> run(Configuration conf, List<ClickEvent> events, boolean slow)
            throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        List<DecodedRecord> records =
                events.stream().map(e -> DecodedRecord.newBuilder().setEvent(e).build()).toList();
        DataStream<DecodedRecord> decoded =
                env.fromData(records, new AvroTypeInfo<>(DecodedRecord.class)).uid("test-source");
        if (slow) {
            decoded = decoded.map(new Slow()).returns(new AvroTypeInfo<>(DecodedRecord.class));
        }
        StreamCtrPipeline.Streams streams =
                StreamCtrPipeline.buildFrom(decoded, conf, StreamCtrPipeline.models(conf));
        List<Prediction> out = new ArrayList<>();
        try (CloseableIterator<Prediction> it = streams.predictions().executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void exportsWhileRunningAndWarmStartsTheNextJob(@TempDir Path dir) throws Exception {
        Path exports = dir.resolve("exports");
        Configuration conf = conf(dir.resolve("chk1"), Duration.ofMillis(200), "ftrl");
        conf.set(JobOptions.EXPORT_PATH, exports.toUri().toString());
        conf.set(JobOptions.EXPORT_EVERY, "300 steps");
        conf.set(JobOptions.EXPORT_KEEP, 3);
        List<ClickEvent> events = TestExamples.events(EVENTS, 21);

        Set<Long> loaded = new ConcurrentSkipListSet<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread reader =
                new Thread(() -> poll(exports.resolve("ftrl"), loaded, failures), "package-reader");
        reader.setDaemon(true);
        reader.start();
        run(conf, events, true);
        reader.interrupt();
        reader.join(10_000);

        assertThat(failures).isEmpty();
        assertThat(loaded).hasSizeGreaterThanOrEqualTo(2);
        List<String> left;
        try (Stream<Path> listed = Files.list(exports.resolve("ftrl"))) {
            left = listed.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(left).hasSizeBetween(1, 3).allMatch(n -> n.matches("step-\\d+"));
        long last = left.stream().mapToLong(PackageExporter::step).max().orElseThrow();
        assertThat(last).as("the final checkpoint exports the final model").isEqualTo(EVENTS);

        // a new job from the last package, a frozen copy of it beside the learning one, and a deep
        // learner from a package made here (no checkpoint during its 128 events: whole batches)
        Path pkg = exports.resolve("ftrl").resolve("step-" + last);
        Configuration next =
                conf(
                        dir.resolve("chk2"),
                        Duration.ofSeconds(1),
                        "ftrl",
                        "champion=ftrl",
                        "deep=dnn-tiny");
        next.setString("ctr.model.ftrl.warm-start", pkg.toString());
        next.setString("ctr.model.champion.warm-start", pkg.toString());
        next.setString("ctr.model.champion.train", "false");
        Path deepPackage = dir.resolve("dnn-tiny");
        try (OnlineLearner deep =
                Learners.create(
                        "dnn-tiny",
                        StreamCtrPipeline.featureSpec(next),
                        TrainerConfig.defaults(),
                        "cpu")) {
            List<Example> seen = TestExamples.examples(5 * BATCH, 23);
            for (int from = 0; from < seen.size(); from += BATCH) {
                deep.process(seen.subList(from, from + BATCH));
            }
            ModelPackage.save(deep, deepPackage);
        }
        next.setString("ctr.model.deep.warm-start", deepPackage.toString());
        List<ClickEvent> later = TestExamples.events(2 * BATCH, 22);
        List<Example> examples =
                new SequenceEnrichment(
                                "genres",
                                JobOptions.SEQUENCE_LENGTH.defaultValue(),
                                JobOptions.CONTEXT_ONLY_ACTIONS.defaultValue())
                        .enrichAll(later);
        float[] packageScores;
        try (ModelPackage loadedPackage = ModelPackage.load(pkg, "cpu")) {
            packageScores = loadedPackage.learner().process(examples.subList(0, BATCH)).scores();
        }
        float[] deepScores;
        try (ModelPackage loadedPackage = ModelPackage.load(deepPackage, "cpu")) {
            deepScores = loadedPackage.learner().process(examples.subList(0, BATCH)).scores();
        }

        List<Prediction> predictions = run(next, later, false);

        List<Prediction> learning =
                predictions.stream().filter(p -> p.getModelName().equals("ftrl")).toList();
        List<Prediction> champion =
                predictions.stream().filter(p -> p.getModelName().equals("champion")).toList();
        assertThat(learning).hasSize(2 * BATCH);
        assertThat(champion).hasSize(2 * BATCH).allMatch(p -> p.getModelVersion() == last);
        assertThat(learning.get(0).getModelVersion()).isEqualTo(last);
        assertThat(learning.get(BATCH).getModelVersion()).isEqualTo(last + BATCH);
        for (int i = 0; i < BATCH; i++) {
            assertThat(learning.get(i).getEventId()).isEqualTo(later.get(i).getEventId());
            assertThat(learning.get(i).getScore()).as("event %d", i).isEqualTo(packageScores[i]);
        }
        List<Prediction> deep =
                predictions.stream().filter(p -> p.getModelName().equals("deep")).toList();
        assertThat(deep).hasSize(2 * BATCH);
        assertThat(deep.get(0).getModelVersion()).isEqualTo(5);
        assertThat(deep.get(BATCH).getModelVersion()).as("the package's step + 1").isEqualTo(6);
        for (int i = 0; i < BATCH; i++) {
            assertThat(deep.get(i).getScore()).as("deep event %d", i).isEqualTo(deepScores[i]);
        }
    }

    /** Loads the newest package under {@code root} again and again until interrupted. */
    private static void poll(Path root, Set<Long> loaded, List<String> failures) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Stream<Path> listed = Files.exists(root) ? Files.list(root) : Stream.empty()) {
                Path newest =
                        listed.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                                .max(
                                        Comparator.comparingLong(
                                                p ->
                                                        PackageExporter.step(
                                                                p.getFileName().toString())))
                                .orElse(null);
                if (newest != null) {
                    long step = PackageExporter.step(newest.getFileName().toString());
                    if (!loaded.contains(step)) {
                        try (ModelPackage pkg = ModelPackage.load(newest, "cpu")) {
                            if (pkg.manifest().step() != step) {
                                failures.add(newest + " holds step " + pkg.manifest().step());
                            }
                        }
                        loaded.add(step);
                    }
                }
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures.add(e.toString());
            }
        }
    }
}
