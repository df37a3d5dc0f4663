package io.streamctr.datasets.adapter;

import io.streamctr.datasets.JsonRecords;
import io.streamctr.datasets.LineMapper;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The generic adapter's reader of JSON lines: one object per line ({@link JsonRecords}; Python dict
 * literals are taken too), each mapped field found by its key or dotted path. A missing field is a
 * missing value (nested fields are optional); a mapped scalar that holds an object or a list is a
 * bad line; a multi-valued field may be a list (its elements) or a text (split).
 */
final class GenericJsonMapper implements LineMapper {

    private final String[] paths;
    private final List<String> names;
    private final GenericEventBuilder builder;

    GenericJsonMapper(GenericMapping m) {
        this.names = m.fields();
        this.paths = names.toArray(new String[0]);
        this.builder = new GenericEventBuilder(m);
    }

    @Override
    public void map(String text, Path file, long lineNumber, Consumer<ClickEvent> out) {
        Map<String, Object> record = JsonRecords.parse(text);
        out.accept(builder.build(new Row(record), file, lineNumber));
    }

    private final class Row implements GenericRow {
        private final Map<String, Object> record;

        Row(Map<String, Object> record) {
            this.record = record;
        }

        @Override
        public String text(int field) {
            return paths[field] == null
                    ? ""
                    : JsonRecords.text(JsonRecords.get(record, paths[field]), names.get(field));
        }

        @Override
        public List<String> values(int field, String separator) {
            Object value = JsonRecords.get(record, paths[field]);
            if (value instanceof List<?> list) {
                List<String> values = new ArrayList<>(list.size());
                for (Object element : list) {
                    String s = JsonRecords.text(element, names.get(field) + " element");
                    if (!s.isEmpty()) {
                        values.add(s);
                    }
                }
                return values;
            }
            return GenericEventBuilder.split(JsonRecords.text(value, names.get(field)), separator);
        }
    }
}
