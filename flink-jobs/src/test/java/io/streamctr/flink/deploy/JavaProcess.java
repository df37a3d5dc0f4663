package io.streamctr.flink.deploy;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM on this test's class path (the project's Maven dependencies: Flink, Kafka, DJL,
 * the job's classes), with its output in a log file. Used to start real cluster processes.
 */
final class JavaProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static JavaProcess start(String name, Path logDir, List<String> jvmOptions, String mainClass, String... args) throws IOException {
        return start(name, logDir, System.getProperty("java.class.path"), jvmOptions, mainClass, args);
    }

    /** As {@link #start(String, Path, List, String, String...)} on the given class path. */
    static JavaProcess start(String name, Path logDir, String classPath, List<String> jvmOptions, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        Path log = logDir.resolve(name + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new JavaProcess(name, p, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private volatile boolean killed;

    /** True after {@link #kill()}. */
    boolean wasKilled() {
        return killed;
    }

    /** Kills the process at once (SIGKILL), as a crashed machine would. */
    void kill() throws InterruptedException {
        killed = true;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The process's output so far, for failure messages. */
    String output() {
        try {
            String text = Files.readString(log);
            return text.length() > 8_000 ? text.substring(text.length() - 8_000) : text;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String path(Path p) {
        return p.toAbsolutePath().toString().replace(File.separatorChar, '/');
    }
}
