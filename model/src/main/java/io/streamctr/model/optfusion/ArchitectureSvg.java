package io.streamctr.model.optfusion;

import java.util.Locale;

/**
 * Draws an {@link ArchitectureLayout} as SVG 1.1 text: one {@code <g class="node">} per block (a
 * rounded rectangle and its labels) and one {@code <g class="edge">} per kept edge (a cubic path
 * and a filled arrowhead), with {@code data-from}/{@code data-to}/{@code data-block} attributes
 * naming the blocks. Plain XML without a DOCTYPE, ids or external references, so it can be written
 * to a file or put inline into an (X)HTML page as it is.
 */
public final class ArchitectureSvg {

    private static final String EDGE = "#444444";
    private static final String DEAD = "#999999";

    private ArchitectureSvg() {}

    /** The SVG of {@code a} laid out by {@link ArchitectureLayout#of(FusionArchitecture)}. */
    public static String render(FusionArchitecture a) {
        return render(ArchitectureLayout.of(a));
    }

    public static String render(ArchitectureLayout layout) {
        StringBuilder s = new StringBuilder(16 * 1024);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"")
                .append(num(layout.width()))
                .append("\" height=\"")
                .append(num(layout.height()))
                .append("\" viewBox=\"0 0 ")
                .append(num(layout.width()))
                .append(' ')
                .append(num(layout.height()))
                .append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n");
        s.append("<title>").append(escape(layout.title().text())).append("</title>\n");
        s.append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        label(s, layout.title(), "#222222");
        s.append("<g class=\"edges\">\n");
        for (ArchitectureLayout.Arrow arrow : layout.arrows()) {
            String colour = arrow.live() ? EDGE : DEAD;
            double[] c = arrow.curve();
            double[] h = arrow.head();
            s.append("<g class=\"edge\" data-from=\"")
                    .append(escape(arrow.from()))
                    .append("\" data-to=\"")
                    .append(escape(arrow.to()))
                    .append("\">");
            s.append("<path d=\"M").append(num(c[0])).append(',').append(num(c[1])).append(" C");
            for (int i = 2; i < 8; i += 2) {
                s.append(num(c[i])).append(',').append(num(c[i + 1])).append(i < 6 ? " " : "");
            }
            s.append("\" fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"1.2\"")
                    .append(arrow.live() ? "" : " stroke-dasharray=\"5,3\"")
                    .append("/>");
            s.append("<polygon points=\"");
            for (int i = 0; i < 6; i += 2) {
                s.append(i == 0 ? "" : " ").append(num(h[i])).append(',').append(num(h[i + 1]));
            }
            s.append("\" fill=\"").append(colour).append("\"/></g>\n");
        }
        s.append("</g>\n<g class=\"nodes\">\n");
        for (ArchitectureLayout.Box box : layout.boxes()) {
            s.append("<g class=\"node\" data-block=\"")
                    .append(escape(box.name()))
                    .append("\" data-kind=\"")
                    .append(box.kind().name().toLowerCase(Locale.ROOT))
                    .append("\"><rect x=\"")
                    .append(num(box.x()))
                    .append("\" y=\"")
                    .append(num(box.y()))
                    .append("\" width=\"")
                    .append(num(box.width()))
                    .append("\" height=\"")
                    .append(num(box.height()))
                    .append("\" rx=\"8\" ry=\"8\" fill=\"")
                    .append(box.fill())
                    .append("\" stroke=\"")
                    .append(box.live() ? "#333333" : DEAD)
                    .append('"')
                    .append(box.live() ? "" : " stroke-dasharray=\"5,3\"")
                    .append("/>");
            for (ArchitectureLayout.Label label : box.labels()) {
                label(s, label, box.live() ? "#222222" : DEAD);
            }
            s.append("</g>\n");
        }
        s.append("</g>\n");
        label(s, layout.note(), "#555555");
        s.append("</svg>\n");
        return s.toString();
    }

    private static void label(StringBuilder s, ArchitectureLayout.Label label, String colour) {
        s.append("<text x=\"")
                .append(num(label.x()))
                .append("\" y=\"")
                .append(num(label.y()))
                .append("\" font-size=\"")
                .append(num(label.size()))
                .append('"')
                .append(label.bold() ? " font-weight=\"bold\"" : "")
                .append(label.centred() ? " text-anchor=\"middle\"" : "")
                .append(" fill=\"")
                .append(colour)
                .append("\">")
                .append(escape(label.text()))
                .append("</text>");
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite coordinate: " + v);
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** XML text and attribute escaping; control characters other than tab and newline dropped. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
