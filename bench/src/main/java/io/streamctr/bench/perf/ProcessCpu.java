package io.streamctr.bench.perf;

import ai.djl.pytorch.jni.JniUtils;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/**
 * CPU time spent on the measured work, to tell how much of a core a timed section really got: on a
 * shared machine a benchmark's wall time includes the time other processes ran. With one torch
 * intra-op thread every tensor operation runs on the calling thread, so that thread's CPU clock
 * (nanosecond resolution) is the work's CPU time; with more, the work spreads over torch's pool, so
 * the whole process's CPU time is used (which the JVM reports in scheduler ticks, ~10 ms, and which
 * includes the JVM's own threads).
 */
public final class ProcessCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ProcessCpu() {}

    /** {@link #nanos(int)} with the engine's current intra-op thread count. */
    public static long nanos() {
        return nanos(JniUtils.getNumThreads());
    }

    /**
     * Nanoseconds of CPU used so far by the calling thread ({@code torchThreads} ≤ 1) or by this
     * process (more threads); -1 when the JVM does not tell.
     */
    public static long nanos(int torchThreads) {
        if (torchThreads <= 1 && THREADS.isCurrentThreadCpuTimeSupported()) {
            return THREADS.getCurrentThreadCpuTime();
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Cores used on average over a section: CPU nanoseconds over wall nanoseconds; NaN when
     * unknown.
     */
    public static double cores(long cpuNanos, long wallNanos) {
        return cpuNanos < 0 || wallNanos <= 0 ? Double.NaN : (double) cpuNanos / wallNanos;
    }
}
