package io.streamctr.cli;

import io.streamctr.datasets.delay.ClickDelays;
import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Option;

/**
 * The options of delayed clicks ({@code --delayed-clicks}, {@code --click-delay-mean}, {@code
 * --attribution-window}, {@code --late-click-share}, {@code --delay-seed}) as a picocli mixin
 * shared by {@code replay} (which splits the data so) and {@code evaluate} (which simulates the
 * job's join on the same split): issue 16, item 5. Durations are written as the job's options are
 * ({@code 1m}, {@code 30 s}, {@code 10 min}, a bare number = ms).
 */
public final class ClickDelayOptions {

    @Option(
            names = "--delayed-clicks",
            description =
                    "Split the data into impressions (no label) and clicks on the positives, each"
                            + " click --click-delay-mean later on average (exponential), merged in"
                            + " event-time order (docs/delayed-labels.md).")
    boolean delayedClicks;

    @Option(
            names = "--click-delay-mean",
            paramLabel = "DURATION",
            description =
                    "With --delayed-clicks: the mean of the exponential delay from an impression to"
                            + " its click, e.g. 1m, 30s, 0 (at once). Default: 1m.")
    String clickDelayMean;

    @Option(
            names = "--attribution-window",
            paramLabel = "DURATION",
            description =
                    "With --delayed-clicks: how long after an impression its click counts (the"
                            + " job's ctr.labels.attribution-window); a click after it is late."
                            + " Default: none for replay, 10 min (the job's) for evaluate.")
    String attributionWindow;

    @Option(
            names = "--late-click-share",
            paramLabel = "SHARE",
            description =
                    "With --attribution-window: this share of the clicks (0..1) comes after the"
                            + " window, the others within it (the exponential cut at the window)."
                            + " Default: the exponential's own tail, exp(-window / mean).")
    Double lateClickShare;

    @Option(
            names = "--delay-seed",
            paramLabel = "N",
            description = "With --delayed-clicks: the seed of the delays. Default: 1.")
    Long delaySeed;

    /** Whether {@code --delayed-clicks} was given. */
    public boolean enabled() {
        return delayedClicks;
    }

    /** The window given, or null. */
    public Duration window() {
        return attributionWindow == null
                ? null
                : duration("--attribution-window", attributionWindow);
    }

    /**
     * The delays; {@code defaultWindow} is the window when none was given (null: none). Checks the
     * options (a usage error names the option and the value).
     */
    public ClickDelays delays(Duration defaultWindow) {
        Duration mean =
                clickDelayMean == null
                        ? Duration.ofMinutes(1)
                        : duration("--click-delay-mean", clickDelayMean);
        Duration window = attributionWindow == null ? defaultWindow : window();
        if (lateClickShare != null && !(lateClickShare >= 0 && lateClickShare <= 1)) {
            throw new UsageException("--late-click-share must be in [0, 1], got " + lateClickShare);
        }
        if (lateClickShare != null && window == null) {
            throw new UsageException(
                    "--late-click-share needs --attribution-window (a late click comes after it)");
        }
        return new ClickDelays(
                mean.toMillis(),
                window == null ? ClickDelays.NO_WINDOW : window.toMillis(),
                lateClickShare == null ? ClickDelays.NATURAL_LATE_SHARE : lateClickShare,
                delaySeed == null ? 1 : delaySeed);
    }

    /** Rejects delay options given without {@code --delayed-clicks}. */
    public void requireEnabledIfUsed() {
        if (delayedClicks) {
            return;
        }
        String given =
                clickDelayMean != null
                        ? "--click-delay-mean"
                        : attributionWindow != null
                                ? "--attribution-window"
                                : lateClickShare != null
                                        ? "--late-click-share"
                                        : delaySeed != null ? "--delay-seed" : null;
        if (given != null) {
            throw new UsageException(given + " needs --delayed-clicks");
        }
    }

    private static Duration duration(String option, String text) {
        Duration d;
        try {
            d = TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UsageException(
                    option + " '" + text + "' is not a duration: expected e.g. 30s, 1m, 10 min");
        }
        if (d.isNegative()) {
            throw new UsageException(option + " must be >= 0, got " + text);
        }
        return d;
    }
}
