package io.streamctr.flink.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.ftrl.FtrlConfig;
import io.streamctr.model.ftrl.FtrlLearner;
import io.streamctr.schemas.BehaviourSequence;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When {@link PackageExporter} stages and publishes, checkpoint by checkpoint. */
class PackageExporterTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of(), 1, List.of(), null, 4);

    @Test
    void theFinalExportIsTheSnapshotAfterTheInputEndedNotAnEarlierCheckpointsCompletion(
            @TempDir Path dir) throws Exception {
        FtrlLearner learner = new FtrlLearner(SPEC, FtrlConfig.defaults().withBits(8));
        PackageExporter exporter =
                new PackageExporter(
                        ExportConfig.of(dir.toUri().toString(), "10 steps", 3), "ftrl", 0, 0);
        learner.process(events(0, 12));
        assertThat(exporter.onSnapshot(5, learner, 1)).isTrue(); // step 12, due
        learner.process(events(12, 3)); // the last events, after checkpoint 5's barrier
        exporter.exportAtNextCheckpoint(); // the input ended
        assertThat(exporter.onCheckpointComplete(5).getName()).isEqualTo("step-12");
        // the final checkpoint: 3 steps after the last export, not due by the schedule
        assertThat(exporter.onSnapshot(6, learner, 2)).isTrue();
        assertThat(exporter.onCheckpointComplete(6).getName()).isEqualTo("step-15");
        try (Stream<Path> listed = Files.list(dir.resolve("ftrl"))) {
            assertThat(listed.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("step-12", "step-15");
        }
    }

    @Test
    void anAbortedFinalCheckpointLeavesTheFinalExportToTheNextOne(@TempDir Path dir)
            throws Exception {
        FtrlLearner learner = new FtrlLearner(SPEC, FtrlConfig.defaults().withBits(8));
        PackageExporter exporter =
                new PackageExporter(
                        ExportConfig.of(dir.toUri().toString(), "100 steps", 3), "ftrl", 0, 0);
        learner.process(events(0, 5));
        exporter.exportAtNextCheckpoint();
        assertThat(exporter.onSnapshot(1, learner, 1)).isTrue();
        exporter.onCheckpointAborted(1);
        assertThat(exporter.onSnapshot(2, learner, 2)).isTrue();
        assertThat(exporter.onCheckpointComplete(2).getName()).isEqualTo("step-5");
    }

    private static List<Example> events(int from, int n) {
        BehaviourSequence empty = BehaviourSequence.newBuilder().build();
        UserHistory history =
                UserHistory.newBuilder()
                        .setClicked(empty)
                        .setNonClicked(BehaviourSequence.newBuilder().build())
                        .setLastEventTime(0L)
                        .build();
        List<Example> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            ClickEvent e =
                    ClickEvent.newBuilder()
                            .setEventId("e" + i)
                            .setUserId("u" + i % 3)
                            .setItemId("i" + i % 5)
                            .setEventTime(1_000L * i)
                            .setLabel(i % 2)
                            .build();
            out.add(new Example(e, history));
        }
        return out;
    }
}
