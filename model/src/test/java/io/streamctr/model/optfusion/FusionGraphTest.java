package io.streamctr.model.optfusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FusionGraphTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void everyEdgeGoesToAHigherLevel(int n) {
        for (boolean s0 : new boolean[] {true, false}) {
            FusionGraph g = new FusionGraph(n, s0);
            Set<FusionGraph.Edge> seen = new HashSet<>();
            for (FusionGraph.Edge e : g.edges()) {
                assertThat(e.source()).isNotEqualTo(e.target());
                assertThat(g.nodes().get(e.source()).level())
                        .isLessThan(g.nodes().get(e.target()).level());
                assertThat(seen.add(e)).as("duplicate edge %s", e).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void withoutS0TheEdgeCountIsThePapers(int n) {
        // the paper's 2n + 2 components (E, n cross, n deep, O) do not include S0
        assertThat(new FusionGraph(n, false).edges()).hasSize(2 * n * n + 2 * n + 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void s0AddsOneEdgeInAndOneToEachLaterBlock(int n) {
        // E→S0, then S0 → C_1..C_n, D_1..D_n, O
        assertThat(new FusionGraph(n, true).edges()).hasSize(2 * n * n + 4 * n + 3);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void blocksOfLevelIReceiveEveryLowerOutput(int n) {
        FusionGraph g = new FusionGraph(n, true);
        for (int t = 0; t < g.nodes().size(); t++) {
            FusionGraph.Node node = g.nodes().get(t);
            int expected =
                    switch (node.kind()) {
                        case EMBEDDING -> 0;
                        case AUX_CROSS -> 1;
                        case CROSS, DEEP -> 2 * node.index();
                        case OUTPUT -> 2 * n + 2;
                    };
            assertThat(g.inputEdges(t)).as(node.name()).hasSize(expected);
        }
        assertThat(g.fusingNodes()).hasSize(2 * n + 1);
    }
}
