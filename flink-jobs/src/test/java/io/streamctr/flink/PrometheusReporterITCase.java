package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.learn.LearnerOperator;
import io.streamctr.flink.metrics.MetricsOperator;
import io.streamctr.flink.source.DeadLetterSplitter;
import io.streamctr.schemas.ClickEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus reporter the Docker cluster runs (docker/, docs/metrics.md), on a MiniCluster: the
 * job runs unbounded on a few MovieLens events and one undecodable record, and the reporter's HTTP
 * endpoint is scraped for the gauges the Grafana dashboard draws: the metrics operator's window AUC
 * and events/s per model, the learner's skipped steps, the dead letters.
 */
class PrometheusReporterITCase {

    private static final int EVENTS = 1_500;
    private static final String MODEL = "lr";

    /** The dashboard in the repository (the module's directory is the tests' working directory). */
    private static final Path DASHBOARD =
            Path.of("..", "docker", "grafana", "dashboards", "streamctr.json");

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void exportsTheLearnersAndTheMetricsOperatorsGauges(@TempDir Path checkpoints)
            throws Exception {
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        Configuration conf = EmbeddedJobRun.prepare(KAFKA, checkpoints, events, 1, List.of(MODEL));
        KafkaTestIO.produceRaw(
                KAFKA.bootstrapServers(),
                "ctr.events",
                "x".getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 2, 3});
        // unbounded: the job keeps running, so its metrics stay registered while we scrape
        conf.set(JobOptions.BOUNDED, false);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 500);
        conf.set(JobOptions.BATCH_SIZE, 32);
        int port = freePort();
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(port));

        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        StreamCtrPipeline.build(env, conf);
        JobClient job = env.executeAsync("streamctr-prometheus-itcase");
        try {
            String scrape = scrapeUntilReported(port, Duration.ofSeconds(180));
            double windowAuc =
                    gauge(scrape, MetricsOperator.METRIC_WINDOW_AUC, MODEL).orElseThrow();
            double eventsPerSecond =
                    gauge(scrape, MetricsOperator.METRIC_EVENTS_PER_SECOND, MODEL).orElseThrow();
            double skipped = gauge(scrape, LearnerOperator.METRIC_SKIPPED, MODEL).orElseThrow();
            double deadLetters = gauge(scrape, DeadLetterSplitter.COUNTER, null).orElseThrow();
            System.out.printf(
                    "scraped: window AUC %.4f, %.0f events/s, %.0f skipped steps, %.0f dead"
                            + " letters%n",
                    windowAuc, eventsPerSecond, skipped, deadLetters);
            assertThat(windowAuc).isBetween(0.0, 1.0).isNotEqualTo(0.0);
            assertThat(eventsPerSecond).isGreaterThan(0.0);
            assertThat(skipped).isZero();
            assertThat(deadLetters).isEqualTo(1.0);
            // every series the Grafana dashboard queries is in the scrape, under that exact name
            assertThat(dashboardMetricNames())
                    .isNotEmpty()
                    .allSatisfy(
                            name ->
                                    assertThat(scrape)
                                            .as("the dashboard's %s", name)
                                            .containsPattern("(?m)^" + name + "\\{"));
        } finally {
            job.cancel().get();
        }
    }

    /** Scrapes until the window AUC of the model has a value (the first report is out). */
    private static String scrapeUntilReported(int port, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5))
                        .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            try {
                body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                Optional<Double> auc = gauge(body, MetricsOperator.METRIC_WINDOW_AUC, MODEL);
                if (auc.isPresent()
                        && auc.get() > 0
                        && gauge(body, DeadLetterSplitter.COUNTER, null).isPresent()) {
                    return body;
                }
            } catch (IOException notYet) {
                // the reporter's server starts with the TaskManager
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "no window AUC of " + MODEL + " within " + timeout + "; last scrape:\n" + body);
    }

    /**
     * The value of the first sample of a metric under Flink's Prometheus name: {@code
     * flink_taskmanager_job_task_operator_<metric>}, or {@code ..._model_<metric>} with {@code
     * model="<model>"} among its labels for a metric of a model's group.
     */
    static Optional<Double> gauge(String scrape, String metric, String model) {
        Pattern sample =
                Pattern.compile(
                        "^flink_taskmanager_job_task_operator_"
                                + (model == null ? "" : "model_")
                                + Pattern.quote(metric)
                                + "\\{([^}]*)\\} (\\S+)$",
                        Pattern.MULTILINE);
        Matcher m = sample.matcher(scrape);
        while (m.find()) {
            if (model == null || m.group(1).contains("model=\"" + model + "\"")) {
                return Optional.of(Double.parseDouble(m.group(2)));
            }
        }
        return Optional.empty();
    }

    /** The Prometheus metric names docker/grafana/dashboards/streamctr.json queries. */
    private static Set<String> dashboardMetricNames() throws IOException {
        String json = Files.readString(DASHBOARD);
        Matcher m = Pattern.compile("flink_[A-Za-z_]+").matcher(json);
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
