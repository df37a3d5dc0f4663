package io.streamctr.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchModelCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CliRun run = CliRun.of(args);
        out.write(run.out());
        err.write(run.err());
        return run.exitCode();
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("bench-model", "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--models",
                        "--batch-sizes",
                        "--seconds",
                        "--warmup-seconds",
                        "--embedding-dim",
                        "--threads",
                        "--matmul-size",
                        "--profile-steps",
                        "--two-pass",
                        "NAME/search");
    }

    @Test
    void unknownModelsAndSearchStagesOfModelsWithoutOneAreUsageErrors() {
        String data = BundledData.movieLensDir().toString();
        assertThat(run("bench-model", "--data", data, "--models", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown model 'nope'");
        assertThat(run("bench-model", "--data", data, "--models", "dnn/search")).isEqualTo(2);
        assertThat(err.toString()).contains("no architecture search");
        assertThat(run("bench-model", "--data", data, "--models", "dnn", "--batch-sizes", "0"))
                .isEqualTo(2);
    }

    @Test
    void anotherDataSetNeedsAPathAndAKnownFormat() {
        assertThat(run("bench-model", "--dataset", "avazu", "--models", "lr")).isEqualTo(2);
        assertThat(err.toString()).contains("--dataset avazu needs --path");
        assertThat(
                        run(
                                "bench-model",
                                "--dataset",
                                "nope",
                                "--path",
                                Fixtures.dir("avazu").toString(),
                                "--models",
                                "lr"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("nope");
    }

    @Test
    void measuresModelsOnAnotherDataSetWithTheFieldsInferredFromIt() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc =
                    run(
                            "bench-model",
                            "--dataset",
                            "avazu",
                            "--path",
                            Fixtures.dir("avazu").resolve("train.csv").toString(),
                            "--models",
                            "lr,optfusion-soft-tiny/search",
                            "--batch-sizes",
                            "4",
                            "--seconds",
                            "0.05",
                            "--warmup-seconds",
                            "0",
                            "--matmul-size",
                            "16",
                            "--profile-steps",
                            "0",
                            "--device",
                            "cpu");
        } finally {
            System.setOut(stdout);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(err.toString()).isZero();
        assertThat(printed)
                .contains("data: avazu ", "categorical [C1, C14", "site_id")
                .containsPattern("(?m)^lr +\\S+ +4 ")
                .containsPattern("(?m)^optfusion-soft-tiny/search +search +4 ");
    }
}
