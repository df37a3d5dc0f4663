package io.streamctr.datasets.adapter;

import io.streamctr.datasets.BadLineException;
import io.streamctr.datasets.Csv;
import io.streamctr.datasets.LineMapper;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The generic adapter's reader of CSV/TSV lines (RFC 4180 quoting): resolves each mapped field to a
 * column by the header's names (or by 1-based position without a header) once, then hands each line
 * to the {@link GenericEventBuilder}. A line with another number of fields than the header is a bad
 * line.
 */
final class GenericCsvMapper implements LineMapper {

    private final GenericMapping m;
    private final GenericEventBuilder builder;
    private int[] columns;
    private int width = -1;

    GenericCsvMapper(GenericMapping m) {
        this.m = m;
        this.builder = new GenericEventBuilder(m);
        if (!m.header()) {
            resolve(null, null);
        }
    }

    @Override
    public boolean hasHeader() {
        return m.header();
    }

    @Override
    public void header(String text, Path file) {
        String[] names = Csv.split(text, m.separator());
        width = names.length;
        resolve(names, file);
    }

    private void resolve(String[] names, Path file) {
        Map<String, Integer> index = new LinkedHashMap<>();
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                index.put(names[i].strip(), i);
            }
        }
        List<String> fields = m.fields();
        columns = new int[fields.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = fields.get(i) == null ? -1 : column(fields.get(i), index, file);
        }
    }

    private int column(String name, Map<String, Integer> index, Path file) {
        if (!m.header()) {
            try {
                int position = Integer.parseInt(name);
                if (position < 1) {
                    throw new NumberFormatException();
                }
                return position - 1;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "without a header, columns are 1-based positions; got '" + name + "'");
            }
        }
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException(
                    "the mapping names column '"
                            + name
                            + "' but the header of "
                            + file
                            + " has only "
                            + index.keySet());
        }
        return i;
    }

    @Override
    public void map(String text, Path file, long lineNumber, Consumer<ClickEvent> out) {
        String[] f = Csv.split(text, m.separator());
        if (width >= 0 && f.length != width) {
            throw new BadLineException("expected " + width + " fields, got " + f.length);
        }
        out.accept(builder.build(new Row(f), file, lineNumber));
    }

    private final class Row implements GenericRow {
        private final String[] f;

        Row(String[] f) {
            this.f = f;
        }

        @Override
        public String text(int field) {
            int i = columns[field];
            if (i < 0) {
                return "";
            }
            if (i >= f.length) {
                throw new BadLineException(
                        "no "
                                + m.fields().get(field)
                                + " column "
                                + (i + 1)
                                + ": the line has "
                                + f.length
                                + " fields");
            }
            return f[i];
        }

        @Override
        public List<String> values(int field, String separator) {
            return GenericEventBuilder.split(text(field), separator);
        }
    }
}
