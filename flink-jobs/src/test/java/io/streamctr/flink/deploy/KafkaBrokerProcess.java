package io.streamctr.flink.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker in its own process ({@code kafka.Kafka} with a KRaft config: one combined
 * broker/controller node), its storage formatted first by Kafka's own storage tool.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private final JavaProcess process;
    private final String bootstrap;

    private KafkaBrokerProcess(JavaProcess process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    static KafkaBrokerProcess start(Path dir) throws Exception {
        for (int attempt = 1; ; attempt++) {
            KafkaBrokerProcess kafka = startOnce(dir);
            try {
                kafka.awaitReady();
                return kafka;
            } catch (IllegalStateException e) {
                kafka.close();
                // a port chosen free was taken before the broker bound it: choose again, on fresh
                // storage
                if (attempt < 3 && kafka.process.failedToBind()) {
                    JavaProcess.deleteTree(dir.resolve("data"));
                    continue;
                }
                throw e;
            }
        }
    }

    private static KafkaBrokerProcess startOnce(Path dir) throws Exception {
        int port = JavaProcess.freePort();
        int controllerPort = JavaProcess.freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.bootstrap.servers=localhost:" + controllerPort,
                        "listeners=PLAINTEXT://localhost:"
                                + port
                                + ",CONTROLLER://localhost:"
                                + controllerPort,
                        "advertised.listeners=PLAINTEXT://localhost:" + port,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + JavaProcess.path(dir.resolve("data")),
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=1",
                        "transaction.max.timeout.ms=900000",
                        "group.initial.rebalance.delay.ms=0",
                        ""));
        List<String> jvm = List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + log4j(dir));
        JavaProcess format =
                JavaProcess.start(
                        "kafka-format",
                        dir,
                        jvm,
                        "kafka.tools.StorageTool",
                        "format",
                        "--standalone",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        config.toString());
        waitFor(format, 60);
        JavaProcess broker = JavaProcess.start("kafka", dir, jvm, "kafka.Kafka", config.toString());
        return new KafkaBrokerProcess(broker, "localhost:" + port);
    }

    private static void waitFor(JavaProcess p, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (p.isAlive()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(p.name() + " did not finish:\n" + p.output());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka process died:\n" + process.output());
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "Kafka did not become ready:\n" + process.output(), e);
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
    }

    private Admin admin() {
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        "10000",
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        "5000"));
    }

    void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    String bootstrapServers() {
        return bootstrap;
    }

    static Path log4j(Path dir) throws Exception {
        Path file = dir.resolve("log4j2-process.properties");
        if (!Files.exists(file)) {
            Files.writeString(
                    file,
                    String.join(
                            "\n",
                            "rootLogger.level = WARN",
                            "rootLogger.appenderRef.console.ref = console",
                            "appender.console.type = Console",
                            "appender.console.name = console",
                            "appender.console.layout.type = PatternLayout",
                            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
                            "logger.streamctr.name = io.streamctr",
                            "logger.streamctr.level = INFO",
                            ""));
        }
        return file;
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
