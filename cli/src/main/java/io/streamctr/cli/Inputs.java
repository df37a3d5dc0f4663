package io.streamctr.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks of the values commands take (paths, numbers, devices) before any work starts: a bad one is
 * a {@link UsageException} naming the option, the value and what was expected.
 */
public final class Inputs {

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu(:\\d+)?");

    private Inputs() {}

    /** {@code path} if it exists; {@code expected} says what it should be, e.g. "a directory". */
    public static Path existing(String option, Path path, String expected) {
        if (!Files.exists(path)) {
            throw new UsageException(option + " " + path + " does not exist: expected " + expected);
        }
        return path;
    }

    /** {@code path} if it is a directory. */
    public static Path directory(String option, Path path, String expected) {
        existing(option, path, expected);
        if (!Files.isDirectory(path)) {
            throw new UsageException(
                    option + " " + path + " is not a directory: expected " + expected);
        }
        return path;
    }

    /** {@code path} if it is a file this process can read. */
    public static Path readableFile(String option, Path path, String expected) {
        existing(option, path, expected);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new UsageException(
                    option + " " + path + " is not a readable file: expected " + expected);
        }
        return path;
    }

    /** An output directory: {@code path} unless it exists as something else than a directory. */
    public static Path outputDirectory(String option, Path path) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UsageException(
                    option + " " + path + " is a file: expected a directory (made if missing)");
        }
        return path;
    }

    /** An output file: {@code path} if its directory exists and it is not itself a directory. */
    public static Path outputFile(String option, Path path) {
        Path parent = path.toAbsolutePath().getParent();
        if (Files.isDirectory(path) || parent == null || !Files.isDirectory(parent)) {
            throw new UsageException(
                    option + " " + path + ": expected a file in an existing directory");
        }
        return path;
    }

    /** {@code value} if it is at least {@code min}. */
    public static long atLeast(String option, long value, long min) {
        if (value < min) {
            throw new UsageException(option + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /**
     * {@code device} if it is auto, cpu, gpu or gpu:N (whether that GPU exists is checked later).
     */
    public static String device(String device) {
        if (device == null || !DEVICE.matcher(device.trim().toLowerCase(Locale.ROOT)).matches()) {
            throw new UsageException(
                    "--device " + device + " is not a device: expected auto, cpu, gpu or gpu:N");
        }
        return device;
    }
}
