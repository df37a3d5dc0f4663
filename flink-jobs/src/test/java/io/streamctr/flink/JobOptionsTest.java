package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.flink.source.StartingOffsets;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The enum-typed options, parsed from the text users give ({@code --set
 * kafka.delivery-guarantee=...}).
 */
class JobOptionsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "exactly-once, EXACTLY_ONCE",
        "at-least-once, AT_LEAST_ONCE",
        "AT-LEAST-ONCE, AT_LEAST_ONCE",
        "none, NONE"
    })
    void parsesTheDeliveryGuaranteeAsUsersWriteIt(String text, DeliveryGuarantee expected) {
        assertThat(JobOptions.deliveryGuarantee(conf("kafka.delivery-guarantee", text)))
                .isEqualTo(expected);
    }

    @Test
    void rejectsTheEnumConstantNameOfTheDeliveryGuarantee() {
        // Flink matches toString() ("exactly-once"), not name(): the underscore form is not a value
        assertThatThrownBy(
                        () ->
                                JobOptions.deliveryGuarantee(
                                        conf("kafka.delivery-guarantee", "EXACTLY_ONCE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kafka.delivery-guarantee must be one of exactly-once, at-least-once, none;"
                                + " got 'EXACTLY_ONCE'");
    }

    @Test
    void rejectsABadDeliveryGuaranteeInOneLineNamingTheOptionAndTheValues() {
        assertThatThrownBy(
                        () ->
                                JobOptions.deliveryGuarantee(
                                        conf("kafka.delivery-guarantee", "twice")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kafka.delivery-guarantee must be one of exactly-once, at-least-once, none;"
                                + " got 'twice'")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"earliest, EARLIEST", "latest, LATEST", "committed, COMMITTED", "Latest, LATEST"})
    void parsesTheStartingOffsetsAsUsersWriteThem(String text, StartingOffsets expected) {
        assertThat(JobOptions.startingOffsets(conf("kafka.starting-offsets", text)))
                .isEqualTo(expected);
    }

    @Test
    void rejectsBadStartingOffsetsInOneLineNamingTheOptionAndTheValues() {
        assertThatThrownBy(
                        () -> JobOptions.startingOffsets(conf("kafka.starting-offsets", "newest")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kafka.starting-offsets must be one of earliest, latest, committed; got"
                                + " 'newest'");
    }

    @Test
    void defaultsToExactlyOnceFromTheEarliestOffsets() {
        Configuration empty = new Configuration();

        assertThat(JobOptions.deliveryGuarantee(empty)).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(JobOptions.startingOffsets(empty)).isEqualTo(StartingOffsets.EARLIEST);
    }

    @Test
    void typedValuesSetInCodeReadBackAsTheTextUsersWrite() {
        Configuration conf = new Configuration();
        conf.set(JobOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.AT_LEAST_ONCE);
        conf.set(JobOptions.STARTING_OFFSETS, StartingOffsets.COMMITTED);

        assertThat(conf.toMap())
                .containsEntry("kafka.delivery-guarantee", "at-least-once")
                .containsEntry("kafka.starting-offsets", "committed");
    }

    @Test
    void startingOffsetsDescriptionListsEveryValue() {
        String description = new HtmlFormatter().format(JobOptions.STARTING_OFFSETS.description());

        assertThat(description)
                .contains("earliest (the first offset", "latest (the end", "committed (the group");
    }

    @Test
    void stepsTheEmbeddingsAtAQuarterOfTheRulesStepBesideTheResidualUnlessOneIsSet() {
        assertThat(JobOptions.trainerConfig(new Configuration()).embeddingLearningRate())
                .as("adagrad beside the residual (both defaults)")
                .isEqualTo(0.0125f);
        assertThat(
                        JobOptions.trainerConfig(conf("ctr.learner.residual", "false"))
                                .embeddingLearningRate())
                .as("adagrad without the residual: the rule's own step")
                .isEqualTo(0.05f);
        assertThat(
                        JobOptions.trainerConfig(conf("ctr.train.embedding-optimizer", "adam"))
                                .embeddingLearningRate())
                .isEqualTo(0.0025f);
        assertThat(
                        JobOptions.trainerConfig(conf("ctr.train.embedding-learning-rate", "0.05"))
                                .embeddingLearningRate())
                .as("a step that is set is kept")
                .isEqualTo(0.05f);
    }

    private static Configuration conf(String key, String value) {
        return Configuration.fromMap(Map.of(key, value));
    }
}
