package io.streamctr.cli.report;

import io.streamctr.schemas.CalibrationBucket;
import io.streamctr.schemas.MetricsReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts (XChart), one line or point set per model. */
final class ReportCharts {

    private final int width;
    private final int height;

    ReportCharts(int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException(
                    "Expected a plot of at least 100x100 pixels, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    /**
     * A figure of every model's reports against the predictions counted; reports where the figure
     * is undefined are gaps, not zeros.
     */
    XYChart overPredictions(
            ModelRuns runs, String title, String yTitle, Function<MetricsReport, Double> figure) {
        XYChart chart = chart(title, "predictions", yTitle);
        boolean any = false;
        for (String model : runs.models()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (MetricsReport r : runs.reports(model)) {
                Double value = figure.apply(r);
                if (value != null && Double.isFinite(value)) {
                    x.add((double) r.getPredictions());
                    y.add(value);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(model, x, y)
                        .setMarker(x.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
                any = true;
            }
        }
        if (!any) {
            chart.setTitle(title + " (undefined in every report)");
        }
        return chart;
    }

    /**
     * Predicted against observed CTR per score bucket of each model's final window, with the
     * diagonal of perfect calibration. Empty buckets are left out.
     */
    XYChart calibration(ModelRuns runs) {
        XYChart chart =
                chart("Calibration over the final window", "mean predicted CTR", "observed CTR");
        boolean any = false;
        for (String model : runs.models()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (CalibrationBucket b : runs.last(model).getWindowCalibrationBuckets()) {
                if (b.getCount() > 0) {
                    x.add(b.getSumPredictions() / b.getCount());
                    y.add((double) b.getPositives() / b.getCount());
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(model, x, y).setMarker(SeriesMarkers.CIRCLE);
                any = true;
            }
        }
        // added last, so that each model keeps the colour it has in the other plots
        XYSeries diagonal =
                chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(java.awt.Color.GRAY);
        if (!any) {
            chart.setTitle("Calibration: the reports hold no score buckets");
        }
        return chart;
    }

    static byte[] png(XYChart chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart =
                new XYChartBuilder()
                        .width(width)
                        .height(height)
                        .title(title)
                        .xAxisTitle(xTitle)
                        .yAxisTitle(yTitle)
                        .build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }
}
