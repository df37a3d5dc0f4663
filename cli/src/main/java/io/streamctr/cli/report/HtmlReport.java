package io.streamctr.cli.report;

import io.streamctr.schemas.MetricsReport;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained page: a table of each model's final figures and the plots as base64 PNG data
 * URIs. Written as well-formed XHTML, so that any XML parser reads it.
 */
final class HtmlReport {

    /** A plot: its caption and PNG bytes. */
    record Plot(String caption, byte[] png) {}

    /** A learned OptFusion architecture: its caption and the SVG drawing, put inline. */
    record Architecture(String caption, String svg) {}

    private HtmlReport() {}

    static String render(ModelRuns runs, List<Plot> plots, String source) {
        return render(runs, plots, List.of(), source);
    }

    static String render(
            ModelRuns runs, List<Plot> plots, List<Architecture> architectures, String source) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append(
                        "<!DOCTYPE html>\n"
                                + "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
                                + "<head>\n")
                .append(
                        "<meta charset=\"utf-8\"/>\n"
                                + "<title>streamctr metrics report</title>\n"
                                + "<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}")
                .append(
                        "table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:4px"
                                + " 8px;text-align:right}")
                .append(
                        "th:first-child,td:first-child{text-align:left}img{max-width:100%;border:1px"
                            + " solid #ddd}")
                .append("figure{margin:1.5em 0}.note{color:#666;font-size:90%}")
                .append(
                        "figure.architecture svg{max-width:100%;height:auto;border:1px solid"
                                + " #ddd}\n")
                .append("</style>\n</head>\n<body>\n<h1>streamctr metrics report</h1>\n")
                .append("<p class=\"note\">From ")
                .append(escape(source))
                .append("; ")
                .append(runs.models().size())
                .append(" model(s). Final figures: each model's final report, or its ")
                .append(
                        "latest when the run has not ended. Undefined figures show n/a and"
                                + " why.</p>\n");
        table(h, runs);
        for (Plot plot : plots) {
            h.append("<figure>\n<img alt=\"")
                    .append(escape(plot.caption()))
                    .append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(plot.png()))
                    .append("\"/>\n<figcaption>")
                    .append(escape(plot.caption()))
                    .append("</figcaption>\n</figure>\n");
        }
        if (!architectures.isEmpty()) {
            h.append("<h2>OptFusion architecture</h2>\n");
        }
        for (Architecture a : architectures) {
            h.append("<figure class=\"architecture\">\n")
                    .append(a.svg())
                    .append("<figcaption>")
                    .append(escape(a.caption()))
                    .append("</figcaption>\n</figure>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, ModelRuns runs) {
        Map<String, java.util.function.Function<MetricsReport, String>> columns = columns();
        h.append("<table id=\"final-figures\">\n<thead><tr>");
        for (String name : columns.keySet()) {
            h.append("<th>").append(escape(name)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (String model : runs.models()) {
            MetricsReport r = runs.last(model);
            h.append("<tr data-model=\"").append(escape(model)).append("\">");
            for (var column : columns.values()) {
                h.append("<td>").append(escape(column.apply(r))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static Map<String, java.util.function.Function<MetricsReport, String>> columns() {
        Map<String, java.util.function.Function<MetricsReport, String>> c = new LinkedHashMap<>();
        c.put("model", MetricsReport::getModelName);
        c.put("version", r -> Long.toString(r.getModelVersion()));
        c.put("predictions", r -> String.format(Locale.ROOT, "%d", r.getPredictions()));
        c.put("labelled", r -> String.format(Locale.ROOT, "%d", r.getCount()));
        c.put("AUC", r -> fmt(r.getLifetimeAuc(), r.getLifetimeAucUndefinedReason()));
        c.put("NE", r -> fmt(r.getLifetimeNe(), r.getLifetimeAucUndefinedReason()));
        c.put("LogLoss", r -> fmt(r.getLifetimeLogLoss(), null));
        c.put("calibration", r -> fmt(r.getLifetimeCalibration(), null));
        c.put("CTR", r -> fmt(r.getLifetimeCtr(), null));
        c.put("mean prediction", r -> fmt(r.getLifetimePredictionMean(), null));
        c.put("window", r -> r.getWindowCount() + " of " + r.getWindowSize());
        c.put("window AUC", r -> fmt(r.getWindowAuc(), r.getWindowAucUndefinedReason()));
        c.put("window NE", r -> fmt(r.getWindowNe(), r.getWindowAucUndefinedReason()));
        c.put("window gAUC", r -> fmt(r.getWindowGauc(), r.getWindowGaucUndefinedReason()));
        c.put(
                "gAUC users (skipped)",
                r -> r.getWindowGaucUsers() + " (" + r.getWindowGaucUsersSkipped() + ")");
        c.put(
                "events/s",
                r ->
                        r.getEventsPerSecond() == null
                                ? "n/a"
                                : String.format(Locale.ROOT, "%.0f", r.getEventsPerSecond()));
        c.put(
                "event time",
                r ->
                        r.getMinEventTime() == null
                                ? "n/a"
                                : Instant.ofEpochMilli(r.getMinEventTime())
                                        + " .. "
                                        + Instant.ofEpochMilli(r.getMaxEventTime()));
        c.put("final", r -> r.getFinalReport() ? "yes" : "no (latest)");
        return c;
    }

    /** Four decimals, or "n/a" with the reason when the figure is undefined. */
    static String fmt(Double value, String reason) {
        if (value == null) {
            return reason == null ? "n/a" : "n/a (" + reason + ")";
        }
        return String.format(Locale.ROOT, "%.4f", value);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
