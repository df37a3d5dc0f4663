package io.streamctr.datasets;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;

/**
 * Reading text data files: plain or gzipped, found by name with or without {@code .gz}, split fast.
 */
public final class TextFiles {

    private static final int BUFFER = 1 << 16;

    private TextFiles() {}

    /**
     * A reader over {@code file}, gunzipped when its name ends in {@code .gz}; {@code counter} sees
     * raw bytes read.
     */
    public static BufferedReader open(Path file, Charset charset, ByteCounter counter)
            throws IOException {
        InputStream in = Files.newInputStream(file);
        if (counter != null) {
            in = new CountingStream(in, counter);
        }
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, BUFFER);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new BufferedReader(new InputStreamReader(in, charset), BUFFER);
    }

    /** UTF-8 reader, see {@link #open(Path, Charset, ByteCounter)}. */
    public static BufferedReader open(Path file) throws IOException {
        return open(file, StandardCharsets.UTF_8, null);
    }

    /**
     * The first of {@code names} (each tried as is and with {@code .gz}) that exists in {@code
     * dir}.
     */
    public static Optional<Path> find(Path dir, String... names) {
        for (String name : names) {
            for (String candidate : List.of(name, name + ".gz")) {
                Path file = dir.resolve(candidate);
                if (Files.isRegularFile(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /** Like {@link #find} but required: IllegalArgumentException naming what was expected where. */
    public static Path require(Path dir, String... names) {
        return find(dir, names)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "expected "
                                                + String.join(" or ", names)
                                                + " (plain or .gz) in "
                                                + dir.toAbsolutePath()
                                                + ", found none"));
    }

    /** The directory of a data set given as a file or a directory. */
    public static Path dirOf(Path path) {
        Path abs = path.toAbsolutePath();
        return Files.isDirectory(abs) ? abs : abs.getParent();
    }

    /** Fails with a clear message when {@code path} does not exist. */
    public static void requireExists(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(
                    "data set path " + path.toAbsolutePath() + " does not exist");
        }
    }

    /**
     * The file name without {@code .gz} and without its last extension: {@code train.csv.gz ->
     * train}.
     */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Splits on one character, keeping empty fields (also trailing ones); no quoting. */
    public static String[] split(String text, char separator) {
        List<String> fields = new ArrayList<>(16);
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                fields.add(text.substring(start, i));
                start = i + 1;
            }
        }
        fields.add(text.substring(start));
        return fields.toArray(new String[0]);
    }

    /** Splits on a string separator (e.g. ml-1m's {@code ::}), keeping empty fields. */
    public static String[] split(String text, String separator) {
        if (separator.length() == 1) {
            return split(text, separator.charAt(0));
        }
        List<String> fields = new ArrayList<>(8);
        int start = 0;
        int at;
        while ((at = text.indexOf(separator, start)) >= 0) {
            fields.add(text.substring(start, at));
            start = at + separator.length();
        }
        fields.add(text.substring(start));
        return fields.toArray(new String[0]);
    }

    /**
     * Reads a whole side table (movies, item metadata, profiles: small next to the events) line by
     * line; {@code handler} gets each non-empty line after the header with its 1-based number. A
     * side table's malformed line fails the read with file and line in the message.
     */
    public static void forEachLine(
            Path file, Charset charset, boolean skipHeader, BiConsumer<String, Long> handler) {
        try (BufferedReader reader = open(file, charset, null)) {
            String text;
            long line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if ((skipHeader && line == 1) || text.isEmpty()) {
                    continue;
                }
                try {
                    handler.accept(text, line);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "malformed line " + line + " of " + file + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Receives the number of raw (compressed) bytes read from a file. */
    @FunctionalInterface
    public interface ByteCounter {
        void add(long bytes);
    }

    private static final class CountingStream extends FilterInputStream {
        private final ByteCounter counter;

        CountingStream(InputStream in, ByteCounter counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.add(n);
            }
            return n;
        }
    }
}
