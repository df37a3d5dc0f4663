package io.streamctr.flink.deploy;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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

    static JavaProcess start(
            String name, Path logDir, List<String> jvmOptions, String mainClass, String... args)
            throws IOException {
        return start(
                name, logDir, System.getProperty("java.class.path"), jvmOptions, mainClass, args);
    }

    /** As {@link #start(String, Path, List, String, String...)} on the given class path. */
    static JavaProcess start(
            String name,
            Path logDir,
            String classPath,
            List<String> jvmOptions,
            String mainClass,
            String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        Path log = logDir.resolve(name + ".out");
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
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

    /**
     * A port free now, taken at random from below the kernel's ephemeral range. A port from {@code
     * new ServerSocket(0)} is an ephemeral one: between this check and the child process's bind,
     * any socket bound to port 0 (Flink's blob server, an outgoing connection) may take it (seen in
     * CI: "Could not start rest endpoint on any port in port range 37075"). Ports below the range
     * are only ever bound by number, so that window needs another process choosing the same number;
     * the callers still retry a start that fails to bind.
     */
    static int freePort() throws IOException {
        int high = ephemeralLow() - 1;
        int low = Math.min(20_000, high - 1_000);
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(low, high + 1);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IOException("no free port in " + low + ".." + high + " after 100 tries");
    }

    /** The first port of the kernel's ephemeral range (Linux), 32768 where it cannot be read. */
    private static int ephemeralLow() {
        try {
            String range =
                    Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > 2_048 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** Deletes a folder and everything in it, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** True when the process's output shows it failed to bind a port (another process took it). */
    boolean failedToBind() {
        return !isAlive() && output().contains("BindException");
    }

    static String path(Path p) {
        return p.toAbsolutePath().toString().replace(File.separatorChar, '/');
    }
}
