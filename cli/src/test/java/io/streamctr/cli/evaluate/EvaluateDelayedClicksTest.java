package io.streamctr.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate --delayed-clicks} on the bundled MovieLens with ftrl: output and usage errors.
 */
class EvaluateDelayedClicksTest {

    private static final Pattern DELAYED_ROW =
            Pattern.compile(
                    "\\| ftrl \\| 1 \\| (0\\.\\d{4}) \\| (\\d\\.\\d{4}) \\| (0\\.\\d{4}) \\|"
                            + " (\\d\\.\\d{4}) \\| ([\\d,]+) \\| ([\\d.,]+) \\| ([\\d,]+) \\|"
                            + " 2,000 \\|");

    private static CliRun evaluate(String... more) {
        String[] base = {"evaluate", "--limit", "2000", "--models", "ftrl", "--device", "cpu"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    @Test
    void printsTheJoinedFiguresPendingImpressionsAndLateClicks() {
        CliRun run =
                evaluate(
                        "--delayed-clicks",
                        "--click-delay-mean",
                        "10m",
                        "--attribution-window",
                        "10m",
                        "--train-on",
                        "window-close");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("DELAYED labels: clicks an exponential 600.0 s after")
                .contains("train on window-close")
                .contains("Pending impressions along the stream");
        Matcher m = DELAYED_ROW.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        double aucAtClose = Double.parseDouble(m.group(1));
        double aucTrue = Double.parseDouble(m.group(3));
        assertThat(aucAtClose).isBetween(0.5, 1.0);
        assertThat(aucTrue).isBetween(0.5, 1.0);
        assertThat(Integer.parseInt(m.group(5).replace(",", ""))).as("pending max").isPositive();
        // a 10 min mean with a 10 min window: about exp(-1) of the clicks come late
        assertThat(Integer.parseInt(m.group(7).replace(",", ""))).as("late clicks").isPositive();
        assertThat(run.err()).contains("late clicks dropped");
    }

    @Test
    void withoutDelaysTheLabelsAtCloseAreTheDataLabels() {
        CliRun run =
                evaluate(
                        "--delayed-clicks",
                        "--click-delay-mean",
                        "0",
                        "--attribution-window",
                        "0",
                        "--train-on",
                        "click");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher m = DELAYED_ROW.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(3));
        assertThat(m.group(2)).isEqualTo(m.group(4));
        assertThat(m.group(7)).isEqualTo("0");
    }

    @Test
    void badDelayedOptionsAreOneLineUsageErrors() {
        Map<List<String>, String> cases =
                Map.of(
                        List.of("--delayed-clicks", "--train-on", "clik"),
                        "unknown --train-on mode 'clik' (did you mean 'click'?)",
                        List.of("--train-on", "click"),
                        "--train-on needs --delayed-clicks",
                        List.of("--delayed-clicks", "--stale-scores"),
                        "--stale-scores does not apply with --delayed-clicks",
                        List.of("--delayed-clicks", "--attribution-window", "-5m"),
                        "--attribution-window",
                        List.of("--delayed-clicks", "--train-on", "click", "--fnw"),
                        "--fnw needs --delayed-clicks and --train-on fake-negative",
                        List.of("--fnw"),
                        "--fnw needs --delayed-clicks and --train-on fake-negative");
        cases.forEach(
                (options, message) -> {
                    CliRun run = evaluate(options.toArray(String[]::new));
                    assertThat(run.exitCode()).as(String.join(" ", options)).isEqualTo(2);
                    assertThat(run.errLines()).as(run.err()).hasSize(1);
                    assertThat(run.errLines().get(0)).contains(message);
                });
    }
}
