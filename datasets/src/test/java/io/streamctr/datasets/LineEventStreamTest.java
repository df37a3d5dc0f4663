package io.streamctr.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineEventStreamTest {

    private static final int LINES = 60_000;

    @TempDir Path tmp;

    private static final LineMapper USER_ITEM_TIME =
            (text, file, line, out) -> {
                String[] f = TextFiles.split(text, ',');
                Events.requireFields(f, 3);
                out.accept(
                        new ClickEvent(
                                null,
                                f[0],
                                f[1],
                                Long.parseLong(f[2]),
                                1,
                                null,
                                null,
                                null,
                                null,
                                EventKind.LABELLED,
                                null));
            };

    @Test
    void readsAsConsumedAndEstimatesTheTotalFromTheBytesRead() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path file = write(tmp.resolve(gzip ? "events.csv.gz" : "events.csv"), gzip);

            try (LineEventStream stream =
                    new LineEventStream(List.of(file), USER_ITEM_TIME, new BadLines(-1))) {
                for (int i = 0; i < LINES / 2; i++) {
                    stream.next();
                }

                assertThat(stream.totalIsExact())
                        .as("gzip %s: read to the end already", gzip)
                        .isFalse();
                // an estimate: the readers' buffers run ahead of the lines consumed (most with
                // gzip)
                assertThat((double) stream.expectedTotal())
                        .as("gzip %s", gzip)
                        .isCloseTo(LINES, within(LINES * 0.25));
                long rest = 0;
                long lastTime = -1;
                while (stream.hasNext()) {
                    lastTime = stream.next().getEventTime();
                    rest++;
                }
                assertThat(rest).isEqualTo(LINES / 2);
                assertThat(lastTime).isEqualTo(LINES - 1);
                assertThat(stream.totalIsExact()).isTrue();
                assertThat(stream.expectedTotal()).isEqualTo(LINES);
            }
        }
    }

    private static Path write(Path file, boolean gzip) throws IOException {
        try (var raw = Files.newOutputStream(file);
                var out = gzip ? new GZIPOutputStream(raw) : raw;
                Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            Random random = new Random(1);
            for (int i = 0; i < LINES; i++) {
                w.write(
                        "u"
                                + (i % 97)
                                + ",i"
                                + Integer.toHexString(random.nextInt())
                                + ","
                                + i
                                + "\n");
            }
        }
        return file;
    }
}
