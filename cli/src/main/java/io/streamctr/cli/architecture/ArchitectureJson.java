package io.streamctr.cli.architecture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamctr.model.optfusion.ArchitectureWriter;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.FusionGraph;
import io.streamctr.model.optfusion.FusionOp;
import io.streamctr.model.optfusion.OptFusionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads back the JSON {@link ArchitectureWriter#toJson} writes (from {@code evaluate
 * --architecture-dir} or {@code architecture}): the variant, n, S0, α of every edge and β of every
 * fusing block, matched to the graph by block names. So a saved architecture can be drawn again
 * without its checkpoint.
 */
public final class ArchitectureJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ArchitectureJson() {}

    /**
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static FusionArchitecture read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static FusionArchitecture parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "expected an OptFusion architecture as JSON, got: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "expected a JSON object with variant, blocks, edges");
        }
        OptFusionConfig.Variant variant = variant(field(root, "variant").asText());
        JsonNode blocks = field(root, "blocks");
        if (!blocks.canConvertToInt() || blocks.asInt() < 1) {
            throw new IllegalArgumentException("blocks must be an integer >= 1, got " + blocks);
        }
        FusionGraph graph =
                new FusionGraph(blocks.asInt(), field(root, "auxiliaryCross").asBoolean());
        Map<String, Integer> nodes = new HashMap<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            nodes.put(graph.nodes().get(i).name(), i);
        }
        Map<String, Integer> edges = new HashMap<>();
        for (int e = 0; e < graph.edges().size(); e++) {
            FusionGraph.Edge edge = graph.edges().get(e);
            edges.put(
                    graph.nodes().get(edge.source()).name()
                            + "->"
                            + graph.nodes().get(edge.target()).name(),
                    e);
        }
        float[] alpha = new float[graph.edges().size()];
        boolean[] seen = new boolean[alpha.length];
        for (JsonNode edge : field(root, "edges")) {
            String key = field(edge, "from").asText() + "->" + field(edge, "to").asText();
            Integer e = edges.get(key);
            if (e == null) {
                throw new IllegalArgumentException(
                        "edge " + key + " is not in the search space of n = " + graph.blocks());
            }
            alpha[e] = number(field(edge, "alpha"), "alpha of " + key);
            seen[e] = true;
        }
        for (int e = 0; e < seen.length; e++) {
            if (!seen[e]) {
                FusionGraph.Edge edge = graph.edges().get(e);
                throw new IllegalArgumentException(
                        "edge "
                                + graph.nodes().get(edge.source()).name()
                                + "->"
                                + graph.nodes().get(edge.target()).name()
                                + " is missing");
            }
        }
        float[][] beta = new float[graph.fusingNodes().size()][];
        for (JsonNode node : field(root, "nodes")) {
            String name = field(node, "name").asText();
            Integer i = nodes.get(name);
            if (i == null) {
                throw new IllegalArgumentException(
                        "block " + name + " is not in the search space of n = " + graph.blocks());
            }
            int row = graph.fusionRow(i);
            if (row >= 0) {
                JsonNode values = field(node, "beta");
                if (!values.isArray() || values.size() != FusionOp.values().length) {
                    throw new IllegalArgumentException(
                            "beta of "
                                    + name
                                    + " must hold "
                                    + FusionOp.values().length
                                    + " numbers, got "
                                    + values);
                }
                beta[row] = new float[values.size()];
                for (int k = 0; k < values.size(); k++) {
                    beta[row][k] = number(values.get(k), "beta of " + name);
                }
            }
        }
        for (int row = 0; row < beta.length; row++) {
            if (beta[row] == null) {
                throw new IllegalArgumentException(
                        "block "
                                + graph.nodes().get(graph.fusingNodes().get(row)).name()
                                + " is missing");
            }
        }
        return new FusionArchitecture(graph, variant, alpha, beta);
    }

    private static OptFusionConfig.Variant variant(String name) {
        try {
            return OptFusionConfig.Variant.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("variant must be soft or hard, got '" + name + "'");
        }
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(
                    "missing field '" + name + "'" + (node.size() <= 4 ? " in " + node : ""));
        }
        return value;
    }

    private static float number(JsonNode value, String what) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException(what + " must be a number, got " + value);
        }
        return value.floatValue();
    }
}
