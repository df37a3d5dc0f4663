package io.streamctr.bench;

import java.nio.file.Path;

/**
 * What {@link Bench} runs.
 *
 * @param dataDir a MovieLens ml-latest(-small) directory
 * @param model registered model name
 * @param batchSize learner mini-batch size
 * @param passes passes over the data for the enricher/passthrough comparison; 0 = enough for ~1M
 *     events
 * @param warmupEvents events of the learner-loop and whole-job warm-up runs
 * @param skipJob skip the learner loop vs whole job comparison
 * @param skipEnricher skip the enricher vs passthrough comparison
 * @param soakMinutes minutes of the resident-memory soak (0 = none)
 * @param device auto, cpu, gpu or gpu:N
 * @param limit events read from the data set (the first ones in time order); 0 = all
 */
public record BenchSettings(
        Path dataDir,
        String model,
        int batchSize,
        int passes,
        int warmupEvents,
        boolean skipJob,
        boolean skipEnricher,
        double soakMinutes,
        String device,
        int limit) {

    /** Target size of the enricher/passthrough input when passes are not given. */
    public static final long TARGET_EVENTS = 1_000_000;

    public BenchSettings {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        if (passes < 0) {
            throw new IllegalArgumentException("passes must be >= 0, got " + passes);
        }
        if (warmupEvents <= 0) {
            throw new IllegalArgumentException("warm-up events must be > 0, got " + warmupEvents);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = all events), got " + limit);
        }
        if (!(soakMinutes >= 0) || Double.isInfinite(soakMinutes)) {
            throw new IllegalArgumentException("soak minutes must be >= 0, got " + soakMinutes);
        }
    }

    /**
     * The passes to use for {@code events} events per pass: as given, or enough for ~{@link
     * #TARGET_EVENTS}.
     */
    public int effectivePasses(int events) {
        if (passes > 0) {
            return passes;
        }
        if (events <= 0) {
            return 1;
        }
        return (int) Math.max(1, Math.min(1_000, (TARGET_EVENTS + events - 1) / events));
    }
}
