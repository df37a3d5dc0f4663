package io.streamctr.flink.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.flink.JobOptions;
import io.streamctr.flink.JobOptionsValidator;
import io.streamctr.flink.StreamCtrPipeline;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The options of data-parallel learners, checked at submit and when the graph is built. */
class ReplicatedLearnerOptionsTest {

    private static Configuration conf(String parallelism) {
        Configuration conf = new Configuration();
        conf.set(JobOptions.MODELS, List.of("dnn", "ftrl"));
        conf.setString("ctr.model.dnn.parallelism", parallelism);
        return conf;
    }

    @Test
    void aParallelismInRangeWithExactlyOnceIsAccepted() {
        assertThatCode(() -> JobOptionsValidator.validate(conf("2"))).doesNotThrowAnyException();
        assertThatCode(() -> JobOptionsValidator.validate(conf("1"))).doesNotThrowAnyException();
    }

    @Test
    void outOfRangeUnparsableOrWithoutExactlyOnceIsRefused() {
        assertThatThrownBy(() -> JobOptionsValidator.validate(conf("0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ctr.model.dnn.parallelism must be in [1, 1024], got 0");
        assertThatThrownBy(() -> JobOptionsValidator.validate(conf("two")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ctr.model.dnn.parallelism: cannot parse 'two'");
        Configuration atLeastOnce = conf("2");
        atLeastOnce.set(JobOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.AT_LEAST_ONCE);
        assertThatThrownBy(() -> JobOptionsValidator.validate(atLeastOnce))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ctr.model.dnn.parallelism = 2 needs")
                .hasMessageContaining("exactly-once");
        Configuration everyZero = conf("2");
        everyZero.set(JobOptions.SYNC_EVERY_BATCHES, 0);
        assertThatThrownBy(() -> JobOptionsValidator.validate(everyZero))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ctr.sync.every-batches");
        Configuration aheadBelow = conf("2");
        aheadBelow.set(JobOptions.SYNC_MAX_BATCHES_AHEAD, -2);
        assertThatThrownBy(() -> JobOptionsValidator.validate(aheadBelow))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ctr.sync.max-batches-ahead must be >= 0, or -1 for no bound, got -2");
        Configuration unbounded = conf("2");
        unbounded.set(JobOptions.SYNC_MAX_BATCHES_AHEAD, -1);
        assertThatCode(() -> JobOptionsValidator.validate(unbounded)).doesNotThrowAnyException();
        Configuration exported = conf("2");
        exported.set(JobOptions.EXPORT_PATH, "file:///tmp/models");
        assertThatThrownBy(() -> JobOptionsValidator.validate(exported))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exports");
        Configuration fakeNegatives = conf("2");
        fakeNegatives.setString("ctr.labels.train-on", "fake-negative");
        assertThatThrownBy(() -> JobOptionsValidator.validate(fakeNegatives))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "ctr.model.dnn.parallelism = 2: ctr.labels.train-on fake-negative is not"
                                + " supported by replicated learners yet (click or window-close"
                                + " are)");
    }

    @Test
    void aReplicatedLearnerNeedsCheckpointing() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThat(env.getCheckpointConfig().isCheckpointingEnabled()).isFalse();
        assertThatThrownBy(() -> StreamCtrPipeline.build(env, conf("2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ctr.model.dnn.parallelism = 2 needs checkpointing");
    }
}
