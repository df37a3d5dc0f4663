package io.streamctr.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate --stale-scores}: each batch scored with the state from before it. At batch 1 that
 * is what the learner scores anyway; at batch 64 per-event FTRL scored stale loses the freshness
 * inside the batch, on the bundled MovieLens (users act in bursts).
 */
class StaleScoresTest {

    private static final Pattern ROW = Pattern.compile("\\| ftrl \\| 1 \\| (0\\.\\d{4}) \\|");

    private static double auc(String... more) {
        String[] base = {"evaluate", "--limit", "3000", "--models", "ftrl", "--device", "cpu"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher m = ROW.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void staleScoresAtBatchOneAreTheLearnersOwnAndAtBatch64Lower() {
        assertThat(auc("--batch-size", "1", "--stale-scores")).isEqualTo(auc("--batch-size", "1"));
        assertThat(auc("--batch-size", "64", "--stale-scores"))
                .isLessThan(auc("--batch-size", "64") - 0.01);
    }
}
