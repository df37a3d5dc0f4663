package io.streamctr.bench;

import io.streamctr.bench.perf.FlopCount;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tables {@link ModelBench} prints. */
public final class ModelBenchTable {

    private ModelBenchTable() {}

    /**
     * Throughput and compute rate per model and batch size; {@code matmulGflops} is the reference
     * rate.
     */
    public static void throughput(
            PrintStream out,
            List<TrainingThroughput.Measurement> rows,
            double matmulGflops,
            double matmulGflopsPerCpuSecond) {
        out.printf(
                Locale.ROOT,
                "%-26s %-8s %6s %6s %6s %10s %11s %10s %10s %8s %6s %10s %8s %8s %11s %10s %13s%n",
                "model",
                "stage",
                "batch",
                "passes",
                "steps",
                "train ms",
                "train ev/s",
                "GFLOP/step",
                "train GF/s",
                "% matmul",
                "cores",
                "ev/cpu-s",
                "GF/cpu-s",
                "% (cpu)",
                "loop ev/s",
                "loop GF/s",
                "loop ev/cpu-s");
        for (TrainingThroughput.Measurement m : rows) {
            double gflops = m.trainGflopsPerSecond();
            double perCpu = m.trainGflopsPerCpuSecond();
            out.printf(
                    Locale.ROOT,
                    "%-26s %-8s %6d %6d %6d %10.1f %11s %10s %10s %8s %6s %10s %8s %8s %11s %10s"
                            + " %13s%n",
                    m.model(),
                    m.stage().name().toLowerCase(Locale.ROOT),
                    m.batchSize(),
                    m.onePass() ? 1 : 2,
                    m.steps(),
                    m.trainMsPerStep(),
                    String.format(Locale.ROOT, "%,.0f", m.trainEventsPerSecond()),
                    m.flops()
                            .map(f -> String.format(Locale.ROOT, "%.2f", f.trainingFlops() / 1e9))
                            .orElse("n/a"),
                    number(gflops, "%.1f"),
                    number(100 * gflops / matmulGflops, "%.0f %%"),
                    number(m.trainCores(), "%.2f"),
                    number(m.trainEventsPerCpuSecond(), "%,.0f"),
                    number(perCpu, "%.1f"),
                    number(100 * perCpu / matmulGflopsPerCpuSecond, "%.0f %%"),
                    String.format(Locale.ROOT, "%,.0f", m.loopEventsPerSecond()),
                    number(m.loopGflopsPerSecond(), "%.1f"),
                    number(m.loopEventsPerCpuSecond(), "%,.0f"));
        }
    }

    /**
     * Where a training step's CPU time goes (the profile), and the wall time of encoding and
     * predicting beside it, ms per step.
     */
    public static void profile(PrintStream out, List<TrainingThroughput.Measurement> rows) {
        out.printf(
                Locale.ROOT,
                "%-26s %-8s %6s %11s %11s %11s %15s %11s %11s%n",
                "model",
                "stage",
                "batch",
                "forward",
                "backward",
                "train",
                "optimizer+",
                "predict",
                "encode");
        for (TrainingThroughput.Measurement m : rows) {
            StepProfile.Split p = m.profile();
            if (p == null) {
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "%-26s %-8s %6d %11.1f %11.1f %11.1f %15.1f %11.1f %11.1f%n",
                    m.model(),
                    m.stage().name().toLowerCase(Locale.ROOT),
                    m.batchSize(),
                    p.forwardMs(),
                    p.backwardMs(),
                    p.trainMs(),
                    p.restMs(),
                    m.predictNanos() / 1e6 / m.steps(),
                    m.encodeNanos() / 1e6 / m.steps());
        }
    }

    /**
     * Where a training step's time goes by libtorch operator ({@link OpProfile}): forward, backward
     * and update with their matrix products, the ceiling those allow, the longest other operators.
     */
    public static void opProfile(PrintStream out, List<TrainingThroughput.Measurement> rows) {
        out.printf(
                Locale.ROOT,
                "%-26s %-8s %6s %9s %9s %9s %9s %9s %9s %9s %9s %6s %11s%n",
                "model",
                "stage",
                "batch",
                "forward",
                "(mm)",
                "backward",
                "(mm)",
                "update",
                "(mm)",
                "step",
                "mm",
                "% mm",
                "ceiling/s");
        for (TrainingThroughput.Measurement m : rows) {
            OpProfile.Summary p = m.ops();
            if (p == null) {
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "%-26s %-8s %6d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %5.0f%%"
                            + " %,11.0f%n",
                    m.model(),
                    m.stage().name().toLowerCase(Locale.ROOT),
                    m.batchSize(),
                    p.forward()[0],
                    p.forward()[1],
                    p.backward()[0],
                    p.backward()[1],
                    p.update()[0],
                    p.update()[1],
                    p.totalMs(),
                    p.matmulMs(),
                    100 * p.matmulMs() / p.totalMs(),
                    p.matmulCeilingEventsPerSecond(m.batchSize()));
            StringBuilder others = new StringBuilder("    longest other operators:");
            p.others().entrySet().stream()
                    .limit(6)
                    .forEach(
                            e ->
                                    others.append(
                                            String.format(
                                                    Locale.ROOT,
                                                    " %s %.1f",
                                                    e.getKey().replace("aten::", ""),
                                                    e.getValue())));
            out.println(others);
        }
    }

    /** Each counted model's training FLOPs by part, as shares, once per model and stage. */
    public static void flopShares(PrintStream out, List<TrainingThroughput.Measurement> rows) {
        String last = null;
        for (TrainingThroughput.Measurement m : rows) {
            String key = m.model() + " " + m.stage();
            if (m.flops().isEmpty() || key.equals(last)) {
                continue;
            }
            last = key;
            FlopCount f = m.flops().get();
            StringBuilder line = new StringBuilder();
            for (Map.Entry<String, Long> part : f.trainingFlopsByPart(1).entrySet()) {
                line.append(
                        String.format(
                                Locale.ROOT,
                                "  %s %.1f %%",
                                part.getKey(),
                                100.0 * part.getValue() / f.trainingFlops()));
            }
            out.printf(
                    Locale.ROOT,
                    "%-26s %-8s %.1f MFLOP/event:%s%n",
                    m.model(),
                    m.stage().name().toLowerCase(Locale.ROOT),
                    f.trainingFlops() / 1e6 / m.batchSize(),
                    line);
        }
    }

    private static String number(double value, String format) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "n/a";
    }
}
