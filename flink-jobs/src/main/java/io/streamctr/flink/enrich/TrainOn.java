package io.streamctr.flink.enrich;

import static org.apache.flink.configuration.description.TextElement.text;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * When a joined impression is trained on ({@code ctr.labels.train-on}, issue 16), written in lower
 * case as users type them ({@link #toString()} is what Flink's configuration matches).
 */
public enum TrainOn implements DescribedEnum {
    WINDOW_CLOSE(
            "window-close",
            "both labels when the attribution window closes: exact, but every example is a window"
                    + " old"),
    CLICK(
            "click",
            "a positive at its click, a negative when the window closes without one (the common"
                    + " production mode)"),
    FAKE_NEGATIVE(
            "fake-negative",
            "every impression at once as a negative and its click as one more positive, scores"
                    + " served as q / (1 - q) (Ktena et al. 2019, without importance weights)");

    /** Whether the join emits a positive at its click (also for fake negatives). */
    public boolean positiveAtClick() {
        return this != WINDOW_CLOSE;
    }

    private final String value;
    private final String description;

    TrainOn(String value, String description) {
        this.value = value;
        this.description = description;
    }

    /** Every value with what it means, for the option's description. */
    public static String describeAll() {
        return Arrays.stream(values())
                .map(v -> v.value + " (" + v.description + ")")
                .collect(Collectors.joining(", "));
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }

    @Override
    public String toString() {
        return value;
    }
}
