package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.train.TrainingStage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OfficialOptFusionTest {

    /** 100 steps of {@code batch} in {@code loopSeconds}, all of it training. */
    private static TrainingThroughput.Measurement row(String model, int batch, double loopSeconds) {
        long nanos = (long) (loopSeconds * 1e9);
        return new TrainingThroughput.Measurement(
                BenchModel.parse(model),
                batch,
                TrainingStage.SEARCH,
                100,
                0,
                0,
                nanos,
                -1,
                -1,
                0,
                0.5f,
                Optional.empty(),
                null,
                true,
                null);
    }

    private static String print(List<TrainingThroughput.Measurement> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OfficialOptFusion.compare(new PrintStream(bytes, true, StandardCharsets.UTF_8), rows);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsOptFusionsLoopAtBatch256BesideTheOfficialFigure() {
        // 25,600 events in 32 s: 800 ev/s, between 760 and 863
        String out =
                print(
                        List.of(
                                row("optfusion-soft/search", 256, 32),
                                row("dnn", 256, 1),
                                row("optfusion-soft/search", 1024, 1)));

        assertThat(out).contains("760-863 samples/s", "kexin-kxzhang/OptFusion");
        assertThat(out).contains("optfusion-soft/search").contains("loop 800 ev/s = 0.93-1.05 x");
        assertThat(out.lines().filter(l -> l.contains(" loop "))).hasSize(1);
    }

    @Test
    void printsNothingWithoutAnOptFusionRowAtBatch256() {
        assertThat(print(List.of(row("dnn", 256, 1), row("optfusion-hard", 4096, 1)))).isEmpty();
    }
}
