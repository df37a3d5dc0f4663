package io.streamctr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

class BenchModelCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("bench-model", "--help")).isZero();
        assertThat(out.toString()).contains("--models", "--batch-sizes", "--seconds", "--warmup-seconds", "--embedding-dim",
                "--threads", "--matmul-size", "--profile-steps", "NAME/search");
    }

    @Test
    void unknownModelsAndSearchStagesOfModelsWithoutOneAreUsageErrors() {
        String data = TestData.movieLensDir().toString();
        assertThat(run("bench-model", "--data", data, "--models", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown model 'nope'");
        assertThat(run("bench-model", "--data", data, "--models", "dnn/search")).isEqualTo(2);
        assertThat(err.toString()).contains("no architecture search");
        assertThat(run("bench-model", "--data", data, "--models", "dnn", "--batch-sizes", "0")).isEqualTo(2);
    }
}
