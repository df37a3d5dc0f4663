package io.streamctr.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import org.junit.jupiter.api.Test;

/** {@code bench-sync}'s options and its usage errors (one line, exit 2). */
class BenchSyncCommandTest {

    @Test
    void helpListsTheOptions() {
        CliRun run = CliRun.of("bench-sync", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "--models",
                        "--replicas",
                        "--every-steps",
                        "--batch-size",
                        "--events",
                        "--job",
                        "--checkpoint-ms");
    }

    @Test
    void badModelsAndCountsAreOneLineUsageErrors() {
        assertUsageError(CliRun.of("bench-sync", "--models", "dnn,dnnn"), "unknown model 'dnnn'");
        assertUsageError(CliRun.of("bench-sync", "--replicas", "1"), "--replicas");
        assertUsageError(CliRun.of("bench-sync", "--every-steps", "0"), "--every-steps");
        assertUsageError(CliRun.of("bench-sync", "--data", "/no/such/dir"), "/no/such/dir");
    }

    private static void assertUsageError(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
        assertThat(run.err().strip().lines()).hasSize(1);
    }
}
