package io.streamctr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project rule for errors, command by command: a usage or input error is one line on stderr,
 * {@code streamctr COMMAND: ...}, exit code 2, no stack trace unless {@code --verbose}; an
 * unreachable broker is one line and exit code 1 within the connect timeout. No broker, no Flink,
 * no libtorch: every run here stops before any work.
 */
class CommandErrorsTest {

    private static final String MISSING = "/nonexistent/streamctr-test";

    /** Exit code 2 and exactly one line on stderr, which starts with the command's name. */
    private static String usageError(String command, String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith(command + ": ").doesNotContain("Exception");
        return run.err();
    }

    /** Exit code 1 and one line on stderr, within {@code seconds}. */
    private static String failure(double seconds, String... args) {
        long started = System.nanoTime();
        CliRun run = CliRun.of(args);
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(seconds);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        return run.err();
    }

    @Nested
    class TopLevel {

        @Test
        void unknownCommandIsAUsageErrorEvenWithHelp() {
            assertThat(usageError("streamctr", "nosuch", "--help"))
                    .contains("unknown command 'nosuch'; commands: demo, replay, tail");
            assertThat(CliRun.of("nosuch", "--help").out()).isEmpty();
        }

        @Test
        void missingCommandListsThem() {
            assertThat(usageError("streamctr"))
                    .startsWith("streamctr: a command is required: demo, replay, tail, report,");
        }

        @Test
        void unknownCommandSuggestsTheClosestOne() {
            assertThat(usageError("streamctr", "replya")).contains("(did you mean 'replay'?)");
        }

        @Test
        void helpStillWorks() {
            assertThat(CliRun.of("--help").exitCode()).isZero();
            CliRun replay = CliRun.of("replay", "--help");
            assertThat(replay.exitCode()).isZero();
            assertThat(replay.out()).contains("--verbose", "--connect-timeout-ms");
        }

