package io.streamctr.model.data.adapter;

import io.streamctr.model.data.BadLineException;
import io.streamctr.model.data.Csv;
import io.streamctr.model.data.DatasetAdapter;
import io.streamctr.model.data.DatasetOptions;
import io.streamctr.model.data.EventStream;
import io.streamctr.model.data.Events;
import io.streamctr.model.data.LineEventStream;
import io.streamctr.model.data.LineMapper;
import io.streamctr.model.data.TextFiles;
import io.streamctr.schemas.ClickEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Any CSV/TSV file, described by a mapping file (Java properties, given as the option
 * {@code mapping=FILE}), so a dataset without an adapter needs no Java:
 *
 * <pre>
 * separator = ,              # one character; "tab" or \t for TSV (default ,); "quote" fields allowed
 * header = true              # columns by header name (default); false: by 1-based position "1", "2", ...
 * user = userid              # required
 * item = adgroup_id          # required
 * time = time_stamp          # optional; absent: line order (1 ms apart)
 * time.format = yyyy-MM-dd HH:mm:ss   # epoch-s (default) | epoch-ms | iso | a DateTimeFormatter pattern (UTC)
 * label = clk                # optional; absent: unlabelled events
 * label.positive = 1         # values that mean a click, comma-separated (default 1,1.0,true)
 * label.threshold = 4.0      # instead: label = 1 when the number is >= this
 * categorical = pid,cate_id  # comma-separated columns (empty values are missing)
 * numeric = price
 * multi = click_sequence     # multi-valued columns
 * multi.separator = ^        # their separator (default |); multi.separator.COLUMN for one column
 * action = behavior          # optional column of the action type; action.value = a constant instead
 * id = impression_id         # optional column of a unique event id (default: file stem and line)
 * </pre>
 * The file is sorted by time by the caller unless {@code replay --assume-sorted}.
 */
public final class GenericAdapter implements DatasetAdapter {

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String description() {
        return "any CSV/TSV file described by a mapping properties file (--mapping FILE)";
    }

    @Override
    public boolean timeOrdered() {
        return false;
    }

