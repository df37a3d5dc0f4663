package io.streamctr.model.perf;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time of this process (all its threads), to tell how much of a core a timed section really
 * got: on a shared machine a benchmark's wall time includes the time other processes ran.
 */
public final class ProcessCpu {

    private ProcessCpu() {}

    /** Nanoseconds of CPU this process has used, or -1 when the JVM does not tell. */
    public static long nanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Cores used on average over a section: CPU nanoseconds over wall nanoseconds; NaN when unknown. */
    public static double cores(long cpuNanos, long wallNanos) {
        return cpuNanos < 0 || wallNanos <= 0 ? Double.NaN : (double) cpuNanos / wallNanos;
    }
}
