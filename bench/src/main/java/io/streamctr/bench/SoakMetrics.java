package io.streamctr.bench;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for the job soak: keeps every metric the MiniCluster in this JVM
 * registers (job checkpoint statistics, task back-pressure, the learners' counters, RocksDB's
 * native memory gauges) in one static table, so {@link JobSoak} can read them while the job runs.
 * Registered by {@link #configure}; found by Flink through {@code META-INF/services}.
 */
public final class SoakMetrics implements MetricReporter {

    private static final String NAME = "streamctr-soak";
    private static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

    /** Adds this reporter to a MiniCluster configuration. */
    public static void configure(Configuration conf) {
        conf.setString("metrics.reporters", NAME);
        conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
    }

    /** Forgets every metric (between runs). */
    public static void clear() {
        METRICS.clear();
    }

    /**
     * The sum of the numeric metrics (counters and number gauges) with this name; empty if none.
     */
    public static OptionalDouble sum(String name) {
        return fold(name::equals, true);
    }

    /** The largest of the numeric metrics with this name; empty if none. */
    public static OptionalDouble max(String name) {
        return fold(name::equals, false);
    }

    /** The sum of the numeric metrics whose name ends with {@code suffix}; empty if none. */
    public static OptionalDouble sumEndingWith(String suffix) {
        return fold(n -> n.endsWith(suffix), true);
    }

    private static OptionalDouble fold(Predicate<String> name, boolean sum) {
        double total = 0;
        boolean found = false;
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            String metricName = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            if (!name.test(metricName) && !name.test(e.getKey())) {
                continue;
            }
            OptionalDouble v = value(e.getValue());
            if (v.isPresent()) {
                total =
                        !found
                                ? v.getAsDouble()
                                : sum ? total + v.getAsDouble() : Math.max(total, v.getAsDouble());
                found = true;
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    private static OptionalDouble value(Metric metric) {
        if (metric instanceof Counter c) {
            return OptionalDouble.of(c.getCount());
        }
        if (metric instanceof Gauge<?> g) {
            Object v = g.getValue();
            if (v instanceof Number n) {
                return OptionalDouble.of(n.doubleValue());
            }
        }
        return OptionalDouble.empty();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(metricName), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.remove(group.getMetricIdentifier(metricName), metric);
    }

    /** Creates the reporter. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SoakMetrics();
        }
    }
}
