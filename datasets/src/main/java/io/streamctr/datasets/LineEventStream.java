package io.streamctr.datasets;

import io.streamctr.schemas.ClickEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The events of text files read line by line, in file order, through a {@link LineMapper}: one line
 * in memory at a time (plus the events it made), {@code .gz} read directly. Bad lines are counted
 * in {@link BadLines} and skipped; empty lines are skipped silently (they hold nothing). The
 * expected total is estimated from the share of (compressed) bytes read.
 */
public final class LineEventStream implements EventStream {

    private final List<Path> files;
    private final Charset charset;
    private final LineMapper mapper;
    private final BadLines badLines;
    private final long totalBytes;
    private final ArrayDeque<ClickEvent> pending = new ArrayDeque<>();
    private final List<ClickEvent> lineEvents = new ArrayList<>();
    private long bytesRead;
    private long emitted;
    private int fileIndex = -1;
    private BufferedReader reader;
    private Path file;
    private long lineNumber;
    private boolean done;

    public LineEventStream(
            List<Path> files, Charset charset, LineMapper mapper, BadLines badLines) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no data files to read");
        }
        this.files = List.copyOf(files);
        this.charset = charset;
        this.mapper = mapper;
        this.badLines = badLines;
        long total = 0;
        for (Path f : files) {
            try {
                total += Files.size(f);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read data file " + f.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
        this.totalBytes = total;
    }

    public LineEventStream(List<Path> files, LineMapper mapper, BadLines badLines) {
        this(files, StandardCharsets.UTF_8, mapper, badLines);
    }

    @Override
    public boolean hasNext() {
        try {
            while (pending.isEmpty() && !done) {
                readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return !pending.isEmpty();
    }

    @Override
    public ClickEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        emitted++;
        return pending.poll();
    }

    private void readLine() throws IOException {
        if (reader == null && !nextFile()) {
            return;
        }
        String text = reader.readLine();
        if (text == null) {
            reader.close();
            reader = null;
            return;
        }
        lineNumber++;
        if (lineNumber == 1 && mapper.hasHeader()) {
            mapper.header(text, file);
            return;
        }
        if (text.isEmpty()) {
            return;
        }
        lineEvents.clear();
        try {
            mapper.map(text, file, lineNumber, lineEvents::add);
        } catch (BadLineException e) {
            badLines.record(file, lineNumber, e.getMessage());
            return;
        } catch (NumberFormatException e) {
            badLines.record(file, lineNumber, "not a number: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            badLines.record(file, lineNumber, e.toString());
            return;
        }
        pending.addAll(lineEvents);
    }

    private boolean nextFile() throws IOException {
        if (++fileIndex >= files.size()) {
            done = true;
            return false;
        }
        file = files.get(fileIndex);
        lineNumber = 0;
        reader = TextFiles.open(file, charset, n -> bytesRead += n);
        return true;
    }

    @Override
    public BadLines badLines() {
        return badLines;
    }

    @Override
    public long expectedTotal() {
        if (done) {
            return emitted + pending.size();
        }
        if (bytesRead == 0 || emitted == 0) {
            return -1;
        }
        return Math.max(emitted, (long) ((double) emitted * totalBytes / bytesRead));
    }

    @Override
    public boolean totalIsExact() {
        return done;
    }

    @Override
    public void close() {
        done = true;
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file, e);
            }
            reader = null;
        }
    }
}
