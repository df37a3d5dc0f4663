package io.streamctr.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import io.streamctr.model.optfusion.ArchitectureWriter;
import io.streamctr.model.optfusion.FusionArchitecture;
import io.streamctr.model.optfusion.FusionGraph;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.schemas.CalibrationBucket;
import io.streamctr.schemas.MetricsReport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportCommandTest {

    /** A line as tail --metrics wrote it before the gAUC, reason and bucket fields existed. */
    private static final String OLD_FORMAT_LINE =
            "{\"modelName\": \"dnn\", \"modelVersion\": 1, \"count\": 90, \"predictions\": 100,"
                + " \"lifetimeAuc\": 0.61, \"lifetimeNe\": 0.99, \"lifetimeLogLoss\": 0.69,"
                + " \"lifetimeCalibration\": 1.1, \"lifetimeCtr\": 0.3, \"windowAuc\": 0.6,"
                + " \"windowNe\": 0.98, \"windowLogLoss\": 0.68, \"windowCalibration\": 1.05,"
                + " \"windowCtr\": 0.31, \"windowSize\": 50, \"windowCount\": 50, \"minEventTime\":"
                + " 1000, \"maxEventTime\": 99000, \"wallTime\": 5, \"eventsPerSecond\": 120.5,"
                + " \"finalReport\": false}";

    private static MetricsReport report(
            String model, long predictions, Double windowAuc, double ne, boolean last) {
        List<CalibrationBucket> buckets = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            long n = b == 9 ? 0 : 5 + b;
            buckets.add(
                    new CalibrationBucket(
                            b / 10.0, (b + 1) / 10.0, n, n / 3, n * (b + 0.5) / 10.0));
        }
        return MetricsReport.newBuilder()
                .setModelName(model)
                .setModelVersion(predictions / 10)
                .setCount(predictions - 10)
                .setPredictions(predictions)
                .setLifetimeAuc(windowAuc == null ? null : windowAuc - 0.01)
                .setLifetimeNe(ne + 0.01)
                .setLifetimeLogLoss(0.5)
                .setLifetimeCalibration(1.02)
                .setLifetimeCtr(0.3)
                .setLifetimePredictionMean(0.31)
                .setLifetimeAucUndefinedReason(windowAuc == null ? "one class" : null)
                .setWindowAuc(windowAuc)
                .setWindowNe(windowAuc == null ? null : ne)
                .setWindowAucUndefinedReason(windowAuc == null ? "one class" : null)
                .setWindowLogLoss(0.5)
                .setWindowCalibration(1.0)
                .setWindowCtr(0.3)
                .setWindowPredictionMean(0.3)
                .setWindowGauc(windowAuc == null ? null : windowAuc - 0.05)
                .setWindowGaucUsers(12)
                .setWindowGaucUsersSkipped(3)
                .setWindowCalibrationBuckets(buckets)
                .setWindowSize(50)
                .setWindowCount(50)
                .setMinEventTime(1_000L)
                .setMaxEventTime(predictions * 1000)
                .setWallTime(predictions)
                .setEventsPerSecond(250.0)
                .setFinalReport(last)
                .build();
    }

    /** Two models side by side, the way the job writes them, plus an old line and an error line. */
    private static Path fixture(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(OLD_FORMAT_LINE);
        for (int i = 1; i <= 6; i++) {
            lines.add(
                    report("dnn", 100L * i + 100, 0.60 + 0.02 * i, 0.95 - 0.01 * i, false)
                            .toString());
            lines.add(
                    report(
                                    "interformer",
                                    100L * i + 100,
                                    i == 1 ? null : 0.62 + 0.025 * i,
                                    0.97 - 0.015 * i,
                                    false)
                            .toString());
        }
        lines.add(
                "{\"error\": \"unknown schema fingerprint 0000000000000001\", \"topic\":"
                        + " \"ctr.metrics\", \"partition\": 0, \"offset\": 9}");
        lines.add(report("dnn", 750, 0.7321, 0.8812, true).toString());
        lines.add(report("interformer", 750, 0.7555, 0.8601, true).toString());
        lines.add("");
        Path file = dir.resolve("metrics.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static int run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "report";
        System.arraycopy(args, 0, command, 1, args.length);
        return CliRun.of(command).exitCode();
    }

    @Test
    void writesPlotsAndASelfContainedPageFromAJsonLinesDump(@TempDir Path dir) throws Exception {
        Path input = fixture(dir);
        Path output = dir.resolve("report");

        int exit =
                run(
                        "--input",
                        input.toString(),
                        "--output",
                        output.toString(),
                        "--width",
                        "640",
                        "--height",
                        "400");

        assertThat(exit).isZero();
        for (String png :
                List.of(
                        ReportWriter.WINDOW_AUC_PNG,
                        ReportWriter.WINDOW_NE_PNG,
                        ReportWriter.WINDOW_GAUC_PNG,
                        ReportWriter.CALIBRATION_PNG)) {
            BufferedImage image = ImageIO.read(output.resolve(png).toFile());
            assertThat(image).as(png).isNotNull();
            assertThat(image.getWidth()).as(png).isEqualTo(640);
            assertThat(image.getHeight()).as(png).isEqualTo(400);
        }

        Document page =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(output.resolve(ReportWriter.HTML).toFile());
        Map<String, List<String>> rows = new HashMap<>();
        NodeList trs = page.getElementsByTagName("tr");
        for (int i = 0; i < trs.getLength(); i++) {
            Element tr = (Element) trs.item(i);
            if (tr.hasAttribute("data-model")) {
                List<String> cells = new ArrayList<>();
                NodeList tds = tr.getElementsByTagName("td");
                for (int j = 0; j < tds.getLength(); j++) {
                    cells.add(tds.item(j).getTextContent());
                }
                rows.put(tr.getAttribute("data-model"), cells);
            }
        }
        assertThat(rows).containsOnlyKeys("dnn", "interformer");
        assertThat(rows.get("dnn")).contains("dnn", "750", "0.7321", "0.8812", "0.6821", "yes");
        assertThat(rows.get("interformer"))
                .contains("interformer", "0.7555", "0.8601", "0.7055", "12 (3)");

        NodeList images = page.getElementsByTagName("img");
        assertThat(images.getLength()).isEqualTo(4);
        for (int i = 0; i < images.getLength(); i++) {
            String src = ((Element) images.item(i)).getAttribute("src");
            assertThat(src).startsWith("data:image/png;base64,");
            byte[] png =
                    Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image.getWidth()).isEqualTo(640);
        }
    }

    @Test
    void drawsAnOptFusionArchitectureInlineWhenGivenItsJson(@TempDir Path dir) throws Exception {
        FusionGraph g = new FusionGraph(1, true);
        float[] alpha = {0.5f, 0.2f, -0.1f, 0.3f, 0.4f, 0.1f, -0.2f, 0.7f, -0.3f};
        float[][] beta = {{1f, 0f, 0f, 0f}, {0f, 2f, 0f, 0f}, {0f, 0f, 0f, 3f}};
        Path json = dir.resolve("optfusion-soft-seed1-architecture.json");
        Files.writeString(
                json,
                ArchitectureWriter.toJson(
                        new FusionArchitecture(g, OptFusionConfig.Variant.SOFT, alpha, beta)));
        Path output = dir.resolve("report");

        int exit =
                run(
                        "--input",
                        fixture(dir).toString(),
                        "--output",
                        output.toString(),
                        "--architecture",
                        json.toString());

        assertThat(exit).isZero();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document page =
                factory.newDocumentBuilder().parse(output.resolve(ReportWriter.HTML).toFile());
        NodeList svgs = page.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        assertThat(svgs.getLength()).isEqualTo(1);
        NodeList groups = ((Element) svgs.item(0)).getElementsByTagNameNS("*", "g");
        int nodes = 0;
        int edges = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            String cls = ((Element) groups.item(i)).getAttribute("class");
            nodes += cls.equals("node") ? 1 : 0;
            edges += cls.equals("edge") ? 1 : 0;
        }
        assertThat(nodes).isEqualTo(5);
        assertThat(edges).isEqualTo(6);
        assertThat(page.getElementsByTagNameNS("*", "figcaption").item(4).getTextContent())
                .startsWith("optfusion-soft-seed1-architecture: C1=ADD(E)");
        assertThat(output.resolve("optfusion-soft-seed1-architecture.svg")).exists();
    }

    @Test
    void aBadArchitectureFileIsAUsageError(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("a.json");
        Files.writeString(json, "{\"variant\":\"soft\",\"blocks\":0}");

        int exit =
                run(
                        "--input",
                        fixture(dir).toString(),
                        "--output",
                        dir.resolve("report").toString(),
                        "--architecture",
                        json.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void readsOldLinesWithDefaultsAndSkipsErrorLines(@TempDir Path dir) throws Exception {
        MetricsReportSource.Reports reports = MetricsReportSource.fromJsonLines(fixture(dir));

        assertThat(reports.reports()).hasSize(15);
        assertThat(reports.skipped()).isEqualTo(1);
        MetricsReport old = reports.reports().get(0);
        assertThat(old.getWindowAuc()).isEqualTo(0.6);
        assertThat(old.getWindowGauc()).isNull();
        assertThat(old.getWindowGaucUsers()).isZero();
        assertThat(old.getWindowCalibrationBuckets()).isEmpty();
        assertThat(reports.reports().get(2).getWindowAuc()).isNull();
        assertThat(reports.reports().get(2).getWindowAucUndefinedReason()).isEqualTo("one class");
        assertThat(reports.reports().get(14))
                .isEqualTo(report("interformer", 750, 0.7555, 0.8601, true));
    }

    @Test
    void pageShowsWhyAFigureIsUndefined(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("one.jsonl");
        Files.writeString(input, report("dnn", 100, null, 0.9, true) + "\n");

        int exit = run("--input", input.toString(), "--output", dir.resolve("out").toString());

        assertThat(exit).isZero();
        String html = Files.readString(dir.resolve("out").resolve(ReportWriter.HTML));
        assertThat(html).contains("n/a (one class)").doesNotContain("NaN");
        assertThat(ImageIO.read(dir.resolve("out").resolve(ReportWriter.WINDOW_AUC_PNG).toFile()))
                .isNotNull();
    }

    @Test
    void failsWithTheLineThatIsNotAReport(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, OLD_FORMAT_LINE + "\n{\"modelName\": \"dnn\"}\n");

        assertThat(run("--input", input.toString(), "--output", dir.resolve("out").toString()))
                .isEqualTo(2);
        assertThat(
                        run(
                                "--input",
                                dir.resolve("missing.jsonl").toString(),
                                "--output",
                                dir.toString()))
                .isEqualTo(2);
    }
}
