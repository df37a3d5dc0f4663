package io.streamctr.datasets;

import io.streamctr.schemas.ClickEvent;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Puts a stream in event-time order, stably (events with equal times keep their file order), for
 * data sets whose files are not in time order (MovieLens is sorted by user, MIND and Taobao are not
 * sorted).
 *
 * <p>An external merge sort: the source is read in chunks of {@code chunkSize} events; each chunk
 * is sorted in memory and, when there is more than one, written to a temporary file (Avro binary,
 * deflated); the chunk files are then merged with a priority queue on (time, chunk), which keeps
 * the sort stable. Memory holds one chunk while sorting and one event per chunk while merging; the
 * disk holds the whole data set once, compressed. A data set that fits in one chunk never touches
 * the disk. The whole source is read before the first event comes out, so the total is then exact.
 */
public final class TimeSortedStream implements EventStream {

    /** Events per in-memory chunk by default (a few hundred MB of heap for typical events). */
    public static final int DEFAULT_CHUNK_SIZE = 500_000;

    private static final Comparator<ClickEvent> BY_TIME =
            Comparator.comparingLong(ClickEvent::getEventTime);

    private final EventStream source;
    private final List<Path> chunkFiles = new ArrayList<>();
    private final List<ChunkReader> readers = new ArrayList<>();
    private final long total;
    private Iterator<ClickEvent> inMemory;
    private PriorityQueue<ChunkReader> merge;

    private TimeSortedStream(EventStream source, int chunkSize, Path tempDir) {
        this.source = source;
        long count = 0;
        List<ClickEvent> chunk = new ArrayList<>();
        try {
            while (source.hasNext()) {
                chunk.add(source.next());
                count++;
                if (chunk.size() >= chunkSize) {
                    spill(chunk, tempDir);
                    chunk = new ArrayList<>();
                }
            }
            chunk.sort(BY_TIME);
            if (chunkFiles.isEmpty()) {
                inMemory = chunk.iterator();
            } else {
                if (!chunk.isEmpty()) {
                    spill(chunk, tempDir);
                }
                merge =
                        new PriorityQueue<>(
                                Comparator.comparingLong((ChunkReader r) -> r.head.getEventTime())
                                        .thenComparingInt(r -> r.index));
                for (int i = 0; i < chunkFiles.size(); i++) {
                    ChunkReader r = new ChunkReader(i, chunkFiles.get(i));
                    readers.add(r);
                    if (r.advance()) {
                        merge.add(r);
                    }
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(
                    "cannot sort events through temporary files in " + tempDir, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.total = count;
    }

    /** Reads {@code source} whole and gives its events in time order; see the class comment. */
    public static TimeSortedStream sort(EventStream source, int chunkSize, Path tempDir) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1 event, got " + chunkSize);
        }
        return new TimeSortedStream(source, chunkSize, tempDir);
    }

    private void spill(List<ClickEvent> chunk, Path tempDir) throws IOException {
        chunk.sort(BY_TIME);
        Path file =
                tempDir == null
                        ? Files.createTempFile("streamctr-sort-", ".avro.z")
                        : Files.createTempFile(tempDir, "streamctr-sort-", ".avro.z");
        chunkFiles.add(file);
        file.toFile().deleteOnExit();
        DatumWriter<ClickEvent> writer = new SpecificDatumWriter<>(ClickEvent.class);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (OutputStream out =
                new BufferedOutputStream(
                        new DeflaterOutputStream(Files.newOutputStream(file), deflater, 1 << 16),
                        1 << 16)) {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            for (ClickEvent e : chunk) {
                writer.write(e, encoder);
            }
            encoder.flush();
        } finally {
            deflater.end();
        }
    }

    @Override
    public boolean hasNext() {
        return inMemory != null ? inMemory.hasNext() : merge != null && !merge.isEmpty();
    }

    @Override
    public ClickEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (inMemory != null) {
            return inMemory.next();
        }
        ChunkReader r = merge.poll();
        ClickEvent event = r.head;
        try {
            if (r.advance()) {
                merge.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sort chunk " + r.file, e);
        }
        return event;
    }

    @Override
    public BadLines badLines() {
        return source.badLines();
    }

    @Override
    public long expectedTotal() {
        return total;
    }

    @Override
    public boolean totalIsExact() {
        return true;
    }

    /** How many temporary chunk files the sort used (0 when it fitted in memory). */
    public int chunkFiles() {
        return chunkFiles.size();
    }

    @Override
    public void close() {
        source.close();
        for (ChunkReader r : readers) {
            r.closeQuietly();
        }
        for (Path f : chunkFiles) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // left for deleteOnExit
            }
        }
    }

    private static final class ChunkReader {
        private final int index;
        private final Path file;
        private final InputStream in;
        private final BinaryDecoder decoder;
        private final DatumReader<ClickEvent> reader = new SpecificDatumReader<>(ClickEvent.class);
        private ClickEvent head;

        ChunkReader(int index, Path file) throws IOException {
            this.index = index;
            this.file = file;
            this.in =
                    new BufferedInputStream(
                            new InflaterInputStream(Files.newInputStream(file)), 1 << 16);
            this.decoder = DecoderFactory.get().binaryDecoder(in, null);
        }

        boolean advance() throws IOException {
            if (decoder.isEnd()) {
                head = null;
                in.close();
                return false;
            }
            head = reader.read(null, decoder);
            return true;
        }

        void closeQuietly() {
            try {
                in.close();
            } catch (IOException e) {
                // closing a temp file we are about to delete
            }
        }
    }
}
