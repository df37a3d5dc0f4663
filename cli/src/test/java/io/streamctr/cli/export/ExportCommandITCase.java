package io.streamctr.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.cli.CliRun;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.sync.RestoredLearnerCheck;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job runs a learning ftrl beside a frozen dnn-tiny champion warm-started from a package, and is
 * stopped with a savepoint; the command exports each by its learner name. The champion's export is
 * the package it started from (same step, same scores); the ftrl learner's has learned.
 */
class ExportCommandITCase {

    /** Slows the source down so that the job is still running when it is stopped. */
    private static final class Slow implements MapFunction<DecodedRecord, DecodedRecord> {
        @Override
        public DecodedRecord map(DecodedRecord r) throws Exception {
            Thread.sleep(5);
            return r;
        }
    }

    @Test
    void exportsNamedLearnersFromASavepoint(@TempDir Path dir) throws Exception {
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), 1_500);
        List<Example> examples =
                new SequenceEnrichment("genres", 50, JobOptions.CONTEXT_ONLY_ACTIONS.defaultValue())
                        .enrichAll(events);
        // small tables and no target statistics: a small state, read quickly
        Configuration small = new Configuration();
        small.set(JobOptions.HASH_BUCKETS, 1024);
        FeatureSpec spec = StreamCtrPipeline.featureSpec(small);
        Path start = dir.resolve("start");
        try (OnlineLearner learner =
                Learners.create(
                        "dnn-tiny",
                        spec,
                        TrainerConfig.defaults(),
                        "cpu",
                        FreshnessConfig.defaults().withTargetStatistics(false))) {
            for (int from = 0; from < 320; from += 64) {
                learner.process(examples.subList(from, from + 64));
            }
            ModelPackage.save(learner, start);
        }
        Configuration conf =
                LocalFlink.configuration(dir.resolve("checkpoints"), Duration.ofMillis(500));
        conf.set(JobOptions.MODELS, List.of("ftrl", "champion=dnn-tiny"));
        conf.set(JobOptions.HASH_BUCKETS, 1024);
        conf.setString("ctr.model.champion.warm-start", start.toString());
        conf.setString("ctr.model.champion.train", "false");
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.METRICS_ENABLED, false);
        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        List<DecodedRecord> records =
                events.subList(320, events.size()).stream()
                        .map(e -> DecodedRecord.newBuilder().setEvent(e).build())
                        .toList();
        StreamCtrPipeline.buildFrom(
                        env.fromData(records, new AvroTypeInfo<>(DecodedRecord.class))
                                .map(new Slow())
                                .returns(new AvroTypeInfo<>(DecodedRecord.class)),
                        conf,
                        StreamCtrPipeline.models(conf))
                .predictions()
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("export-itcase");
        String savepoint = stopWithSavepoint(job, dir);

        CliRun champion =
                export(
                        savepoint,
                        "champion",
                        dir.resolve("champion"),
                        "--set",
                        "ctr.models=ftrl,champion=dnn-tiny",
                        "--set",
                        "ctr.model.champion.warm-start=" + start,
                        "--set",
                        "ctr.features.hash-buckets=1024");
        CliRun ftrl =
                export(
                        savepoint,
                        "ftrl",
                        dir.resolve("ftrl"),
                        "--set",
                        "ctr.features.hash-buckets=1024");

        assertThat(champion.exitCode()).as(champion.err()).isZero();
        assertThat(ftrl.exitCode()).as(ftrl.err()).isZero();
        List<Example> later = examples.subList(examples.size() - 64, examples.size());
        try (ModelPackage exported = ModelPackage.load(dir.resolve("champion"), "cpu");
                ModelPackage original = ModelPackage.load(start, "cpu");
                ModelPackage learned = ModelPackage.load(dir.resolve("ftrl"), "cpu")) {
            assertThat(champion.out()).contains("learner champion, model dnn-tiny at step 5");
            assertThat(exported.manifest().step()).isEqualTo(5);
            assertThat(exported.scorer().score(later)).isEqualTo(original.scorer().score(later));
            assertThat(learned.manifest().model()).isEqualTo("ftrl");
            assertThat(learned.manifest().step()).isPositive();
        }

        // the P = 1 learner's state is refused at submit for replicas (not the other learner's)
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        assertThatThrownBy(() -> RestoredLearnerCheck.check(restore, "champion", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "learner 'champion' in " + savepoint + " ran at parallelism 1");
        assertThatCode(() -> RestoredLearnerCheck.check(restore, "champion", 1))
                .doesNotThrowAnyException();
        // with its export as warm start the replicas may restore the savepoint (max P 128 here)
        restore.setString("ctr.model.champion.warm-start", dir.resolve("champion").toString());
        assertThatCode(() -> RestoredLearnerCheck.check(restore, "champion", 2))
                .doesNotThrowAnyException();

        CliRun unknown = export(savepoint, "champion=nope", dir.resolve("x"));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.errLines()).hasSize(1).allMatch(l -> l.contains("unknown model 'nope'"));
        // the ftrl learner's state read as a deep model's
        CliRun misfit = export(savepoint, "ftrl=dnn-tiny", dir.resolve("y"));
        assertThat(misfit.exitCode()).isEqualTo(2);
        assertThat(misfit.errLines())
                .hasSize(1)
                .allMatch(l -> l.contains("does not fit a dnn-tiny learner of these options"));
    }

    /** Stops the job with a savepoint once its tasks run (a checkpoint completed) and learned. */
    private static String stopWithSavepoint(JobClient job, Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints").resolve(job.getJobID().toString());
        long deadline = System.currentTimeMillis() + 120_000;
        while (!hasCheckpoint(checkpoints)) {
            if (System.currentTimeMillis() > deadline
                    || job.getJobStatus().get().isTerminalState()) {
                throw new AssertionError("no checkpoint completed: " + job.getJobStatus().get());
            }
            Thread.sleep(200);
        }
        Thread.sleep(500); // some events learned
        return job.stopWithSavepoint(
                        false,
                        dir.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get();
    }

    private static boolean hasCheckpoint(Path checkpoints) throws Exception {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.anyMatch(p -> p.getFileName().toString().startsWith("chk-"));
        }
    }

    private static CliRun export(String savepoint, String model, Path out, String... more) {
        String[] base = {
            "export", "--checkpoint", savepoint, "--model", model, "--output", out.toString()
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }
}
