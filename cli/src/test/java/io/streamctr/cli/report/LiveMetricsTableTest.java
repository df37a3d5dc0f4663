package io.streamctr.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.schemas.MetricsReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class LiveMetricsTableTest {

    private static MetricsReport report(String model, long predictions, Double windowAuc) {
        return MetricsReport.newBuilder()
                .setModelName(model)
                .setModelVersion(predictions / 16)
                .setCount(predictions)
                .setPredictions(predictions)
                .setWindowAuc(windowAuc)
                .setWindowGauc(0.61)
                .setWindowSize(10)
                .setWindowCount(10)
                .setWallTime(0L)
                .build();
    }

    @Test
    void redrawsOneRowPerModelInPlaceOnATerminal() {
        StringWriter text = new StringWriter();
        LiveMetricsTable table = new LiveMetricsTable(new PrintWriter(text), true);

        table.accept(report("dnn", 100, 0.7));
        table.accept(report("interformer", 100, null));
        table.accept(report("dnn", 200, 0.75));

        String screen = text.toString();
        String lastFrame = screen.substring(screen.lastIndexOf("\033[J") + 3);
        assertThat(screen).contains("\033[3A"); // up over header, rule and one row
        assertThat(lastFrame.lines()).hasSize(4);
        assertThat(lastFrame).contains("0.7500").contains("200").doesNotContain("0.7000");
        assertThat(
                        lastFrame
                                .lines()
                                .filter(l -> l.startsWith("interformer"))
                                .findFirst()
                                .orElseThrow())
                .contains("n/a")
                .contains("0.6100");
        assertThat(table.models()).isEqualTo(2);
    }

    @Test
    void printsPlainRowsWithoutATerminal() {
        StringWriter text = new StringWriter();
        LiveMetricsTable table = new LiveMetricsTable(new PrintWriter(text), false);

        table.accept(report("dnn", 100, 0.7));
        table.accept(report("dnn", 200, 0.75));

        assertThat(text.toString()).doesNotContain("\033");
        assertThat(text.toString().lines()).hasSize(3);
        assertThat(text.toString().lines().findFirst().orElseThrow()).startsWith("model");
    }
}
