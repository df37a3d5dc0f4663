package io.streamctr.bench.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlopCountTest {

    @Test
    void mlpCountIsTwiceTheWeightsTimesTheBatch() {
        FlopCount.Builder b = FlopCount.builder();
        BlockFlops.mlp(b, "mlp", 32, 10, List.of(7, 5), 3);
        FlopCount count = b.build();

        long weights = 10 * 7 + 7 * 5 + 5 * 3;
        assertThat(count.forwardFlops()).isEqualTo(2 * weights * 32);
        assertThat(count.trainingFlops()).isEqualTo(3 * count.forwardFlops());
        assertThat(count.linearWeights())
                .containsExactly(new long[] {10, 7}, new long[] {7, 5}, new long[] {5, 3});
    }

    @Test
    void aConstantOperandHasOneBackwardProduct() {
        FlopCount count =
                FlopCount.builder()
                        .linearOnConstantInput("dense", 4, 3, 2)
                        .matmulWithConstant("select", 4, 2, 5, 6)
                        .build();

        assertThat(count.forwardFlops()).isEqualTo(2 * 4 * 3 * 2 + 2 * 4 * 2 * 5 * 6);
        assertThat(count.backwardFlops()).isEqualTo(count.forwardFlops());
        assertThat(count.linearWeights()).hasSize(1);
    }

    @Test
    void partsAddUpOverLayersAndNamesCarryTheirScope() {
        FlopCount count =
                FlopCount.builder()
                        .push("layer0")
                        .push("attention")
                        .matmul("scores", 1, 2, 3, 4)
                        .pop()
                        .linear("mlp", 1, 2, 2)
                        .pop()
                        .push("layer1")
                        .push("attention")
                        .matmul("scores", 1, 2, 3, 4)
                        .pop()
                        .pop()
                        .linear("classifier", 1, 2, 1)
                        .build();

        assertThat(count.ops().get(0).name()).isEqualTo("layer0/attention/scores");
        Map<String, Long> parts = count.trainingFlopsByPart(1);
        assertThat(parts)
                .containsExactly(
                        Map.entry("attention", 2 * 3 * 48L),
                        Map.entry("mlp", 3 * 8L),
                        Map.entry("classifier", 3 * 4L));
        assertThat(parts.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(count.trainingFlops());
    }

    @Test
    void unbalancedScopesAreMisuse() {
        assertThatThrownBy(() -> FlopCount.builder().push("a").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FlopCount.builder().pop())
                .isInstanceOf(IllegalStateException.class);
    }
}
