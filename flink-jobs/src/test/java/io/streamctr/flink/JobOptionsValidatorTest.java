package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.flink.learn.ModelOverrides;
import io.streamctr.model.optfusion.ProductScaling;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checks {@link JobOptionsValidator} runs on a job's options at submit. */
class JobOptionsValidatorTest {

    @Test
    void acceptsTheDefaultsAndEveryOptionGivenAsText() {
        assertThatCode(() -> JobOptionsValidator.validate(new Configuration()))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                JobOptionsValidator.validate(
                                        conf(
                                                "ctr.models", "dnn-tiny,optfusion-soft-tiny,ftrl",
                                                "ctr.device", "GPU:1",
                                                "ctr.train.batch-size", "32",
                                                "ctr.train.batch-timeout", "50 ms",
                                                "kafka.delivery-guarantee", "at-least-once",
                                                "kafka.properties.security.protocol", "SSL",
                                                "ctr.model.optfusion-soft-tiny.search-events", "0",
                                                "ctr.model.dnn-tiny.embedding-l2", "1e-6",
                                                "state.backend.type", "rocksdb")))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsAMistypedKeyWithTheClosestKnownOne() {
        assertThatThrownBy(() -> JobOptionsValidator.validate(conf("ctr.train.batchsize", "32")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unknown option 'ctr.train.batchsize'; did you mean"
                                + " 'ctr.train.batch-size'?");
    }

    @Test
    void failsTheSubmitOfAMistypedKeyBeforeTheJobGraphIsBuilt() {
        assertThatThrownBy(
                        () ->
                                StreamCtrJob.main(
                                        new String[] {
                                            "--ctr.models",
                                            "dnn-tiny",
                                            "--ctr.train.batchsize",
                                            "32"
                                        }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("did you mean 'ctr.train.batch-size'?");
    }

    @Test
    void rejectsAnUnknownKafkaKeyButPassesKafkaPropertiesAndFlinkKeysOn() {
        assertThatThrownBy(() -> JobOptionsValidator.validate(conf("kafka.bootstrap", "h:9092")))
                .hasMessageStartingWith("unknown option 'kafka.bootstrap'");
        assertThatThrownBy(() -> JobOptionsValidator.validate(conf("kafka.properties.", "x")))
                .hasMessageStartingWith("unknown option 'kafka.properties.'");
        assertThatCode(
                        () ->
                                JobOptionsValidator.validate(
                                        conf("taskmanager.numberOfTaskSlots", "2")))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsAPerModelKeyOfAnUnknownModelOrAnUnknownPerModelKey() {
        assertThatThrownBy(
                        () ->
                                JobOptionsValidator.validate(
                                        conf("ctr.model.optfusion-sotf.search-events", "100")))
                .hasMessageStartingWith(
                        "unknown model 'optfusion-sotf' in option"
                                + " 'ctr.model.optfusion-sotf.search-events'; did you mean"
                                + " 'optfusion-soft'?; known models: ftrl, dnn");
        assertThatThrownBy(
                        () ->
                                JobOptionsValidator.validate(
                                        conf("ctr.model.optfusion-soft.search-event", "100")))
                .hasMessageStartingWith(
                        "unknown option 'ctr.model.optfusion-soft.search-event'; did you mean"
                                + " 'ctr.model.optfusion-soft.search-events'?; per-model keys:");
    }

    @Test
    void rejectsAPerModelKeyTheModelDoesNotTake() {
        assertThatThrownBy(
                        () ->
                                JobOptionsValidator.validate(
                                        conf(
                                                "ctr.models", "dnn",
                                                "ctr.model.dnn.search-events", "100")))
                .hasMessage(
                        "ctr.model.dnn.search-events applies to OptFusion models only, not to"
                                + " 'dnn'");
        assertThatThrownBy(
                        () ->
                                JobOptionsValidator.validate(
                                        conf(
                                                "ctr.models",
                                                "ftrl",
                                                "ctr.model.ftrl.embedding-l2",
                                                "0.1")))
                .hasMessage(
                        "ctr.model.ftrl.embedding-l2 applies to deep models only, not to 'ftrl'");
        assertThatThrownBy(
                        () ->
                                JobOptionsValidator.validate(
                                        conf(
                                                "ctr.models", "interformer",
                                                "ctr.model.interformer.dim", "12")))
                .hasMessageContaining("dim / heads must be an even integer")
                .hasMessageContaining("got dim 12, heads 4");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ctr.train.batch-size|0|ctr.train.batch-size must be >= 1, got 0",
                "ctr.train.batch-size|many|ctr.train.batch-size: cannot parse 'many'",
                "ctr.train.learning-rate|-0.1|ctr.train.learning-rate must be > 0, got -0.1",
                "ctr.train.batch-timeout|0 ms|ctr.train.batch-timeout must be > 0, got 0 ms",
                "ctr.metrics.lifetime-auc-bits|40|ctr.metrics.lifetime-auc-bits must be in [0, 24]",
                "ctr.learner.residual|yes|ctr.learner.residual: cannot parse 'yes'",
                "kafka.starting-offsets|newest|kafka.starting-offsets: cannot parse 'newest' (Could"
                        + " not parse",
                "ctr.train.embedding-optimizer|sgd|unknown embedding optimizer 'sgd'",
                "ctr.device|tpu|ctr.device must be auto, cpu, gpu or gpu:N; got 'tpu'",
                "ctr.device|gpu:x|ctr.device must be auto, cpu, gpu or gpu:N; got 'gpu:x'",
                "ctr.models|dnn,dnnn|unknown model 'dnnn'",
                "ctr.model.optfusion-soft.architecture-lr|0|architecture-lr must be > 0, got 0.0",
                "ctr.model.optfusion-soft.product|square|ctr.model.optfusion-soft.product: cannot",
                "ctr.labels.attribution-window|0 s|ctr.labels.attribution-window must be > 0, got"
                        + " 0 s",
                "ctr.labels.train-on|later|ctr.labels.train-on: cannot parse 'later'",
                "ctr.labels.late-clicks|keep|ctr.labels.late-clicks: cannot parse 'keep'",
                "ctr.labels.fake-negative-weighting|true|ctr.labels.fake-negative-weighting ="
                        + " true needs ctr.labels.train-on fake-negative; got window-close",
                "ctr.events.max-out-of-orderness|-1 s|ctr.events.max-out-of-orderness: cannot parse"
                        + " '-1 s'",
                "ctr.events.idle-timeout|soon|ctr.events.idle-timeout: cannot parse 'soon'",
                "ctr.train.batch-idle-timeout|-5 ms|ctr.train.batch-idle-timeout: cannot parse"
                        + " '-5 ms'",
                "ctr.sequence.expiry|wall|ctr.sequence.expiry: cannot parse 'wall'"
            })
    void rejectsABadValueInOneLineNamingTheOption(String key, String value, String message) {
        assertThatThrownBy(() -> JobOptionsValidator.validate(conf(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void knowsEveryOptionOfJobOptionsByReflection() {
        assertThat(JobOptionsValidator.options())
                .extracting(ConfigOption::key)
                .contains(
                        "kafka.bootstrap-servers",
                        "ctr.train.batch-size",
                        "ctr.metrics.report-interval",
                        "ctr.model.<name>.search-events")
                .doesNotHaveDuplicates();
    }

    @Test
    void readsThePerModelOptionsOfEachModelApart() {
        Configuration conf =
                conf(
                        "ctr.model.optfusion-soft.search-events", "500",
                        "ctr.model.optfusion-soft.architecture-lr", "0.02",
                        "ctr.model.optfusion-soft.product", "none",
                        "ctr.model.interformer-tiny.heads", "4",
                        "ctr.model.interformer-tiny.embedding-l2", "0.001");

        assertThat(JobOptions.modelOverrides(conf, "optfusion-soft"))
                .isEqualTo(
                        new ModelOverrides(
                                500L, 0.02f, ProductScaling.NONE, null, null, null, null));
        assertThat(JobOptions.modelOverrides(conf, "interformer-tiny"))
                .isEqualTo(new ModelOverrides(null, null, null, null, null, 4, 0.001f));
        assertThat(JobOptions.modelOverrides(conf, "dnn")).isEqualTo(ModelOverrides.NONE);
    }

    private static Configuration conf(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return Configuration.fromMap(map);
    }
}
