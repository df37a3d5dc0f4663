package io.streamctr.cli.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * The {@code score} command's output: one JSON object per scored event and line, {@code
 * {"event_id", "user_id", "score", "label"}}, label null when the event has none. Closing flushes
 * and leaves the writer open (stdout stays picocli's).
 */
final class ScoreLines implements AutoCloseable {

    private final JsonGenerator json;

    ScoreLines(Writer sink) throws IOException {
        Writer nonClosing =
                new FilterWriter(sink) {
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
        this.json = new JsonFactory().createGenerator(nonClosing);
        json.setRootValueSeparator(null);
    }

    /** Writes a line per example with its score; returns how many. */
    int write(List<Example> batch, float[] scores) throws IOException {
        if (scores.length != batch.size()) {
            throw new IllegalArgumentException(
                    scores.length + " scores for " + batch.size() + " examples");
        }
        for (int i = 0; i < scores.length; i++) {
            ClickEvent e = batch.get(i).getEvent();
            json.writeStartObject();
            json.writeStringField("event_id", e.getEventId());
            json.writeStringField("user_id", e.getUserId());
            json.writeNumberField("score", scores[i]);
            json.writeFieldName("label");
            if (e.getLabel() == null) {
                json.writeNull();
            } else {
                json.writeNumber(e.getLabel());
            }
            json.writeEndObject();
            json.writeRaw('\n');
        }
        return scores.length;
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
