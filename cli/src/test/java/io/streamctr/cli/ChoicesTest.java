package io.streamctr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChoicesTest {

    private static final List<String> MODELS =
            List.of("ftrl", "dnn", "dnn-tiny", "lr", "optfusion-soft", "optfusion-hard");

    @Test
    void suggestsTheShortestNameTheGivenOneStarts() {
        assertThat(Choices.closest("optfusion", MODELS)).contains("optfusion-soft");
        assertThat(Choices.closest("dnn-t", MODELS)).contains("dnn-tiny");
    }

    @Test
    void suggestsTheNameWithTheFewestEditsWhenClose() {
        assertThat(Choices.closest("dnnn", MODELS)).contains("dnn");
        assertThat(Choices.closest("optfusion-sfot", MODELS)).contains("optfusion-soft");
        assertThat(Choices.closest("transformer", MODELS)).isEmpty();
    }

    @Test
    void countsEdits() {
        assertThat(Choices.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(Choices.editDistance("", "abc")).isEqualTo(3);
        assertThat(Choices.editDistance("same", "same")).isZero();
    }

    @Test
    void anUnknownNameIsAUsageErrorListingTheKnownOnes() {
        assertThat(Choices.require("model", "lr", MODELS, "registered models")).isEqualTo("lr");
        assertThatThrownBy(() -> Choices.require("model", "dnnn", MODELS, "registered models"))
                .isInstanceOf(UsageException.class)
                .hasMessage(
                        "unknown model 'dnnn' (did you mean 'dnn'?); registered models: ftrl, dnn,"
                                + " dnn-tiny, lr, optfusion-soft, optfusion-hard");
    }
}
