package io.streamctr.flink.enrich;

import static org.apache.flink.configuration.description.TextElement.text;

import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

/**
 * What the label join does with a click after its impression's attribution window ({@code
 * ctr.labels.late-clicks}, issue 16). The impression was trained on as a negative already; a
 * correction (Ktena et al. 2019) would be another value.
 */
public enum LateClicks implements DescribedEnum {
    DEAD_LETTER(
            "dead-letter",
            "counted in lateClicks and sent to the dead-letter topic with the reason; the"
                    + " negative stands and the sequences are unchanged");

    private final String value;
    private final String description;

    LateClicks(String value, String description) {
        this.value = value;
        this.description = description;
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
