package io.streamctr.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The official OptFusion code's rate on this machine, the reference {@link ModelBench} prints
 * OptFusion's loop beside (issue 18, item 3): the authors' PyTorch supernet
 * (kexin-kxzhang/OptFusion, {@code model/optfusion_search.py}, device set to CPU) under Debian's
 * torch 1.13.1, predict plus one training step per batch of 256, D 10, 39 Criteo fields, one torch
 * thread. The figure is what issue 18 reports; docs/benchmarks.md ("OptFusion beside its official
 * code") has the runs of both side by side and how the official code was run.
 */
public final class OfficialOptFusion {

    /** Lowest and highest official samples/s in issue 18 (1 torch thread, batch 256, D 10). */
    public static final double LOW = 760;

    public static final double HIGH = 863;

    /** The batch size of the official figure; rows at other sizes are not compared. */
    public static final int BATCH = 256;

    private OfficialOptFusion() {}

    /** One line per OptFusion row at batch 256: its loop rate beside the official figure. */
    public static void compare(PrintStream out, List<TrainingThroughput.Measurement> rows) {
        boolean header = false;
        for (TrainingThroughput.Measurement m : rows) {
            if (!m.model().name().startsWith("optfusion") || m.batchSize() != BATCH) {
                continue;
            }
            if (!header) {
                out.printf(
                        Locale.ROOT,
                        "OptFusion beside its official code: the official PyTorch supernet"
                            + " (kexin-kxzhang/OptFusion model/optfusion_search.py on CPU, Debian"
                            + " torch 1.13.1, predict + one training step per batch of %d, D 10, 39"
                            + " Criteo fields, 1 thread) ran at %.0f-%.0f samples/s on this machine"
                            + " (issue 18; same-run pairs in docs/benchmarks.md):%n",
                        BATCH,
                        LOW,
                        HIGH);
                header = true;
            }
            double loop = m.loopEventsPerSecond();
            out.printf(
                    Locale.ROOT,
                    "  %-26s %-8s loop %,.0f ev/s = %.2f-%.2f x the official figure%n",
                    m.model(),
                    m.stage().name().toLowerCase(Locale.ROOT),
                    loop,
                    loop / HIGH,
                    loop / LOW);
        }
    }
}
