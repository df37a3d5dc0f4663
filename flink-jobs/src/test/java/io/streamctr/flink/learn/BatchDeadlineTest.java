package io.streamctr.flink.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class BatchDeadlineTest {

    @Test
    void withoutAnIdleGapTheBatchIsDueAtItsTimeout() {
        assertThat(new BatchDeadline(200, 0).due(1_000, 1_150)).isEqualTo(1_200);
    }

    @Test
    void anIdleGapMakesItDueEarlierUnlessTheTimeoutComesFirst() {
        BatchDeadline d = new BatchDeadline(200, 5);
        assertThat(d.due(1_000, 1_010)).isEqualTo(1_015);
        assertThat(d.due(1_000, 1_198)).isEqualTo(1_200);
    }

    @Test
    void travelsWithTheOperatorInTheJobGraph() throws Exception {
        BatchDeadline d = new BatchDeadline(200, 5);
        byte[] bytes = InstantiationUtil.serializeObject(d);
        assertThat(
                        InstantiationUtil.<BatchDeadline>deserializeObject(
                                bytes, getClass().getClassLoader()))
                .isEqualTo(d);
    }

    @Test
    void rejectsBadTimeouts() {
        assertThatThrownBy(() -> new BatchDeadline(0, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch timeout must be > 0 ms, got 0");
        assertThatThrownBy(() -> new BatchDeadline(200, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch idle timeout must be >= 0 ms");
    }
}
