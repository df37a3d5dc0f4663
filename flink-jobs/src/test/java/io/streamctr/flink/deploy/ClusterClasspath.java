package io.streamctr.flink.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Class paths for cluster processes that do not have the job on them, as a Flink distribution's
 * {@code lib/} does not: this test's class path without the project's own classes and without what
 * the job jar brings (DJL and its gson and JNA, the Kafka connector and clients, Avro, Jackson, the
 * state processor API), and without the test libraries. What stays is Flink (runtime, RocksDB state
 * backend, clients), its shaded dependencies and logging.
 */
final class ClusterClasspath {

    /** Path fragments of what the job jar carries (or what only tests use). */
    private static final List<String> JOB_JAR_CONTENT =
            List.of(
                    "/io/streamctr/",
                    "/ai/djl/",
                    "/org/apache/kafka/",
                    "/flink-connector-kafka/",
                    "/flink-avro/",
                    "/org/apache/avro/",
                    "/com/fasterxml/",
                    "/com/google/code/gson/",
                    "/net/java/dev/jna/",
                    "/flink-state-processor-api/",
                    "/org/junit/",
                    "/org/assertj/",
                    "/org/opentest4j/",
                    "/org/apiguardian/");

    private ClusterClasspath() {}

    /** Flink's own jars only: a cluster as a Flink distribution starts it. */
    static String flinkOnly() {
        return select();
    }

    /**
     * Flink's jars plus those in {@code libDir} (e.g. the build's {@code target/flink-lib}), as
     * when they are put in Flink's {@code lib/}.
     */
    static String flinkWith(Path libDir) throws IOException {
        try (Stream<Path> jars = Files.list(libDir)) {
            List<String> extra =
                    jars.filter(p -> p.toString().endsWith(".jar"))
                            .sorted()
                            .map(p -> p.toAbsolutePath().toString())
                            .toList();
            if (extra.isEmpty()) {
                throw new IllegalStateException("no jars in " + libDir.toAbsolutePath());
            }
            return flinkOnly() + File.pathSeparator + String.join(File.pathSeparator, extra);
        }
    }

    private static String select() {
        String repoRoot =
                Path.of(System.getProperty("streamctr.repo.root", "."))
                        .toAbsolutePath()
                        .normalize()
                        .toString();
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().normalize().startsWith(repoRoot))
                .filter(
                        entry ->
                                JOB_JAR_CONTENT.stream()
                                        .noneMatch(
                                                entry.replace(File.separatorChar, '/')::contains))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
