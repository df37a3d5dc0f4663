package io.streamctr.model.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Configures DJL's PyTorch engine for this project before it is first loaded: offline (the native
 * library comes from the {@code pytorch-native-*} jar on the class path, nothing is downloaded), a
 * deliberate cache folder for the extracted libtorch, and the number of torch threads.
 *
 * <p>Every entry point (CLI, job main, tests) calls {@link #configure()} before touching DJL; a
 * value the user already set as a system property or environment variable wins.
 */
public final class DjlRuntime {

    /** System property naming the folder where libtorch is extracted. */
    public static final String CACHE_DIR_PROPERTY = "DJL_CACHE_DIR";

    private static final String ENGINE = "PyTorch";

    private DjlRuntime() {}

    /** Sets DJL's offline, cache and thread properties unless already set; idempotent. */
    public static synchronized void configure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.default_engine", ENGINE);
        if (System.getProperty(CACHE_DIR_PROPERTY) == null
                && System.getenv(CACHE_DIR_PROPERTY) == null) {
            Path dir = Paths.get(System.getProperty("user.home"), ".cache", "streamctr", "djl");
            System.setProperty(CACHE_DIR_PROPERTY, dir.toString());
        }
        // One torch thread per learner: on small machines Flink, Kafka and the learners share the
        // cores, and one thread was measured faster inside Flink than two (docs/deploying.md,
        // runtime notes).
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** The PyTorch engine, configured. */
    public static Engine engine() {
        configure();
        return Engine.getEngine(ENGINE);
    }

    /**
     * Resolves a device choice: {@code auto} = the first GPU when the engine sees one, else the
     * CPU; {@code cpu}; {@code gpu} (fails when there is none) or {@code gpu:N}.
     */
    public static Device resolveDevice(String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(java.util.Locale.ROOT);
        Engine engine = engine();
        int gpus = engine.getGpuCount();
        if (c.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (c.equals("cpu")) {
            return Device.cpu();
        }
        if (c.equals("gpu") || c.startsWith("gpu:")) {
            int id = c.equals("gpu") ? 0 : Integer.parseInt(c.substring(4));
            if (id >= gpus) {
                throw new IllegalArgumentException(
                        "device '"
                                + choice
                                + "' requested but the PyTorch engine sees "
                                + gpus
                                + " GPU(s): a CUDA libtorch is needed (docs/gpu.md: -Pgpu or"
                                + " scripts/gpu-check.sh), or use --device cpu");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException(
                "unknown device '" + choice + "': expected auto, cpu, gpu or gpu:N");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
