package io.streamctr.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.cli.CliRun;
import io.streamctr.datasets.BundledData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code replay --delayed-clicks} without a broker: the dry run's events and the usage errors. */
class DelayedReplayTest {

    private final ObjectMapper json = new ObjectMapper();

    private static CliRun replay(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "replay";
        args[1] = "--path";
        args[2] = BundledData.movieLensDir().toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return CliRun.of(args);
    }

    @Test
    void theDryRunPrintsImpressionsAndEachClickAfterItsImpression() throws Exception {
        CliRun run =
                replay(
                        "--delayed-clicks",
                        "--click-delay-mean",
                        "30s",
                        "--dry-run",
                        "--limit",
                        "400",
                        "--format",
                        "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).hasSize(400);
        Map<String, Long> impressionTime = new HashMap<>();
        int clicks = 0;
        for (String line : lines) {
            JsonNode e = json.readTree(line);
            String kind = e.get("kind").asText();
            if (kind.equals("IMPRESSION")) {
                assertThat(e.get("label").isNull()).as(line).isTrue();
                impressionTime.put(e.get("eventId").asText(), e.get("eventTime").asLong());
            } else {
                assertThat(kind).isEqualTo("CLICK");
                String impression = e.get("impressionId").asText();
                assertThat(impressionTime).as(line).containsKey(impression);
                assertThat(e.get("eventTime").asLong())
                        .isGreaterThanOrEqualTo(impressionTime.get(impression));
                clicks++;
            }
        }
        assertThat(clicks).isPositive();
        assertThat(impressionTime).hasSize(400 - clicks);
        assertThat(run.out()).contains("delayed clicks: ").contains("impressions");
    }

    @Test
    void badDelayOptionsAreOneLineUsageErrors() {
        Map<List<String>, String> cases =
                Map.of(
                        List.of("--delayed-clicks", "--click-delay-mean", "soon"),
                        "--click-delay-mean 'soon' is not a duration",
                        List.of("--delayed-clicks", "--late-click-share", "0.2"),
                        "--late-click-share needs --attribution-window",
                        List.of(
                                "--delayed-clicks",
                                "--attribution-window",
                                "10m",
                                "--late-click-share",
                                "1.5"),
                        "--late-click-share must be in [0, 1], got 1.5",
                        List.of("--click-delay-mean", "1m"),
                        "--click-delay-mean needs --delayed-clicks");
        cases.forEach(
                (options, message) -> {
                    List<String> args = new java.util.ArrayList<>(options);
                    args.add("--dry-run");
                    CliRun run = replay(args.toArray(String[]::new));
                    assertThat(run.exitCode()).as(String.join(" ", options)).isEqualTo(2);
                    assertThat(run.errLines()).hasSize(1);
                    assertThat(run.errLines().get(0)).contains(message);
                });
    }
}
