package io.streamctr.model.optfusion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArchitectureWriterTest {

    /**
     * n = 1 with S0: E, S0, C1, D1, O; edges E→S0, E→C1, S0→C1, E→D1, S0→D1, E→O, S0→O, C1→O, D1→O.
     */
    private static FusionArchitecture architecture(OptFusionConfig.Variant variant) {
        FusionGraph g = new FusionGraph(1, true);
        float[] alpha = {0.5f, 0.2f, -0.1f, 0.3f, 0.4f, 0.1f, -0.2f, 0.7f, -0.3f};
        float[][] beta = {{1f, 0f, 0f, 0f}, {0f, 2f, 0f, 0f}, {0f, 0f, 0f, 3f}};
        return new FusionArchitecture(g, variant, alpha, beta);
    }

    @Test
    void jsonListsEveryEdgeAndTheChosenOperations() {
        String json = ArchitectureWriter.toJson(architecture(OptFusionConfig.Variant.HARD));
        assertThat(json).startsWith("{\"variant\":\"hard\",\"blocks\":1,\"auxiliaryCross\":true");
        assertThat(json).contains("{\"from\":\"S0\",\"to\":\"C1\",\"alpha\":-0.1,\"kept\":false}");
        assertThat(json)
                .contains(
                        "\"name\":\"C1\",\"kind\":\"cross\",\"level\":2,\"live\":true,\"op\":\"ADD\"");
        assertThat(json)
                .contains(
                        "\"name\":\"D1\",\"kind\":\"deep\",\"level\":2,\"live\":false,\"op\":\"PROD\"");
        assertThat(json)
                .contains(
                        "\"name\":\"O\",\"kind\":\"output\",\"level\":3,\"live\":true,\"op\":\"ATT\"");
        assertThat(json.split("\"from\"", -1)).hasSize(9 + 1);
    }

    @Test
    void dotDrawsKeptEdgesOnly() {
        String dot = ArchitectureWriter.toDot(architecture(OptFusionConfig.Variant.SOFT));
        assertThat(dot).startsWith("digraph optfusion {");
        assertThat(dot).contains("  E -> C1;\n").contains("  C1 -> O;\n").contains("  E -> O;\n");
        assertThat(dot)
                .doesNotContain("S0 -> C1")
                .doesNotContain("S0 -> O")
                .doesNotContain("D1 -> O");
        assertThat(dot).contains("D1 [label=\"D1\\nPROD").contains("style=\"rounded,dashed\"");
        assertThat(dot).contains("O [label=\"O\\nATT ");
    }
}
