package io.streamctr.cli.replay;

/** Told about a replay's progress; implementations decide how often to show it. */
public interface ReplayProgress {

    /** Called after each event is handed to the producer. */
    void update(long attempted, long total, long failed);

    /** Called once at the end. */
    void finish(ReplaySummary summary);

    /** Shows nothing. */
    static ReplayProgress none() {
        return new ReplayProgress() {
            @Override
            public void update(long attempted, long total, long failed) {}

            @Override
            public void finish(ReplaySummary summary) {}
        };
    }
}
