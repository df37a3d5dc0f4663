package io.streamctr.cli.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import io.streamctr.model.pkg.ModelPackage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --warm-start}: a run goes on from a package; a package that does not fit is
 * refused.
 */
class EvaluateWarmStartTest {

    private static CliRun evaluate(String... more) {
        String[] base = {"evaluate", "--limit", "600", "--models", "ftrl", "--device", "cpu"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    @Test
    void aWarmStartedRunGoesOnFromThePackagesStep(@TempDir Path dir) throws Exception {
        CliRun first = evaluate("--export-model", dir.resolve("a").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        Path pkg = dir.resolve("a/ftrl");
        long step;
        try (ModelPackage p = ModelPackage.load(pkg, "cpu")) {
            step = p.manifest().step();
        }

        CliRun second =
                evaluate(
                        "--warm-start",
                        pkg.toString(),
                        "--export-model",
                        dir.resolve("b").toString());

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("started from the model package " + pkg);
        try (ModelPackage p = ModelPackage.load(dir.resolve("b/ftrl"), "cpu")) {
            // ftrl's step counts labelled events: the second run learned 600 more
            assertThat(step).isEqualTo(600);
            assertThat(p.manifest().step()).isEqualTo(1200);
        }
    }

    @Test
    void aPackageThatDoesNotFitIsAUsageError(@TempDir Path dir) {
        CliRun first = evaluate("--export-model", dir.resolve("a").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        String pkg = dir.resolve("a/ftrl").toString();

        CliRun otherD = evaluate("--warm-start", pkg, "--embedding-dim", "8");
        CliRun otherModel =
                CliRun.of("evaluate", "--limit", "100", "--models", "lr", "--warm-start", pkg);
        CliRun notAPackage = evaluate("--warm-start", dir.toString());

        assertThat(otherD.exitCode()).isEqualTo(2);
        assertThat(otherD.errLines())
                .last()
                .isEqualTo(
                        "streamctr evaluate: --warm-start "
                                + pkg
                                + " does not fit this run's ftrl: D 16, expected 8");
        assertThat(otherModel.exitCode()).isEqualTo(2);
        assertThat(otherModel.err())
                .contains("is a package of model ftrl, which is not among --models lr");
        assertThat(notAPackage.exitCode()).isEqualTo(2);
        assertThat(notAPackage.err()).contains("is not a model package: it has no manifest.json");
    }
}
