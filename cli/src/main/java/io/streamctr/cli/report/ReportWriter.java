package io.streamctr.cli.report;

import io.streamctr.model.optfusion.ArchitectureSvg;
import io.streamctr.model.optfusion.ArchitectureWriter;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.schemas.MetricsReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * Writes the {@code report} command's files: PNG plots of window AUC, NE and gAUC over the
 * predictions (one line per model), a calibration plot of each model's final window, and {@value
 * #HTML} with the plots embedded and a table of the final figures per model; with the JSON of an
 * OptFusion run's learned architecture, its drawing too.
 */
public final class ReportWriter {

    public static final String HTML = "report.html";
    public static final String WINDOW_AUC_PNG = "window-auc.png";
    public static final String WINDOW_NE_PNG = "window-ne.png";
    public static final String WINDOW_GAUC_PNG = "window-gauc.png";
    public static final String CALIBRATION_PNG = "calibration.png";

    /** What was written. */
    public record Written(List<Path> plots, Path html, int models, int reports) {}

    private final ReportCharts charts;

    /**
     * @param width and {@code height}: the plots' size in pixels, at least 100 each
     */
    public ReportWriter(int width, int height) {
        this.charts = new ReportCharts(width, height);
    }

    /**
     * @param source where the reports came from, for the page's note
     * @throws IllegalArgumentException when there is no report
     */
    public Written write(List<MetricsReport> reports, Path outputDir, String source)
            throws IOException {
        return write(reports, outputDir, source, Map.of());
    }

    /**
     * As {@link #write(List, Path, String)}, with learned OptFusion architectures: each drawn as
     * SVG inline in the page, under a caption with its name and blocks, and written as {@code
     * NAME.svg} next to the plots.
     *
     * @param architectures by name (a file name without extension, e.g. {@code
     *     optfusion-soft-seed1-architecture}), in page order
     * @throws IllegalArgumentException when there is no report
     */
    public Written write(
            List<MetricsReport> reports,
            Path outputDir,
            String source,
            Map<String, FusionArchitecture> architectures)
            throws IOException {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException(
                    "Expected at least one metrics report in " + source + ", got none");
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        ModelRuns runs = new ModelRuns(reports);
        Files.createDirectories(outputDir);
        List<Path> written = new ArrayList<>();
        List<HtmlReport.Plot> plots = new ArrayList<>();
        plot(
                outputDir,
                WINDOW_AUC_PNG,
                "Window AUC over predictions",
                charts.overPredictions(runs, "Window AUC", "AUC", MetricsReport::getWindowAuc),
                written,
                plots);
        plot(
                outputDir,
                WINDOW_NE_PNG,
                "Window NE over predictions (lower is better; 1 = predicting the CTR)",
                charts.overPredictions(runs, "Window NE", "NE", MetricsReport::getWindowNe),
                written,
                plots);
        plot(
                outputDir,
                WINDOW_GAUC_PNG,
                "Window gAUC over predictions",
                charts.overPredictions(runs, "Window gAUC", "gAUC", MetricsReport::getWindowGauc),
                written,
                plots);
        plot(
                outputDir,
                CALIBRATION_PNG,
                "Calibration: predicted vs observed CTR by score bucket, final window",
                charts.calibration(runs),
                written,
                plots);
        List<HtmlReport.Architecture> drawings = new ArrayList<>();
        for (Map.Entry<String, FusionArchitecture> a : architectures.entrySet()) {
            String svg = ArchitectureSvg.render(a.getValue());
            Path path = outputDir.resolve(a.getKey() + ".svg");
            Files.writeString(path, svg, StandardCharsets.UTF_8);
            written.add(path);
            drawings.add(
                    new HtmlReport.Architecture(
                            a.getKey() + ": " + ArchitectureWriter.summary(a.getValue()), svg));
        }
        Path html = outputDir.resolve(HTML);
        Files.writeString(
                html, HtmlReport.render(runs, plots, drawings, source), StandardCharsets.UTF_8);
        return new Written(written, html, runs.models().size(), reports.size());
    }

    private static void plot(
            Path dir,
            String file,
            String caption,
            XYChart chart,
            List<Path> written,
            List<HtmlReport.Plot> plots)
            throws IOException {
        byte[] png = ReportCharts.png(chart);
        Path path = dir.resolve(file);
        Files.write(path, png);
        written.add(path);
        plots.add(new HtmlReport.Plot(caption, png));
    }
}
