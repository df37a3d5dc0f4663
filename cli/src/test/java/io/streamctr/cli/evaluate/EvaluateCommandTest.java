package io.streamctr.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.Main;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

class EvaluateCommandTest {

    @Test
    void comparesModelsOnTheSameStreamWithASpreadOverSeeds() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("evaluate", "--limit", "1500", "--models", "lr,dnn-tiny", "--seeds", "2", "--device", "cpu");

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("multi-valued [genres]").contains("side genres");
        assertThat(out.toString()).contains("movielens, 1,500 events").contains("| lr | 2 | 0.").contains("| dnn-tiny | 2 | 0.")
                .containsPattern("\\d\\.\\d{4} \\(\\d\\.\\d{4}–\\d\\.\\d{4}\\)");
    }

    @Test
    void rejectsAnUnknownModel() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("evaluate", "--models", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown model 'nope'");
    }
}