    @Override
    public EventStream open(Path path, DatasetOptions options) {
        String mappingFile = options.get("mapping");
        if (mappingFile == null) {
            throw new IllegalArgumentException("the generic adapter needs a mapping file: --mapping FILE (or --option mapping=FILE)");
        }
        Mapping mapping = Mapping.load(Path.of(mappingFile));
        TextFiles.requireExists(path);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("the generic adapter reads one file; " + path + " is not a file");
        }
        return new LineEventStream(List.of(path), new Mapper(mapping), options.newBadLines());
    }

    /** A parsed mapping file. */
    record Mapping(char separator, boolean header, String user, String item, String time, String timeFormat,
            String label, Set<String> positive, Double threshold, List<String> categorical, List<String> numeric,
            Map<String, String> multi, String action, String actionValue, String id) {

        static Mapping load(Path file) {
            Properties p = new Properties();
            try (BufferedReader reader = Files.newBufferedReader(file)) {
                p.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read mapping file " + file, e);
            }
            return of(p, file.toString());
        }

        static Mapping of(Properties p, String source) {
            String sep = p.getProperty("separator", ",").strip();
            char separator = switch (sep) {
                case "tab", "\\t", "\t", "" -> '\t';
                default -> {
                    if (sep.length() != 1) {
                        throw new IllegalArgumentException("separator in " + source + " must be one character or 'tab', got '" + sep + "'");
                    }
                    yield sep.charAt(0);
                }
            };
            String user = required(p, "user", source);
            String item = required(p, "item", source);
            String threshold = p.getProperty("label.threshold");
            Map<String, String> multi = new LinkedHashMap<>();
            String defaultSep = p.getProperty("multi.separator", "|");
            for (String column : list(p, "multi")) {
                multi.put(column, p.getProperty("multi.separator." + column, defaultSep));
            }
            try {
                return new Mapping(separator, Boolean.parseBoolean(p.getProperty("header", "true").strip()), user, item,
                        blankToNull(p.getProperty("time")), p.getProperty("time.format", "epoch-s").strip(),
                        blankToNull(p.getProperty("label")),
                        new HashSet<>(Arrays.asList(p.getProperty("label.positive", "1,1.0,true").split(","))),
                        threshold == null ? null : Double.valueOf(threshold.strip()), list(p, "categorical"),
                        list(p, "numeric"), multi, blankToNull(p.getProperty("action")),
                        blankToNull(p.getProperty("action.value")), blankToNull(p.getProperty("id")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("label.threshold in " + source + " is not a number: " + threshold);
            }
        }

        private static String required(Properties p, String key, String source) {
            String v = blankToNull(p.getProperty(key));
            if (v == null) {
                throw new IllegalArgumentException("mapping " + source + " must name the " + key + " column (" + key + " = COLUMN)");
            }
            return v;
        }

        private static List<String> list(Properties p, String key) {
            String v = p.getProperty(key, "");
            List<String> out = new ArrayList<>();
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            return out;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    private static final class Mapper implements LineMapper {
        private final Mapping m;
        private final DateTimeFormatter pattern;
        private Map<String, Integer> index;
        private int columns = -1;
        private int user;
        private int item;
        private int time = -1;
        private int label = -1;
        private int action = -1;
        private int id = -1;
        private int[] categorical;
        private int[] numeric;
        private int[] multi;
        private String[] multiSeparators;

        Mapper(Mapping m) {
            this.m = m;
            String f = m.timeFormat();
            this.pattern = f.equals("epoch-s") || f.equals("epoch-ms") || f.equals("iso") ? null : DateTimeFormatter.ofPattern(f);
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
            columns = names.length;
            resolve(names, file);
        }

        private void resolve(String[] names, Path file) {
            index = new LinkedHashMap<>();
            if (names != null) {
                for (int i = 0; i < names.length; i++) {
                    index.put(names[i].strip(), i);
                }
            }
            user = column(m.user(), file);
            item = column(m.item(), file);
            time = m.time() == null ? -1 : column(m.time(), file);
            label = m.label() == null ? -1 : column(m.label(), file);
            action = m.action() == null ? -1 : column(m.action(), file);
            id = m.id() == null ? -1 : column(m.id(), file);
            categorical = m.categorical().stream().mapToInt(c -> column(c, file)).toArray();
            numeric = m.numeric().stream().mapToInt(c -> column(c, file)).toArray();
            multi = m.multi().keySet().stream().mapToInt(c -> column(c, file)).toArray();
            multiSeparators = m.multi().values().toArray(new String[0]);
        }

        private int column(String name, Path file) {
            if (!m.header()) {
                try {
                    int position = Integer.parseInt(name);
                    if (position < 1) {
                        throw new NumberFormatException();
                    }
                    return position - 1;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("without a header, columns are 1-based positions; got '" + name + "'");
                }
            }
            Integer i = index.get(name);
            if (i == null) {
                throw new IllegalArgumentException("the mapping names column '" + name + "' but the header of " + file
                        + " has only " + index.keySet());
            }
            return i;
        }

        @Override
        public void map(String text, Path file, long lineNumber, Consumer<ClickEvent> out) {
            String[] f = Csv.split(text, m.separator());
            if (columns >= 0 && f.length != columns) {
                throw new BadLineException("expected " + columns + " fields, got " + f.length);
            }
            String userId = field(f, user, "user");
            String itemId = field(f, item, "item");
            if (userId.isEmpty()) {
                throw new BadLineException("empty user (" + m.user() + ")");
            }
            long eventTime = time < 0 ? lineNumber - 1 : parseTime(field(f, time, "time"));
            Integer labelValue = label < 0 ? null : parseLabel(field(f, label, "label"));
            String actionType = action >= 0 ? field(f, action, "action") : m.actionValue();
            String eventId = id >= 0 ? field(f, id, "id") : TextFiles.stem(file) + ":" + lineNumber;
            ClickEvent e = Events.create(eventId, userId, itemId, eventTime, labelValue, actionType);
            for (int i = 0; i < categorical.length; i++) {
                Events.putCategorical(e, m.categorical().get(i), field(f, categorical[i], m.categorical().get(i)));
            }
            for (int i = 0; i < numeric.length; i++) {
                String v = field(f, numeric[i], m.numeric().get(i));
                if (!v.isEmpty()) {
                    try {
                        e.getNumeric().put(m.numeric().get(i), Float.parseFloat(v));
                    } catch (NumberFormatException ex) {
                        throw new BadLineException(m.numeric().get(i) + " is not a number: '" + v + "'");
                    }
                }
            }
            int k = 0;
            for (String name : m.multi().keySet()) {
                String v = field(f, multi[k], name);
                List<String> values = new ArrayList<>();
                if (!v.isEmpty()) {
                    for (String s : TextFiles.split(v, multiSeparators[k])) {
                        if (!s.isEmpty()) {
                            values.add(s);
                        }
                    }
                }
                e.getMultiValued().put(name, values);
                k++;
            }
            out.accept(e);
        }

        private static String field(String[] f, int i, String what) {
            if (i >= f.length) {
                throw new BadLineException("no " + what + " column " + (i + 1) + ": the line has " + f.length + " fields");
            }
            return f[i];
        }

        private Integer parseLabel(String v) {
            if (m.threshold() != null) {
                try {
                    return Double.parseDouble(v) >= m.threshold() ? 1 : 0;
                } catch (NumberFormatException e) {
                    throw new BadLineException("label " + m.label() + " is not a number: '" + v + "'");
                }
            }
            return m.positive().contains(v.strip()) ? 1 : 0;
        }

        private long parseTime(String v) {
            try {
                return switch (m.timeFormat()) {
                    case "epoch-s" -> Math.multiplyExact((long) Double.parseDouble(v), 1000L);
                    case "epoch-ms" -> (long) Double.parseDouble(v);
                    case "iso" -> v.length() == 10 ? LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli()
                            : v.endsWith("Z") ? Instant.parse(v).toEpochMilli()
                            : v.matches(".*[+-]\\d\\d:\\d\\d$") ? OffsetDateTime.parse(v).toInstant().toEpochMilli()
                            : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
                    default -> LocalDateTime.parse(v, pattern).toInstant(ZoneOffset.UTC).toEpochMilli();
                };
            } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
                throw new BadLineException("time " + m.time() + " is not " + m.timeFormat() + ": '" + v + "'");
            }
        }
    }
}
