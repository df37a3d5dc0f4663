package io.streamctr.cli.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.model.optfusion.ArchitectureWriter;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.FusionGraph;
import io.streamctr.model.optfusion.OptFusionConfig;
import org.junit.jupiter.api.Test;

class ArchitectureJsonTest {

    /** n = 2 without S0, some edges cut, distinct β rows. */
    static FusionArchitecture architecture() {
        FusionGraph g = new FusionGraph(2, false);
        float[] alpha = new float[g.edges().size()];
        for (int e = 0; e < alpha.length; e++) {
            alpha[e] = (e % 3 == 1 ? -0.1f : 0.2f) * (e + 1);
        }
        float[][] beta = new float[g.fusingNodes().size()][4];
        for (int r = 0; r < beta.length; r++) {
            beta[r][(r + 1) % 4] = 0.5f + r;
            beta[r][r % 4] = -0.25f;
        }
        return new FusionArchitecture(g, OptFusionConfig.Variant.HARD, alpha, beta);
    }

    @Test
    void readsBackWhatTheWriterWrote() {
        FusionArchitecture a = architecture();

        FusionArchitecture back = ArchitectureJson.parse(ArchitectureWriter.toJson(a));

        assertThat(back.variant()).isEqualTo(OptFusionConfig.Variant.HARD);
        assertThat(back.graph().blocks()).isEqualTo(2);
        assertThat(back.graph().auxiliaryCross()).isFalse();
        for (int e = 0; e < a.graph().edges().size(); e++) {
            assertThat(back.alpha(e)).as("alpha %d", e).isEqualTo(a.alpha(e));
        }
        for (int r = 0; r < a.graph().fusingNodes().size(); r++) {
            assertThat(back.beta(r)).as("beta %d", r).containsExactly(a.beta(r));
        }
        assertThat(ArchitectureWriter.toJson(back)).isEqualTo(ArchitectureWriter.toJson(a));
    }

    @Test
    void namesWhatIsWrong() {
        String json = ArchitectureWriter.toJson(architecture());

        assertThatThrownBy(() -> ArchitectureJson.parse("[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> ArchitectureJson.parse("{\"variant\": "))
                .hasMessageContaining("expected an OptFusion architecture as JSON");
        assertThatThrownBy(() -> ArchitectureJson.parse(json.replace("\"hard\"", "\"medium\"")))
                .hasMessage("variant must be soft or hard, got 'medium'");
        assertThatThrownBy(
                        () ->
                                ArchitectureJson.parse(
                                        json.replace(
                                                "\"from\":\"C1\",\"to\":\"O\"",
                                                "\"from\":\"C1\",\"to\":\"D1\"")))
                .hasMessage("edge C1->D1 is not in the search space of n = 2");
        assertThatThrownBy(
                        () -> ArchitectureJson.parse(json.replace("\"blocks\":2", "\"blocks\":3")))
                .hasMessageContaining("is missing");
    }
}