        @Test
        void verboseAddsTheStackTrace() {
            CliRun run = CliRun.of("replay", "--path", MISSING, "--dry-run", "--verbose");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.errLines().get(0))
                    .isEqualTo(
                            "streamctr replay: --path "
                                    + MISSING
                                    + " does not exist: expected the data set's file or"
                                    + " directory");
            assertThat(run.err()).contains("UsageException", "\tat io.streamctr.cli.");
        }
    }

    @Nested
    class Replay {

        @Test
        void unknownOptionSuggestsTheClosestOne() {
            assertThat(usageError("streamctr replay", "replay", "--skipp", "1"))
                    .contains("unknown option '--skipp' (did you mean '--skip'?)")
                    .contains("see streamctr replay --help");
        }

        @Test
        void badOptionValue() {
            assertThat(usageError("streamctr replay", "replay", "--rate", "fast"))
                    .contains("'--rate'", "'fast'");
            assertThat(usageError("streamctr replay", "replay", "--max-bad-lines", "-2"))
                    .contains("--max-bad-lines must be >= -1, got -2");
        }

        @Test
        void unknownDataSetListsTheKnownOnes() {
            assertThat(usageError("streamctr replay", "replay", "--dataset", "criteoo"))
                    .contains("unknown data set 'criteoo' (did you mean 'criteo'?)")
                    .contains("known data sets: movielens, criteo");
        }

        @Test
        void missingPathOrMapping() {
            assertThat(usageError("streamctr replay", "replay", "--path", MISSING, "--dry-run"))
                    .contains("--path " + MISSING + " does not exist");
            assertThat(
                            usageError(
                                    "streamctr replay",
                                    "replay",
                                    "--dataset",
                                    "generic",
                                    "--path",
                                    Fixtures.dir("generic-taobao").toString(),
                                    "--mapping",
                                    MISSING,
                                    "--dry-run"))
                    .contains("--mapping " + MISSING + " does not exist");
        }

        @Test
        void unreachableBrokerFailsWithinTheTimeout() {
            assertThat(
                            failure(
                                    8,
                                    "replay",
                                    "--path",
                                    BundledData.movieLensDir().toString(),
                                    "--bootstrap-servers",
                                    "localhost:1",
                                    "--connect-timeout-ms",
                                    "300"))
                    .startsWith("streamctr replay: cannot reach Kafka at localhost:1 within 0.3 s");
        }
    }

    @Nested
    class Tail {

        @Test
        void unknownOptionAndBadValue() {
            assertThat(usageError("streamctr tail", "tail", "--predictions", "--maxx", "3"))
                    .contains("unknown option '--maxx' (did you mean '--max'?)");
            assertThat(usageError("streamctr tail", "tail", "--predictions", "--max", "many"))
                    .contains("'--max'", "'many'");
            assertThat(usageError("streamctr tail", "tail")).contains("--predictions");
            assertThat(
                            usageError(
                                    "streamctr tail",
                                    "tail",
                                    "--predictions",
                                    "--bootstrap-servers",
                                    "nohost"))
                    .contains("Invalid url in bootstrap.servers: nohost");
        }

        @Test
        void unreachableBrokerFailsWithinTheTimeout() {
            assertThat(
                            failure(
                                    8,
                                    "tail",
                                    "--predictions",
                                    "--bootstrap-servers",
                                    "localhost:1",
                                    "--connect-timeout-ms",
                                    "300"))
                    .startsWith("streamctr tail: cannot reach Kafka at localhost:1 within 0.3 s");
        }
    }

    @Nested
    class Demo {

        @Test
        void unknownModelListsTheRegisteredOnesAndSuggests() {
            assertThat(usageError("streamctr demo", "demo", "--models", "ftrl,dnnn"))
                    .contains("unknown model 'dnnn' (did you mean 'dnn'?)")
                    .contains("registered models: ftrl, dnn,");
        }

        @Test
        void missingDataAndBadValues() {
            assertThat(usageError("streamctr demo", "demo", "--data", MISSING))
                    .contains("--data " + MISSING + " does not exist");
            assertThat(usageError("streamctr demo", "demo", "--checkpoint-interval", "soon"))
                    .contains("--checkpoint-interval 'soon' is not a duration");
            assertThat(usageError("streamctr demo", "demo", "--device", "tpu"))
                    .contains("expected auto, cpu, gpu or gpu:N");
            assertThat(usageError("streamctr demo", "demo", "--limitt", "5"))
                    .contains("unknown option '--limitt' (did you mean '--limit'?)");
            assertThat(
                            usageError(
                                    "streamctr demo",
                                    "demo",
                                    "--set",
                                    "ctr.train.embedding-optimizer=sgd"))
                    .contains("--set: unknown embedding optimizer 'sgd'");
            assertThat(usageError("streamctr demo", "demo", "--set", "ctr.train.batchsize=32"))
                    .contains(
                            "--set: unknown option 'ctr.train.batchsize'; did you mean"
                                    + " 'ctr.train.batch-size'?");
        }
    }

    @Nested
    class Evaluate {

        @Test
        void unknownModelSuggestsByPrefix() {
            assertThat(usageError("streamctr evaluate", "evaluate", "--models", "lr,optfusion"))
                    .contains("unknown model 'optfusion' (did you mean 'optfusion-soft'?)");
        }

        @Test
        void missingPathAndBadValues() {
            assertThat(
                            usageError(
                                    "streamctr evaluate",
                                    "evaluate",
                                    "--models",
                                    "lr",
                                    "--path",
                                    MISSING))
                    .contains("--path " + MISSING + " does not exist");
            assertThat(
                            usageError(
                                    "streamctr evaluate",
                                    "evaluate",
                                    "--models",
                                    "lr",
                                    "--seeds",
                                    "two"))
                    .contains("'--seeds'", "'two'");
            assertThat(
                            usageError(
                                    "streamctr evaluate",
                                    "evaluate",
                                    "--models",
                                    "lr",
                                    "--output",
                                    MISSING + "/table.md"))
                    .contains("expected a file in an existing directory");
        }

        @Test
        void noEventReadIsAnErrorWithTheBadLinesAsReplayReportsThem(@TempDir Path dir)
                throws Exception {
            Path mapping = dir.resolve("mapping.properties");
            Files.writeString(
                    mapping,
                    Files.readString(Fixtures.dir("generic-taobao").resolve("mapping.properties"))
                            .replace("yyyy-MM-dd HH:mm:ss", "dd/MM/yyyy"));
            String data = Fixtures.dir("generic-taobao").resolve("train_sample.csv").toString();
            CliRun replay =
                    CliRun.of(
                            "replay",
                            "--dataset",
                            "generic",
                            "--path",
                            data,
                            "--mapping",
                            mapping.toString(),
                            "--dry-run");
            String badLines =
                    replay.err()
                            .substring(replay.err().indexOf("10 bad lines: "))
                            .split(", \\d")[0];

            CliRun evaluate =
                    CliRun.of(
                            "evaluate",
                            "--dataset",
                            "generic",
                            "--path",
                            data,
                            "--mapping",
                            mapping.toString(),
                            "--models",
                            "lr");

            assertThat(badLines).startsWith("10 bad lines: train_sample.csv:2: ");
            assertThat(evaluate.exitCode()).as(evaluate.err()).isEqualTo(2);
            assertThat(evaluate.out()).isEmpty();
            assertThat(evaluate.errLines())
                    .containsExactly(
                            "streamctr evaluate: no event read from "
                                    + data
                                    + " as --dataset generic ("
                                    + badLines
                                    + "): expected at least one; check --dataset, --mapping and"
                                    + " --option");
        }

        @Test
        void tooManyBadLinesAreAFailureAsInReplay(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("train.txt");
            Files.writeString(file, "a\nb\n");

            CliRun run =
                    CliRun.of(
                            "evaluate",
                            "--dataset",
                            "criteo",
                            "--path",
                            file.toString(),
                            "--models",
                            "lr",
                            "--max-bad-lines",
                            "1");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains("streamctr evaluate: more than 1 bad lines")
                    .doesNotContain("Exception");
        }
    }

    @Nested
    class Report {

        @Test
        void missingInputAndBadValues(@TempDir Path dir) {
            String out = dir.toString();
            assertThat(
                            usageError(
                                    "streamctr report",
                                    "report",
                                    "--input",
                                    MISSING,
                                    "--output",
                                    out))
                    .contains("--input " + MISSING + " does not exist");
            assertThat(
                            usageError(
                                    "streamctr report",
                                    "report",
                                    "--input",
                                    MISSING,
                                    "--output",
                                    out,
                                    "--width",
                                    "wide"))
                    .contains("'--width'", "'wide'");
        }

        @Test
        void unreachableBrokerFailsWithinTheTimeout(@TempDir Path dir) {
            assertThat(
                            failure(
                                    8,
                                    "report",
                                    "--topic",
                                    "ctr.metrics",
                                    "--bootstrap-servers",
                                    "localhost:1",
                                    "--timeout-ms",
                                    "300",
                                    "--output",
                                    dir.toString()))
                    .startsWith("streamctr report: cannot reach Kafka at localhost:1");
        }
    }

    @Nested
    class Bench {

        @Test
        void unknownModelAndMissingData() {
            String data = BundledData.movieLensDir().toString();
            assertThat(usageError("streamctr bench", "bench", "--data", data, "--model", "dcnv3"))
                    .contains("unknown model 'dcnv3' (did you mean 'dcnv2'?)")
                    .contains("registered deep models: dnn,");
            assertThat(usageError("streamctr bench", "bench", "--data", MISSING))
                    .contains("--data " + MISSING + " does not exist");
            assertThat(usageError("streamctr bench", "bench", "--data", data, "--passes", "x"))
                    .contains("'--passes'", "'x'");
        }

        @Test
        void badLatencyLoadOrTimeout() {
            String data = BundledData.movieLensDir().toString();
            assertThat(
                            usageError(
                                    "streamctr bench",
                                    "bench",
                                    "--data",
                                    data,
                                    "--latency-loads",
                                    "0.5,2"))
                    .contains(
                            "latency load must be a fraction of the peak rate in (0, 1.5], got"
                                    + " 2.0");
            assertThat(
                            usageError(
                                    "streamctr bench",
                                    "bench",
                                    "--data",
                                    data,
                                    "--latency-batch-timeouts",
                                    "200,0"))
                    .contains("batch timeout must be > 0 ms, got 0");
            assertThat(
                            usageError(
                                    "streamctr bench",
                                    "bench",
                                    "--data",
                                    data,
                                    "--latency-batch-idle-timeouts",
                                    "0,-5"))
                    .contains("batch idle timeout must be >= 0 ms (0: none), got -5");
            assertThat(
                            usageError(
                                    "streamctr bench",
                                    "bench",
                                    "--data",
                                    data,
                                    "--latency-peak",
                                    "-1"))
                    .contains("latency peak rate must be >= 0 ev/s (0: measured), got -1.0");
        }
    }

    @Nested
    class BenchModel {

        @Test
        void unknownModelDataSetAndMissingPath() {
            assertThat(
                            usageError(
                                    "streamctr bench-model",
                                    "bench-model",
                                    "--models",
                                    "interformr/search"))
                    .contains("unknown model 'interformr' (did you mean 'interformer'?)");
            assertThat(
                            usageError(
                                    "streamctr bench-model",
                                    "bench-model",
                                    "--dataset",
                                    "avazuu",
                                    "--path",
                                    MISSING))
                    .contains("unknown data set 'avazuu' (did you mean 'avazu'?)");
            assertThat(
                            usageError(
                                    "streamctr bench-model",
                                    "bench-model",
                                    "--models",
                                    "lr",
                                    "--path",
                                    MISSING))
                    .contains("--path " + MISSING + " does not exist");
        }
    }

    @Nested
    class Architecture {

        @Test
        void missingCheckpointAndModelsWithoutAnArchitecture(@TempDir Path dir) {
            assertThat(
                            usageError(
                                    "streamctr architecture",
                                    "architecture",
                                    "--checkpoint",
                                    MISSING))
                    .contains("--checkpoint " + MISSING + " does not exist");
            assertThat(
                            usageError(
                                    "streamctr architecture",
                                    "architecture",
                                    "--checkpoint",
                                    dir.toString(),
                                    "--model",
                                    "dnn"))
                    .contains("unknown OptFusion model 'dnn'")
                    .contains("registered OptFusion models: optfusion-soft, optfusion-hard");
            assertThat(usageError("streamctr architecture", "architecture"))
                    .contains("--checkpoint=PATH")
                    .contains("--json=FILE");
        }
    }

    @Nested
    class Export {

        @Test
        void missingCheckpointUnknownLearnerAndMissingOptions(@TempDir Path dir) {
            String out = dir.resolve("out").toString();
            assertThat(
                            usageError(
                                    "streamctr export",
                                    "export",
                                    "--checkpoint",
                                    MISSING,
                                    "--model",
                                    "dnn",
                                    "--output",
                                    out))
                    .contains("--checkpoint " + MISSING + " does not exist");
            assertThat(
                            usageError(
                                    "streamctr export",
                                    "export",
                                    "--checkpoint",
                                    dir.toString(),
                                    "--model",
                                    "champion",
                                    "--output",
                                    out))
                    .contains("--model champion: unknown model 'champion'")
                    .contains("--model NAME=MODEL");
            assertThat(usageError("streamctr export", "export"))
                    .contains("--checkpoint=PATH")
                    .contains("--model=NAME")
                    .contains("--output=DIR");
        }
    }
}
