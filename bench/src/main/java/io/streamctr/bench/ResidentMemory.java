package io.streamctr.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The JVM's resident set size, from {@code /proc/self/status} ({@code VmRSS}, Linux only), and the
 * heap in use, for the benchmark's memory lines.
 */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /** Resident bytes of this process; empty where {@code /proc/self/status} cannot be read. */
    public static OptionalLong rssBytes() {
        try {
            return parseVmRssBytes(Files.readString(STATUS, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The {@code VmRSS:} line of a {@code /proc/<pid>/status} text in bytes (the kernel writes it
     * in kB, i.e. KiB); empty when the line is missing or malformed.
     */
    public static OptionalLong parseVmRssBytes(String status) {
        for (String line : status.split("\n")) {
            if (!line.startsWith("VmRSS:")) {
                continue;
            }
            String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
            if (parts.length < 1 || parts[0].isEmpty()) {
                return OptionalLong.empty();
            }
            long value;
            try {
                value = Long.parseLong(parts[0]);
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
            if (value < 0) {
                return OptionalLong.empty();
            }
            String unit = parts.length > 1 ? parts[1].toLowerCase(java.util.Locale.ROOT) : "kb";
            switch (unit) {
                case "kb":
                    return OptionalLong.of(value * 1024L);
                case "mb":
                    return OptionalLong.of(value * 1024L * 1024L);
                case "b":
                    return OptionalLong.of(value);
                default:
                    return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** Heap bytes in use now (not collected first). */
    public static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Heap bytes the JVM has reserved from the OS now (part of the RSS once touched). */
    public static long heapCommittedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /** Bytes as MiB with no decimals, or "n/a". */
    public static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? mib(bytes.getAsLong()) : "n/a";
    }

    public static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
    }

    /** Growth from {@code from} to {@code to} in percent of {@code from}. */
    public static double growthPercent(long from, long to) {
        if (from <= 0) {
            throw new IllegalArgumentException("baseline must be > 0, got " + from);
        }
        return (to - from) * 100.0 / from;
    }
}
