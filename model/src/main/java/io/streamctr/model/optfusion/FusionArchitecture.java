package io.streamctr.model.optfusion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A point of OptFusion's search space read from the architecture parameters (paper Sec. 3.4.2):
 * edge e is kept when α_e > 0 (α* = 1[α > 0]); a fusing block mixes the four operations by
 * softmax(β) (Soft) or uses argmax β only (Hard). Immutable: the arrays are copied in and out.
 *
 * <p>Also the frozen state of {@link OptFusionModel}, saved in the trainer's snapshot.
 */
public final class FusionArchitecture {

    private static final byte FORMAT = 1;

    private final FusionGraph graph;
    private final OptFusionConfig.Variant variant;
    private final float[] alpha;
    private final float[][] beta;
    private final boolean[] live;

    public FusionArchitecture(
            FusionGraph graph, OptFusionConfig.Variant variant, float[] alpha, float[][] beta) {
        if (alpha.length != graph.edges().size()) {
            throw new IllegalArgumentException(
                    "alpha has "
                            + alpha.length
                            + " values, the graph "
                            + graph.edges().size()
                            + " edges");
        }
        if (beta.length != graph.fusingNodes().size()) {
            throw new IllegalArgumentException(
                    "beta has "
                            + beta.length
                            + " rows, the graph "
                            + graph.fusingNodes().size()
                            + " fusing blocks");
        }
        this.graph = graph;
        this.variant = variant;
        this.alpha = alpha.clone();
        this.beta = new float[beta.length][];
        for (int r = 0; r < beta.length; r++) {
            if (beta[r].length != FusionOp.values().length) {
                throw new IllegalArgumentException(
                        "beta row "
                                + r
                                + " has "
                                + beta[r].length
                                + " values, expected "
                                + FusionOp.values().length);
            }
            this.beta[r] = beta[r].clone();
        }
        this.live = liveNodes();
    }

    /** A node is live when a path of kept edges leads from it to O; dead nodes need not run. */
    private boolean[] liveNodes() {
        boolean[] result = new boolean[graph.nodes().size()];
        result[graph.outputNode()] = true;
        for (int t = graph.outputNode(); t >= 0; t--) {
            if (!result[t]) {
                continue;
            }
            for (int e : graph.inputEdges(t)) {
                if (kept(e)) {
                    result[graph.edges().get(e).source()] = true;
                }
            }
        }
        return result;
    }

    public FusionGraph graph() {
        return graph;
    }

    public OptFusionConfig.Variant variant() {
        return variant;
    }

    /** α* of edge e: α_e > 0. */
    public boolean kept(int edge) {
        return alpha[edge] > 0;
    }

    public float alpha(int edge) {
        return alpha[edge];
    }

    public float[] beta(int row) {
        return beta[row].clone();
    }

    public boolean live(int node) {
        return live[node];
    }

    /** softmax(β) of a fusing block's row. */
    public float[] softmax(int row) {
        float[] b = beta[row];
        float max = Float.NEGATIVE_INFINITY;
        for (float v : b) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            e[i] = Math.exp(b[i] - max);
            sum += e[i];
        }
        float[] p = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** argmax β of a fusing block's row (the first on a tie). */
    public FusionOp chosen(int row) {
        float[] b = beta[row];
        int best = 0;
        for (int i = 1; i < b.length; i++) {
            if (b[i] > b[best]) {
                best = i;
            }
        }
        return FusionOp.values()[best];
    }

    /** The fixed operation weights of a row: softmax(β) for Soft, one-hot argmax for Hard. */
    public float[] opWeights(int row) {
        if (variant == OptFusionConfig.Variant.SOFT) {
            return softmax(row);
        }
        float[] w = new float[FusionOp.values().length];
        w[chosen(row).ordinal()] = 1f;
        return w;
    }

    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(graph.blocks());
            out.writeBoolean(graph.auxiliaryCross());
            out.writeByte(variant.ordinal());
            for (float a : alpha) {
                out.writeFloat(a);
            }
            for (float[] row : beta) {
                for (float b : row) {
                    out.writeFloat(b);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@link #toBytes()}; the graph must be the one it was saved from. */
    public static FusionArchitecture fromBytes(byte[] bytes, FusionGraph graph) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException(
                        "unsupported architecture format " + format + ", expected " + FORMAT);
            }
            int blocks = in.readInt();
            boolean aux = in.readBoolean();
            if (blocks != graph.blocks() || aux != graph.auxiliaryCross()) {
                throw new IllegalArgumentException(
                        "architecture of n = "
                                + blocks
                                + (aux ? " with" : " without")
                                + " S0 does not fit a model of n = "
                                + graph.blocks()
                                + (graph.auxiliaryCross() ? " with" : " without")
                                + " S0");
            }
            OptFusionConfig.Variant variant = OptFusionConfig.Variant.values()[in.readByte()];
            float[] alpha = new float[graph.edges().size()];
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = in.readFloat();
            }
            float[][] beta = new float[graph.fusingNodes().size()][FusionOp.values().length];
            for (float[] row : beta) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = in.readFloat();
                }
            }
            return new FusionArchitecture(graph, variant, alpha, beta);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
