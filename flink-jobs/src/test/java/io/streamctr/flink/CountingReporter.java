package io.streamctr.flink;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Test-only Flink metric reporter that keeps every counter by name, also after its job and its
 * MiniCluster are gone (Flink's {@code InMemoryReporter} forgets them when the cluster closes), so
 * a test can read an operator's counters once a bounded job has finished. Found through {@code
 * META-INF/services}; {@link #configure} adds it to a configuration.
 */
public final class CountingReporter implements MetricReporter {

    private static final String NAME = "test-counters";
    private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();

    /**
     * Adds this reporter to a MiniCluster configuration and forgets the counters of earlier runs.
     */
    public static void configure(Configuration conf) {
        COUNTERS.clear();
        conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
    }

    /** The sum of every counter registered under this name since {@link #configure}. */
    public static long count(String name) {
        return COUNTERS.getOrDefault(name, List.of()).stream().mapToLong(Counter::getCount).sum();
    }

    /** Whether a counter of this name was registered. */
    public static boolean registered(String name) {
        return COUNTERS.containsKey(name);
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (metric instanceof Counter counter) {
            COUNTERS.computeIfAbsent(metricName, n -> new CopyOnWriteArrayList<>()).add(counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // kept: the test reads them after the job
    }

    /** Creates the reporter. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CountingReporter();
        }
    }
}
