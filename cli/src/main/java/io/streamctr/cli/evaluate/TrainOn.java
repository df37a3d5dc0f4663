package io.streamctr.cli.evaluate;

import java.util.Arrays;
import java.util.List;

/**
 * When a delayed label becomes a training example (the job's {@code ctr.labels.train-on}; issue 16,
 * item 3): both labels at the window's close (exact, stale); a positive at its click and a negative
 * at the window's close (the common production mode); or every impression at once as a negative and
 * a click as one more positive, the scores then calibrated as {@code q / (1 - q)} (the
 * fake-negative model of Ktena et al., RecSys 2019, "Addressing delayed feedback for continuous
 * training with neural networks in CTR prediction", sections 4.1 and 4.2; without its loss
 * weighting).
 */
public enum TrainOn {
    WINDOW_CLOSE("window-close"),
    CLICK("click"),
    FAKE_NEGATIVE("fake-negative");

    private final String optionName;

    TrainOn(String optionName) {
        this.optionName = optionName;
    }

    /** As written on the command line. */
    public String optionName() {
        return optionName;
    }

    /** The option names, in declaration order. */
    public static List<String> optionNames() {
        return Arrays.stream(values()).map(TrainOn::optionName).toList();
    }

    /** The mode named {@code name}; IllegalArgumentException naming the known ones otherwise. */
    public static TrainOn of(String name) {
        for (TrainOn t : values()) {
            if (t.optionName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown train-on mode '" + name + "'; known: " + String.join(", ", optionNames()));
    }
}
