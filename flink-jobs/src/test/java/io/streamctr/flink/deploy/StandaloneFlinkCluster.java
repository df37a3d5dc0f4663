package io.streamctr.flink.deploy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster as separate processes, as {@code start-cluster.sh} makes one:
 * a JobManager ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code
 * TaskManagerRunner}) reading one {@code config.yaml}, talking over Flink's real RPC. By default
 * the job's classes and DJL are on the processes' class path, as the Docker image puts the job jar
 * in Flink's {@code lib/}: the native library then loads once per TaskManager JVM, across jobs.
 * {@link #start(Path, int, Path, String, List)} takes another class path (e.g. Flink's own jars
 * only, for a job submitted as a jar) and extra {@code config.yaml} lines.
 */
final class StandaloneFlinkCluster implements AutoCloseable {

    private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");

    private final Path dir;
    private final String classPath;
    private final int restPort;
    private final JavaProcess jobManager;
    private final List<JavaProcess> taskManagers = new ArrayList<>();
    private int started;

    private StandaloneFlinkCluster(
            Path dir, String classPath, int restPort, JavaProcess jobManager) {
        this.dir = dir;
        this.classPath = classPath;
        this.restPort = restPort;
        this.jobManager = jobManager;
    }

    static StandaloneFlinkCluster start(Path dir, int taskManagers, Path checkpoints)
            throws Exception {
        return start(
                dir, taskManagers, checkpoints, System.getProperty("java.class.path"), List.of());
    }

    /**
     * A cluster whose processes run on {@code classPath}, with {@code extraConfig} lines added to
     * its config.yaml.
     */
    static StandaloneFlinkCluster start(
            Path dir,
            int taskManagers,
            Path checkpoints,
            String classPath,
            List<String> extraConfig)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            StandaloneFlinkCluster cluster = startOnce(dir, checkpoints, classPath, extraConfig);
            try {
                for (int i = 0; i < taskManagers; i++) {
                    cluster.startTaskManager();
                }
                cluster.awaitTaskManagers(taskManagers);
                return cluster;
            } catch (IllegalStateException e) {
                cluster.close();
                // a port chosen free was taken before the JobManager bound it: choose again
                if (attempt < 3 && cluster.jobManager.failedToBind()) {
                    continue;
                }
                throw e;
            }
        }
    }

    private static StandaloneFlinkCluster startOnce(
            Path dir, Path checkpoints, String classPath, List<String> extraConfig)
            throws Exception {
        int rpcPort = JavaProcess.freePort();
        int restPort = JavaProcess.freePort();
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: localhost",
                        "jobmanager.rpc.port: " + rpcPort,
                        "jobmanager.bind-host: localhost",
                        "jobmanager.memory.process.size: 768m",
                        "rest.address: localhost",
                        "rest.bind-address: localhost",
                        "rest.port: " + restPort,
                        "taskmanager.host: localhost",
                        "taskmanager.bind-host: localhost",
                        "taskmanager.numberOfTaskSlots: 1",
                        "taskmanager.memory.process.size: 1600m",
                        "state.backend.type: rocksdb",
                        "execution.checkpointing.dir: " + checkpoints.toUri(),
                        "execution.checkpointing.interval: 1 s",
                        "restart-strategy.type: fixed-delay",
                        "restart-strategy.fixed-delay.attempts: 10",
                        "restart-strategy.fixed-delay.delay: 1 s",
                        "heartbeat.interval: 1000",
                        "heartbeat.timeout: 5000",
                        "pipeline.generic-types: false",
                        String.join("\n", extraConfig),
                        ""));
        Files.copy(
                KafkaBrokerProcess.log4j(dir),
                conf.resolve("log4j.properties"),
                StandardCopyOption.REPLACE_EXISTING);
        JavaProcess jm =
                JavaProcess.start(
                        "jobmanager",
                        dir,
                        classPath,
                        jvm(conf, "512m"),
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                        "--configDir",
                        conf.toString());
        return new StandaloneFlinkCluster(dir, classPath, restPort, jm);
    }

    private static List<String> jvm(Path conf, String heap) {
        List<String> options = new ArrayList<>();
        if (heap != null) {
            options.add("-Xmx" + heap);
        }
        options.addAll(
                List.of(
                        "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties"),
                        "-Dlog4j2.configurationFile=" + conf.resolve("log4j.properties"),
                        "-Dai.djl.offline=true",
                        "-Dai.djl.pytorch.num_threads=1",
                        "-Dai.djl.pytorch.num_interop_threads=1"));
        return options;
    }

    /**
     * Starts one more TaskManager process. Like {@code taskmanager.sh}, the memory and CPU spec is
     * derived from the configuration here and handed to the process as JVM flags and dynamic
     * properties ({@code -D key=value}).
     */
    JavaProcess startTaskManager() throws Exception {
        Path conf = dir.resolve("conf");
        Configuration config = GlobalConfiguration.loadConfiguration(conf.toString());
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(config);
        List<String> jvm = new ArrayList<>(jvm(conf, null));
        jvm.addAll(List.of(ProcessMemoryUtils.generateJvmParametersStr(spec).trim().split("\\s+")));
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(
                List.of(
                        TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)
                                .trim()
                                .split("\\s+")));
        JavaProcess tm =
                JavaProcess.start(
                        "taskmanager-" + (++started),
                        dir,
                        classPath,
                        jvm,
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        args.toArray(new String[0]));
        taskManagers.add(tm);
        return tm;
    }

    List<JavaProcess> taskManagers() {
        return taskManagers;
    }

    /**
     * The cluster's configuration folder ({@code config.yaml}), as FLINK_CONF_DIR is for {@code
     * flink run}.
     */
    Path configDir() {
        return dir.resolve("conf");
    }

    int restPort() {
        return restPort;
    }

    /** Waits until the JobManager's REST API reports this many registered TaskManagers. */
    void awaitTaskManagers(int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            if (!jobManager.isAlive()) {
                throw new IllegalStateException("the JobManager died:\n" + jobManager.output());
            }
            for (JavaProcess tm : taskManagers) {
                if (!tm.isAlive() && !tm.wasKilled()) {
                    throw new IllegalStateException(tm.name() + " died:\n" + tm.output());
                }
            }
            try {
                last =
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://localhost:"
                                                                        + restPort
                                                                        + "/overview"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                Matcher m = TASK_MANAGERS.matcher(last);
                if (m.find() && Integer.parseInt(m.group(1)) == count) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        StringBuilder logs =
                new StringBuilder("expected " + count + " TaskManagers; last /overview: " + last);
        for (JavaProcess tm : taskManagers) {
            logs.append("\n--- ")
                    .append(tm.name())
                    .append(tm.isAlive() ? " (alive)" : " (dead)")
                    .append(":\n")
                    .append(tm.output());
        }
        throw new IllegalStateException(logs.toString());
    }

    /** The tail of every process's output, for failure messages. */
    String logs() {
        StringBuilder logs = new StringBuilder("--- jobmanager:\n").append(jobManager.output());
        for (JavaProcess tm : taskManagers) {
            logs.append("\n--- ")
                    .append(tm.name())
                    .append(tm.isAlive() ? " (alive)" : " (dead)")
                    .append(":\n")
                    .append(tm.output());
        }
        return logs.toString();
    }

    @Override
    public void close() throws Exception {
        for (JavaProcess tm : taskManagers) {
            tm.close();
        }
        jobManager.close();
    }
}
