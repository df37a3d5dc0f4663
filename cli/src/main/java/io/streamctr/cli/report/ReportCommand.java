package io.streamctr.cli.report;

import io.streamctr.cli.Inputs;
import io.streamctr.cli.KafkaReachability;
import io.streamctr.cli.UsageException;
import io.streamctr.cli.architecture.ArchitectureJson;
import io.streamctr.model.optfusion.FusionArchitecture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamctr report}: reads the metrics topic (or a saved JSON-lines dump of it) and writes
 * PNG plots of window AUC, NE and gAUC over the predictions, a calibration plot, and one
 * self-contained HTML page with the plots and each model's final figures (and, given {@code
 * --architecture}, the drawing of an OptFusion run's learned architecture).
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Plot the metrics reports (window AUC/NE/gAUC over predictions, calibration) and"
                        + " write one HTML page.")
public final class ReportCommand implements Callable<Integer> {

    /** Where the reports come from. */
    static final class Input {
        @Option(
                names = "--input",
                required = true,
                paramLabel = "FILE",
                description =
                        "A JSON-lines dump of the metrics topic, e.g. demo-output/metrics.jsonl or"
                                + " the output of tail --metrics.")
        Path file;

        @Option(
                names = "--topic",
                required = true,
                paramLabel = "TOPIC",
                description =
                        "Read this metrics topic to its end (read_committed), e.g. ctr.metrics.")
        String topic;
    }

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, with --topic. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "Directory for the PNGs and report.html.")
    Path output;

    @Option(
            names = "--architecture",
            paramLabel = "FILE",
            description =
                    "An OptFusion run's learned architecture as JSON (from evaluate"
                            + " --architecture-dir or architecture): drawn into the page;"
                            + " repeatable.")
    List<Path> architectures = new ArrayList<>();

    @Option(
            names = "--width",
            defaultValue = "900",
            description = "Plot width in pixels. Default: ${DEFAULT-VALUE}.")
    int width;

    @Option(
            names = "--height",
            defaultValue = "500",
            description = "Plot height in pixels. Default: ${DEFAULT-VALUE}.")
    int height;

    @Option(
            names = "--timeout-ms",
            defaultValue = "30000",
            paramLabel = "MS",
            description =
                    "With --topic: give up after this long without progress. Default:"
                            + " ${DEFAULT-VALUE}.")
    long timeoutMs;

    @Option(
            names = "--consumer-property",
            paramLabel = "KEY=VALUE",
            description = "A Kafka consumer setting; repeatable.")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        validate();
        Map<String, FusionArchitecture> drawings = readArchitectures();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MetricsReportSource.Reports reports;
        String source;
        try {
            if (input.file != null) {
                source = input.file.toString();
                reports = MetricsReportSource.fromJsonLines(input.file);
            } else {
                source = "topic " + input.topic + " at " + bootstrapServers;
                KafkaReachability.require(
                        bootstrapServers, consumerProperties, Duration.ofMillis(timeoutMs));
                reports =
                        MetricsReportSource.fromTopic(
                                bootstrapServers,
                                input.topic,
                                consumerProperties,
                                Duration.ofMillis(timeoutMs));
            }
            ReportWriter.Written written =
                    new ReportWriter(width, height)
                            .write(reports.reports(), output, source, drawings);
            for (Path plot : written.plots()) {
                out.println(plot.toAbsolutePath());
            }
            out.println(written.html().toAbsolutePath());
            err.printf(
                    "report: %,d reports of %d model(s) from %s%s%n",
                    written.reports(),
                    written.models(),
                    source,
                    reports.skipped() == 0
                            ? ""
                            : String.format(
                                    ", %,d records skipped (not a report)", reports.skipped()));
            return 0;
        } catch (IllegalArgumentException e) {
            // a line that is not a report, no report at all, no such topic
            throw new UsageException(e.getMessage(), e);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Each --architecture file by its name without .json; a bad one is a usage error. */
    private Map<String, FusionArchitecture> readArchitectures() throws IOException {
        Map<String, FusionArchitecture> result = new LinkedHashMap<>();
        for (Path file : architectures) {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(
                        spec.commandLine(), "--architecture " + file + " is not a file");
            }
            try {
                result.put(
                        file.getFileName().toString().replaceFirst("\\.json$", ""),
                        ArchitectureJson.read(file));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        spec.commandLine(), "--architecture " + e.getMessage());
            }
        }
        return result;
    }

    private void validate() {
        if (input.file != null) {
            Inputs.readableFile("--input", input.file, "a JSON-lines dump of the metrics topic");
        }
        Inputs.outputDirectory("--output", output);
        if (input.topic != null && input.topic.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--topic must not be blank");
        }
        if (width < 100 || height < 100) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--width and --height must be at least 100, got " + width + "x" + height);
        }
        if (timeoutMs <= 0) {
            throw new ParameterException(
                    spec.commandLine(), "--timeout-ms must be > 0, got " + timeoutMs);
        }
    }
}
