package io.streamctr.model.optfusion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * OptFusion's search space as a graph (paper Sec. 3.1, Fig. 1b): the embedding block E, the
 * auxiliary cross block S0, cross block C_i and deep block D_i (i = 1..n), the output block O.
 * Every block takes every lower level's output (the level rule, Eq. 5): S0 takes E only; C_i and
 * D_i take E, S0, C_1, D_1, …, C_{i−1}, D_{i−1}; O takes all. C_i and D_i never see each other.
 *
 * <p>Levels: E 0, S0 1, C_i and D_i i + 1, O n + 2 (without S0: E 0, C_i and D_i i, O n + 1). The
 * reference code puts S0 on level 0 beside E (docs/models.md), but E→S0 is an edge, so the strict
 * rule "only from a lower level" needs S0 a level above E; every block receives the same inputs
 * either way.
 *
 * <p>Edges: 2n² + 2n + 1 without S0, the paper's count (its 2n + 2 components do not include S0);
 * S0 adds E→S0 and S0 → each of C_1..C_n, D_1..D_n, O, so 2n² + 4n + 3 with it.
 *
 * <p>Node order (a topological order): E, S0 (if any), C_1, D_1, …, C_n, D_n, O.
 */
public final class FusionGraph {

    /** What a node computes. */
    public enum Kind {
        EMBEDDING,
        AUX_CROSS,
        CROSS,
        DEEP,
        OUTPUT
    }

    /** A block: its name (E, S0, C1, D1, …, O), kind, level and i for C_i, D_i (0 otherwise). */
    public record Node(String name, Kind kind, int level, int index) {}

    /**
     * A connection from the output of {@code source} to the input of {@code target} (node indices).
     */
    public record Edge(int source, int target) {}

    private final int blocks;
    private final boolean auxiliaryCross;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private final List<List<Integer>> inputs = new ArrayList<>();
    private final List<Integer> fusingNodes = new ArrayList<>();
    private final int[] fusionRow;

    public FusionGraph(int blocks, boolean auxiliaryCross) {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks (n) must be >= 1, got " + blocks);
        }
        this.blocks = blocks;
        this.auxiliaryCross = auxiliaryCross;
        int shift = auxiliaryCross ? 1 : 0;
        nodes.add(new Node("E", Kind.EMBEDDING, 0, 0));
        if (auxiliaryCross) {
            nodes.add(new Node("S0", Kind.AUX_CROSS, 1, 0));
        }
        for (int i = 1; i <= blocks; i++) {
            nodes.add(new Node("C" + i, Kind.CROSS, i + shift, i));
            nodes.add(new Node("D" + i, Kind.DEEP, i + shift, i));
        }
        nodes.add(new Node("O", Kind.OUTPUT, blocks + 1 + shift, 0));
        fusionRow = new int[nodes.size()];
        for (int t = 0; t < nodes.size(); t++) {
            List<Integer> in = new ArrayList<>();
            Node target = nodes.get(t);
            fusionRow[t] = -1;
            if (target.kind() == Kind.AUX_CROSS) {
                in.add(addEdge(0, t));
            } else if (target.kind() != Kind.EMBEDDING) {
                // by level, not by kind: C_i and D_i share a level and never see each other
                for (int s = 0; s < t; s++) {
                    if (nodes.get(s).level() < target.level()) {
                        in.add(addEdge(s, t));
                    }
                }
                fusionRow[t] = fusingNodes.size();
                fusingNodes.add(t);
            }
            inputs.add(Collections.unmodifiableList(in));
        }
    }

    private int addEdge(int source, int target) {
        edges.add(new Edge(source, target));
        return edges.size() - 1;
    }

    public int blocks() {
        return blocks;
    }

    public boolean auxiliaryCross() {
        return auxiliaryCross;
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** All edges; an edge's index is its α's index. */
    public List<Edge> edges() {
        return Collections.unmodifiableList(edges);
    }

    /** The indices of the edges into a node, in source order. */
    public List<Integer> inputEdges(int node) {
        return inputs.get(node);
    }

    /** The nodes that fuse their inputs (C_i, D_i, O: 2n + 1), in node order; a β row each. */
    public List<Integer> fusingNodes() {
        return Collections.unmodifiableList(fusingNodes);
    }

    /** The β row of a fusing node, or −1 for E and S0. */
    public int fusionRow(int node) {
        return fusionRow[node];
    }

    /** Levels 0 (E) to the output's. */
    public int levels() {
        return nodes.get(nodes.size() - 1).level() + 1;
    }

    public int outputNode() {
        return nodes.size() - 1;
    }
}
