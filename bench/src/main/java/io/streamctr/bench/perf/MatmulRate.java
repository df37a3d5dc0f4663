package io.streamctr.bench.perf;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.streamctr.model.runtime.DjlRuntime;

/**
 * The machine's fp32 matrix-multiply rate through the same libtorch (and the same torch thread
 * count) the models train on: {@code NDArray.matMul} of two random n × n fp32 matrices, 2·n³ FLOPs
 * each, after one untimed product; repeated until {@code minSeconds} have passed (at least twice).
 */
public final class MatmulRate {

    /** What was measured. */
    public record Result(int n, int products, long nanos, long cpuNanos) {
        public double gflopsPerSecond() {
            return 2.0 * n * n * n * products / nanos;
        }

        /**
         * GFLOP per second of CPU time ({@link ProcessCpu}): about the rate with the cores to
         * itself, on a shared machine.
         */
        public double gflopsPerCpuSecond() {
            return cpuNanos <= 0 ? Double.NaN : 2.0 * n * n * n * products / cpuNanos;
        }

        /** Cores used while multiplying (see {@link ProcessCpu}). */
        public double coresUsed() {
            return ProcessCpu.cores(cpuNanos, nanos);
        }
    }

    private MatmulRate() {}

    public static Result measure(Device device, int n, double minSeconds) {
        if (n <= 0) {
            throw new IllegalArgumentException("matrix size must be > 0, got " + n);
        }
        try (NDManager manager = DjlRuntime.engine().newBaseManager(device)) {
            NDArray a = manager.randomNormal(0f, 1f, new Shape(n, n), DataType.FLOAT32);
            NDArray b = manager.randomNormal(0f, 1f, new Shape(n, n), DataType.FLOAT32);
            try (NDManager warm = manager.newSubManager()) {
                a.matMul(b).attach(warm);
            }
            long limit = (long) (minSeconds * 1e9);
            int products = 0;
            long cpu = ProcessCpu.nanos();
            long started = System.nanoTime();
            long elapsed;
            do {
                try (NDManager step = manager.newSubManager()) {
                    NDArray c = a.matMul(b);
                    c.attach(step);
                    // reading one value waits for the product on an asynchronous device
                    c.getFloat(0, 0);
                }
                products++;
                elapsed = System.nanoTime() - started;
            } while (elapsed < limit || products < 2);
            long cpuUsed = cpu < 0 ? -1 : ProcessCpu.nanos() - cpu;
            return new Result(n, products, elapsed, cpuUsed);
        }
    }
}
