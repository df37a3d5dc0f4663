package io.streamctr.flink.export;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.util.TimeUtils;

/**
 * When and where the job exports its learners' model packages ({@code ctr.export.*}, issue 15 item
 * 2): into {@code path/NAME/step-N} for learner NAME, at the first completed checkpoint once {@code
 * everySteps} training steps or {@code everyMillis} of processing time have passed since the last
 * export, keeping the newest {@code keep}.
 *
 * @param path the export root, any Flink file-system path
 * @param everySteps export after this many steps; 0 when the schedule is by time
 * @param everyMillis export after this much processing time; 0 when the schedule is by steps
 * @param keep packages kept per learner, the newest
 */
public record ExportConfig(String path, long everySteps, long everyMillis, int keep)
        implements Serializable {

    private static final Pattern STEPS = Pattern.compile("(\\d+)\\s*(steps?)?");

    public ExportConfig {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("the export path must not be empty");
        }
        if (everySteps < 0 || everyMillis < 0 || (everySteps == 0) == (everyMillis == 0)) {
            throw new IllegalArgumentException(
                    "an export schedule is either steps or a duration, > 0; got "
                            + everySteps
                            + " steps, "
                            + everyMillis
                            + " ms");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("packages kept must be >= 1, got " + keep);
        }
    }

    /**
     * The configuration of an {@code every} text: {@code 500} or {@code 500 steps} (training steps;
     * for ftrl, labelled events), or a duration with its unit ({@code 10 min}, {@code 30 s}).
     * IllegalArgumentException naming the accepted forms otherwise.
     */
    public static ExportConfig of(String path, String every, int keep) {
        String text = every == null ? "" : every.trim().toLowerCase(Locale.ROOT);
        Matcher steps = STEPS.matcher(text);
        if (steps.matches()) {
            return new ExportConfig(path, Long.parseLong(steps.group(1)), 0, keep);
        }
        Duration duration;
        try {
            duration = TimeUtils.parseDuration(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "an export schedule is N steps (e.g. 1000 steps) or a duration (e.g. 10 min);"
                            + " got '"
                            + every
                            + "'",
                    e);
        }
        return new ExportConfig(path, 0, duration.toMillis(), keep);
    }

    /** Whether an export is due at {@code step} and {@code nowMillis} after the last one's. */
    public boolean due(long step, long nowMillis, long lastStep, long lastMillis) {
        return everySteps > 0
                ? step - lastStep >= everySteps
                : nowMillis - lastMillis >= everyMillis;
    }
}
