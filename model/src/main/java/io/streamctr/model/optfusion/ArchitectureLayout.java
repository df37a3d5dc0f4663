package io.streamctr.model.optfusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Where each block and kept edge of a learned OptFusion architecture goes in a picture (the paper's
 * Fig. 3, drawn by the project itself, no Graphviz): one object, drawn by {@link ArchitectureSvg}
 * and {@link ArchitecturePng}.
 *
 * <p>Columns by level, left to right (E, S0, C_i/D_i, O; see {@link FusionGraph}); three rows:
 * cross blocks C_i on top, deep blocks D_i at the bottom, E, S0 and O in the middle. Each kept edge
 * is a cubic Bézier from the right side of its source to the left side of its target with an
 * arrowhead; an edge whose straight line would cross another block bows out of the way (up from the
 * top and middle rows, down from the bottom row) by the least amount that clears every block. Edges
 * leave and enter a block at points spread along its side, ordered by the other end's height, so
 * that arrowheads do not pile up. Cut edges (α ≤ 0) are not drawn; blocks with no kept path to O
 * ({@link FusionArchitecture#live}) and their edges are drawn dashed. Coordinates are pixels,
 * origin top left.
 */
public final class ArchitectureLayout {

    /** A text line: its centre x (its left x when not centred), baseline y, size in pixels. */
    public record Label(
            double x, double y, String text, double size, boolean bold, boolean centred) {

        /** A rough width for sizing the picture: 0.6 em per character (sans-serif). */
        double estimatedWidth() {
            return 0.6 * size * text.length();
        }
    }

    /** A block's box, its fill colour ({@code #rrggbb}) and its text lines (centred). */
    public record Box(
            String name,
            FusionGraph.Kind kind,
            double x,
            double y,
            double width,
            double height,
            boolean live,
            String fill,
            List<Label> labels) {}

    /**
     * A kept edge: the cubic Bézier p0, c1, c2, p3 and the arrowhead's three corners (tip first),
     * each as x, y pairs; {@code live} when both ends are live.
     */
    public record Arrow(String from, String to, boolean live, double[] curve, double[] head) {

        @Override
        public double[] curve() {
            return curve.clone();
        }

        @Override
        public double[] head() {
            return head.clone();
        }
    }

    static final double NODE_WIDTH = 120;
    static final double MIN_NODE_HEIGHT = 46;
    static final double PORT_SPACING = 9;
    static final double COLUMN_PITCH = 200;
    static final double ROW_PITCH = 140;
    static final double MARGIN = 24;
    static final double CLEARANCE = 6;
    static final double ARROW_LENGTH = 9;
    static final double ARROW_HALF_WIDTH = 4;
    static final double TITLE_SIZE = 15;
    static final double NOTE_SIZE = 11;
    static final double LABEL_SIZE = 12;
    static final int BOW_STEP = 10;
    static final int MAX_BOW = 800;

    /**
     * The control points' offsets to try, least bent first: by |b1| + |b2| + |b1 − b2| / 2 (a
     * symmetric arc before a lopsided one), bows against the preferred side (up) 5 px dearer, an
     * S-shape (opposite signs) 50 px dearer.
     */
    private static final double[][] BOWS_UP = bows(-1);

    /** As {@link #BOWS_UP}, preferring to bow down. */
    private static final double[][] BOWS_DOWN = bows(1);

    private final double width;
    private final double height;
    private final List<Box> boxes;
    private final List<Arrow> arrows;
    private final Label title;
    private final Label note;

    private ArchitectureLayout(
            double width,
            double height,
            List<Box> boxes,
            List<Arrow> arrows,
            Label title,
            Label note) {
        this.width = width;
        this.height = height;
        this.boxes = List.copyOf(boxes);
        this.arrows = List.copyOf(arrows);
        this.title = title;
        this.note = note;
    }

    /** The layout with a title naming the variant, n and the kept edges. */
    public static ArchitectureLayout of(FusionArchitecture a) {
        FusionGraph g = a.graph();
        int kept = 0;
        for (int e = 0; e < g.edges().size(); e++) {
            kept += a.kept(e) ? 1 : 0;
        }
        String title =
                String.format(
                        Locale.ROOT,
                        "OptFusion (%s), n = %d%s: %d of %d edges kept",
                        a.variant().name().toLowerCase(Locale.ROOT),
                        g.blocks(),
                        g.auxiliaryCross() ? " with S0" : "",
                        kept,
                        g.edges().size());
        return of(a, title);
    }

    /**
     * @param title the line above the graph
     */
    public static ArchitectureLayout of(FusionArchitecture a, String title) {
        return new Builder(a).build(title);
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    /** One per block of the graph, in node order. */
    public List<Box> boxes() {
        return boxes;
    }

    /** One per kept edge, in edge order. */
    public List<Arrow> arrows() {
        return arrows;
    }

    public Label title() {
        return title;
    }

    /** The line under the graph that says how to read it. */
    public Label note() {
        return note;
    }

    /** Places the blocks, routes the edges, then shifts everything into a margin. */
    private static final class Builder {

        private final FusionArchitecture a;
        private final FusionGraph g;
        private final double[] cx;
        private final double[] cy;
        private final double[] h;

        Builder(FusionArchitecture a) {
            this.a = a;
            this.g = a.graph();
            int n = g.nodes().size();
            cx = new double[n];
            cy = new double[n];
            h = new double[n];
            int[] in = new int[n];
            int[] out = new int[n];
            for (int e = 0; e < g.edges().size(); e++) {
                if (a.kept(e)) {
                    out[g.edges().get(e).source()]++;
                    in[g.edges().get(e).target()]++;
                }
            }
            for (int i = 0; i < n; i++) {
                FusionGraph.Node node = g.nodes().get(i);
                cx[i] = node.level() * COLUMN_PITCH;
                cy[i] =
                        switch (node.kind()) {
                            case CROSS -> -ROW_PITCH;
                            case DEEP -> ROW_PITCH;
                            default -> 0;
                        };
                h[i] = Math.max(MIN_NODE_HEIGHT, PORT_SPACING * (Math.max(in[i], out[i]) + 1));
            }
        }

        ArchitectureLayout build(String titleText) {
            List<Integer> kept = new ArrayList<>();
            for (int e = 0; e < g.edges().size(); e++) {
                if (a.kept(e)) {
                    kept.add(e);
                }
            }
            double[] exitY = ports(kept, true);
            double[] entryY = ports(kept, false);
            List<double[]> curves = new ArrayList<>();
            for (int e : kept) {
                FusionGraph.Edge edge = g.edges().get(e);
                curves.add(
                        route(
                                edge,
                                cx[edge.source()] + NODE_WIDTH / 2,
                                exitY[e],
                                cx[edge.target()] - NODE_WIDTH / 2,
                                entryY[e]));
            }
            // bounding box of the blocks and the curves, then shift into the margin
            double minX = Double.MAX_VALUE;
            double minY = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double maxY = -Double.MAX_VALUE;
            for (int i = 0; i < cx.length; i++) {
                minX = Math.min(minX, cx[i] - NODE_WIDTH / 2);
                maxX = Math.max(maxX, cx[i] + NODE_WIDTH / 2);
                minY = Math.min(minY, cy[i] - h[i] / 2);
                maxY = Math.max(maxY, cy[i] + h[i] / 2);
            }
            for (double[] c : curves) {
                for (int s = 0; s <= 32; s++) {
                    double[] p = point(c, s / 32.0);
                    minY = Math.min(minY, p[1]);
                    maxY = Math.max(maxY, p[1]);
                }
            }
            double dx = MARGIN - minX;
            double dy = MARGIN + TITLE_SIZE * 2 - minY;
            List<Box> boxes = new ArrayList<>();
            for (int i = 0; i < cx.length; i++) {
                boxes.add(box(i, cx[i] + dx, cy[i] + dy));
            }
            List<Arrow> arrows = new ArrayList<>();
            for (int k = 0; k < kept.size(); k++) {
                FusionGraph.Edge edge = g.edges().get(kept.get(k));
                double[] c = curves.get(k).clone();
                for (int j = 0; j < c.length; j += 2) {
                    c[j] += dx;
                    c[j + 1] += dy;
                }
                arrows.add(
                        new Arrow(
                                g.nodes().get(edge.source()).name(),
                                g.nodes().get(edge.target()).name(),
                                a.live(edge.source()) && a.live(edge.target()),
                                c,
                                head(c)));
            }
            double width = maxX - minX + 2 * MARGIN;
            double bottom = maxY + dy + NOTE_SIZE * 2.5;
            String noteText =
                    a.variant() == OptFusionConfig.Variant.SOFT
                            ? "Each block: its operation (argmax β) and that operation's softmax"
                                    + " weight; dashed: no kept path to O"
                            : "Each block: its operation (argmax β); dashed: no kept path to O";
            Label title =
                    new Label(MARGIN, MARGIN + TITLE_SIZE, titleText, TITLE_SIZE, true, false);
            Label note = new Label(MARGIN, bottom - NOTE_SIZE, noteText, NOTE_SIZE, false, false);
            width =
                    Math.max(
                            width,
                            2 * MARGIN + Math.max(title.estimatedWidth(), note.estimatedWidth()));
            return new ArchitectureLayout(
                    Math.ceil(width), Math.ceil(bottom + MARGIN / 2), boxes, arrows, title, note);
        }

        /** The y of each kept edge's exit (at its source) or entry (at its target). */
        private double[] ports(List<Integer> kept, boolean exits) {
            double[] y = new double[g.edges().size()];
            for (int node = 0; node < cx.length; node++) {
                List<Integer> side = new ArrayList<>();
                for (int e : kept) {
                    FusionGraph.Edge edge = g.edges().get(e);
                    if ((exits ? edge.source() : edge.target()) == node) {
                        side.add(e);
                    }
                }
                int at = node;
                // nearer ends steeper: from above enter (or leave) nearer the top, so lines
                // converging on one side do not cross just before it
                side.sort(
                        Comparator.comparingDouble((Integer e) -> cy[other(e, exits)])
                                .thenComparingDouble(
                                        e -> {
                                            int o = other(e, exits);
                                            double x = exits ? cx[o] : -cx[o];
                                            return cy[o] < cy[at] ? x : -x;
                                        }));
                for (int k = 0; k < side.size(); k++) {
                    y[side.get(k)] = cy[at] - h[at] / 2 + h[at] * (k + 1) / (side.size() + 1);
                }
            }
            return y;
        }

        private int other(int edge, boolean exits) {
            FusionGraph.Edge e = g.edges().get(edge);
            return exits ? e.target() : e.source();
        }

        /**
         * A straight cubic, or the least bent one that clears every other block: its two control
         * points, a third and two thirds along the straight line, each moved up or down by a
         * multiple of {@value #BOW_STEP} px (see {@link #BOWS_UP}).
         */
        private double[] route(FusionGraph.Edge edge, double x0, double y0, double x3, double y3) {
            FusionGraph.Kind from = g.nodes().get(edge.source()).kind();
            FusionGraph.Kind to = g.nodes().get(edge.target()).kind();
            boolean down =
                    (from == FusionGraph.Kind.DEEP || to == FusionGraph.Kind.DEEP)
                            && from != FusionGraph.Kind.CROSS
                            && to != FusionGraph.Kind.CROSS;
            for (double[] bow : down ? BOWS_DOWN : BOWS_UP) {
                double[] c = {
                    x0,
                    y0,
                    x0 + (x3 - x0) / 3,
                    y0 + (y3 - y0) / 3 + bow[0],
                    x0 + 2 * (x3 - x0) / 3,
                    y0 + 2 * (y3 - y0) / 3 + bow[1],
                    x3,
                    y3
                };
                if (clear(c, edge)) {
                    return c;
                }
            }
            throw new IllegalStateException(
                    "no route for edge " + edge + " clears the other blocks");
        }

        private boolean clear(double[] c, FusionGraph.Edge edge) {
            for (int s = 1; s < 64; s++) {
                double[] p = point(c, s / 64.0);
                for (int i = 0; i < cx.length; i++) {
                    if (i != edge.source()
                            && i != edge.target()
                            && Math.abs(p[0] - cx[i]) < NODE_WIDTH / 2 + CLEARANCE
                            && Math.abs(p[1] - cy[i]) < h[i] / 2 + CLEARANCE) {
                        return false;
                    }
                }
            }
            return true;
        }

        private Box box(int i, double x, double y) {
            FusionGraph.Node node = g.nodes().get(i);
            int row = g.fusionRow(i);
            List<String> lines = new ArrayList<>();
            lines.add(node.name() + "  " + kindLabel(node.kind()));
            if (row >= 0) {
                FusionOp op = a.chosen(row);
                lines.add(
                        a.variant() == OptFusionConfig.Variant.SOFT
                                ? String.format(
                                        Locale.ROOT,
                                        "%s %.2f",
                                        op.name(),
                                        a.softmax(row)[op.ordinal()])
                                : op.name());
            }
            double first = y - (lines.size() - 1) * LABEL_SIZE * 0.65 + LABEL_SIZE * 0.35;
            List<Label> labels = new ArrayList<>();
            for (int k = 0; k < lines.size(); k++) {
                labels.add(
                        new Label(
                                x,
                                first + k * LABEL_SIZE * 1.3,
                                lines.get(k),
                                LABEL_SIZE,
                                k == 0,
                                true));
            }
            return new Box(
                    node.name(),
                    node.kind(),
                    x - NODE_WIDTH / 2,
                    y - h[i] / 2,
                    NODE_WIDTH,
                    h[i],
                    a.live(i),
                    a.live(i) ? fill(node.kind()) : "#ffffff",
                    labels);
        }
    }

    private static String kindLabel(FusionGraph.Kind kind) {
        return switch (kind) {
            case EMBEDDING -> "embeddings";
            case AUX_CROSS -> "aux. cross";
            case CROSS -> "cross";
            case DEEP -> "deep";
            case OUTPUT -> "output";
        };
    }

    private static String fill(FusionGraph.Kind kind) {
        return switch (kind) {
            case EMBEDDING -> "#e8e8e8";
            case AUX_CROSS -> "#fbe3c9";
            case CROSS -> "#d8e7f7";
            case DEEP -> "#dcefd6";
            case OUTPUT -> "#f5d9d9";
        };
    }

    private static double[][] bows(int preferred) {
        List<double[]> bows = new ArrayList<>();
        for (int b1 = -MAX_BOW; b1 <= MAX_BOW; b1 += BOW_STEP) {
            for (int b2 = -MAX_BOW; b2 <= MAX_BOW; b2 += BOW_STEP) {
                double cost = Math.abs(b1) + Math.abs(b2) + Math.abs(b1 - b2) / 2.0;
                cost += (b1 * preferred < 0 || b2 * preferred < 0) ? 5 : 0;
                cost += ((long) b1 * b2 < 0) ? 50 : 0;
                bows.add(new double[] {b1, b2, cost});
            }
        }
        bows.sort(Comparator.comparingDouble(b -> b[2]));
        return bows.toArray(new double[0][]);
    }

    /** The point of the cubic {@code c} (p0, c1, c2, p3 as x, y pairs) at t. */
    static double[] point(double[] c, double t) {
        double u = 1 - t;
        double b0 = u * u * u;
        double b1 = 3 * u * u * t;
        double b2 = 3 * u * t * t;
        double b3 = t * t * t;
        return new double[] {
            b0 * c[0] + b1 * c[2] + b2 * c[4] + b3 * c[6],
            b0 * c[1] + b1 * c[3] + b2 * c[5] + b3 * c[7]
        };
    }

    /** The arrowhead at p3, along the curve's end tangent (p3 − c2): tip, then the base corners. */
    private static double[] head(double[] c) {
        double tx = c[6] - c[4];
        double ty = c[7] - c[5];
        double len = Math.hypot(tx, ty);
        tx /= len;
        ty /= len;
        double bx = c[6] - tx * ARROW_LENGTH;
        double by = c[7] - ty * ARROW_LENGTH;
        return new double[] {
            c[6],
            c[7],
            bx - ty * ARROW_HALF_WIDTH,
            by + tx * ARROW_HALF_WIDTH,
            bx + ty * ARROW_HALF_WIDTH,
            by - tx * ARROW_HALF_WIDTH
        };
    }
}
