package io.streamctr.flink.learn;

import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Prediction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A learner's side of the label join (issue 16): the score and model version each impression was
 * predicted with, kept until its joined example comes back to be trained on, so the metrics see the
 * score made at impression time against the label known at the window's end; and the count of
 * labelled examples trained on. Both are in the learner's checkpoints ({@link #toBytes}), so a
 * restored learner neither loses an open impression's score nor counts an example twice. Bounded by
 * the impressions whose window is open (window × rate).
 */
final class ImpressionScores {

    private static final byte VERSION = 1;

    private record Scored(float score, long version) {}

    private final Map<String, Scored> open = new HashMap<>();
    private long trained;

    /** Remembers the score of a prediction when it is an impression's. */
    void scored(ClickEvent event, float score, long version) {
        if (event.getKind() == EventKind.IMPRESSION && event.getLabel() == null) {
            open.put(event.getEventId(), new Scored(score, version));
        }
    }

    /**
     * The joined example's prediction as the metrics need it: the impression's score and version
     * with the label known now; null when this learner never scored the impression (it started
     * later, from a package or a new uid).
     */
    Prediction joined(ClickEvent event, String modelName, long processingTime) {
        if (!JoinedLabels.isJoined(event)) {
            throw new IllegalArgumentException(
                    "not a joined example: event " + event.getEventId() + " " + event.getKind());
        }
        Scored s = open.remove(event.getEventId());
        if (s == null) {
            return null;
        }
        return Prediction.newBuilder()
                .setEventId(event.getEventId())
                .setUserId(event.getUserId())
                .setItemId(event.getItemId())
                .setModelName(modelName)
                .setModelVersion(s.version())
                .setScore(s.score())
                .setLabel(event.getLabel())
                .setEventTime(event.getEventTime())
                .setProcessingTime(processingTime)
                .build();
    }

    /** Counts labelled examples trained on. */
    void trained(int examples) {
        trained += examples;
    }

    /** Labelled examples trained on over the learner's life (restored with it). */
    long trainedExamples() {
        return trained;
    }

    /** Impressions scored whose label has not come back. */
    int openImpressions() {
        return open.size();
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(trained);
            out.writeInt(open.size());
            for (Map.Entry<String, Scored> e : open.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeFloat(e.getValue().score());
                out.writeLong(e.getValue().version());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    void restore(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unsupported impression-scores version " + version);
            }
            open.clear();
            trained = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                open.put(in.readUTF(), new Scored(in.readFloat(), in.readLong()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
