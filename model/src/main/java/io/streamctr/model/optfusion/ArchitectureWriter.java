package io.streamctr.model.optfusion;

import java.util.Locale;

/**
 * Writes a learned OptFusion architecture as JSON (machine-readable) and as Graphviz DOT (the
 * picture, like the paper's Fig. 3: the kept edges, each block labelled with its chosen operation).
 * Neither needs Graphviz; render the DOT with {@code dot -Tsvg} if it is installed.
 */
public final class ArchitectureWriter {

    private ArchitectureWriter() {}

    /**
     * {"variant", "blocks", "auxiliaryCross", "nodes": [{"name", "kind", "level", "live", "op",
     * "opWeights": {ADD, PROD, CONCAT, ATT}, "beta": [...]}], "edges": [{"from", "to", "alpha",
     * "kept"}]}.
     */
    public static String toJson(FusionArchitecture a) {
        FusionGraph g = a.graph();
        StringBuilder s = new StringBuilder();
        s.append("{\"variant\":\"").append(a.variant().name().toLowerCase(Locale.ROOT)).append('"');
        s.append(",\"blocks\":").append(g.blocks());
        s.append(",\"auxiliaryCross\":").append(g.auxiliaryCross());
        s.append(",\"nodes\":[");
        for (int i = 0; i < g.nodes().size(); i++) {
            FusionGraph.Node n = g.nodes().get(i);
            s.append(i == 0 ? "" : ",");
            s.append("{\"name\":\"").append(n.name()).append('"');
            s.append(",\"kind\":\"").append(n.kind().name().toLowerCase(Locale.ROOT)).append('"');
            s.append(",\"level\":").append(n.level());
            s.append(",\"live\":").append(a.live(i));
            int row = g.fusionRow(i);
            if (row >= 0) {
                s.append(",\"op\":\"").append(a.chosen(row).name()).append('"');
                s.append(",\"opWeights\":{");
                float[] w = a.opWeights(row);
                for (FusionOp op : FusionOp.values()) {
                    s.append(op.ordinal() == 0 ? "" : ",")
                            .append('"')
                            .append(op.name())
                            .append("\":")
                            .append(number(w[op.ordinal()]));
                }
                s.append("},\"beta\":[");
                float[] b = a.beta(row);
                for (int j = 0; j < b.length; j++) {
                    s.append(j == 0 ? "" : ",").append(number(b[j]));
                }
                s.append(']');
            }
            s.append('}');
        }
        s.append("],\"edges\":[");
        for (int e = 0; e < g.edges().size(); e++) {
            FusionGraph.Edge edge = g.edges().get(e);
            s.append(e == 0 ? "" : ",");
            s.append("{\"from\":\"").append(g.nodes().get(edge.source()).name()).append('"');
            s.append(",\"to\":\"").append(g.nodes().get(edge.target()).name()).append('"');
            s.append(",\"alpha\":").append(number(a.alpha(e)));
            s.append(",\"kept\":").append(a.kept(e)).append('}');
        }
        s.append("]}");
        return s.toString();
    }

    /** A left-to-right DOT digraph: one rank per level, kept edges only, dead blocks dashed. */
    public static String toDot(FusionArchitecture a) {
        FusionGraph g = a.graph();
        StringBuilder s = new StringBuilder();
        s.append("digraph optfusion {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
        int levels = g.levels();
        for (int level = 0; level < levels; level++) {
            s.append("  { rank=same;");
            for (int i = 0; i < g.nodes().size(); i++) {
                if (g.nodes().get(i).level() == level) {
                    s.append(' ').append(g.nodes().get(i).name()).append(';');
                }
            }
            s.append(" }\n");
        }
        for (int i = 0; i < g.nodes().size(); i++) {
            FusionGraph.Node n = g.nodes().get(i);
            int row = g.fusionRow(i);
            String label =
                    row < 0
                            ? n.name()
                            : n.name()
                                    + "\\n"
                                    + a.chosen(row).name()
                                    + (a.variant() == OptFusionConfig.Variant.SOFT
                                            ? String.format(
                                                    Locale.ROOT,
                                                    " %.2f",
                                                    a.softmax(row)[a.chosen(row).ordinal()])
                                            : "");
            s.append("  ").append(n.name()).append(" [label=\"").append(label).append('"');
            if (!a.live(i)) {
                s.append(", style=\"rounded,dashed\", color=gray");
            }
            s.append("];\n");
        }
        for (int e = 0; e < g.edges().size(); e++) {
            if (a.kept(e)) {
                FusionGraph.Edge edge = g.edges().get(e);
                s.append("  ")
                        .append(g.nodes().get(edge.source()).name())
                        .append(" -> ")
                        .append(g.nodes().get(edge.target()).name())
                        .append(";\n");
            }
        }
        s.append("}\n");
        return s.toString();
    }

    /**
     * One line for a log: each fusing block as NAME=OP(kept inputs), a block with no kept path to O
     * in brackets, e.g. {@code C1=PROD(E,S0) [D1=ADD(E)] ... O=ATT(E,C1,D2)}.
     */
    public static String summary(FusionArchitecture a) {
        FusionGraph g = a.graph();
        StringBuilder s = new StringBuilder();
        for (int node : g.fusingNodes()) {
            StringBuilder inputs = new StringBuilder();
            for (int e : g.inputEdges(node)) {
                if (a.kept(e)) {
                    inputs.append(inputs.length() == 0 ? "" : ",")
                            .append(g.nodes().get(g.edges().get(e).source()).name());
                }
            }
            String block =
                    g.nodes().get(node).name()
                            + "="
                            + a.chosen(g.fusionRow(node)).name()
                            + "("
                            + inputs
                            + ")";
            s.append(s.length() == 0 ? "" : " ").append(a.live(node) ? block : "[" + block + "]");
        }
        return s.toString();
    }

    private static String number(float v) {
        return Float.isFinite(v) ? Float.toString(v) : "null";
    }
}
