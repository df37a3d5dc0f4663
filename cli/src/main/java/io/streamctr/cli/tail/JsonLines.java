package io.streamctr.cli.tail;

/** Writes the few JSON lines the CLI makes itself (Avro records print their own JSON). */
final class JsonLines {

    private JsonLines() {}

    /**
     * {@code {"error": ..., "topic": ..., "partition": ..., "offset": ...}} for a record that could
     * not be decoded.
     */
    static String error(String message, String topic, int partition, long offset) {
        return "{\"error\": "
                + quote(message)
                + ", \"topic\": "
                + quote(topic)
                + ", \"partition\": "
                + partition
                + ", \"offset\": "
                + offset
                + "}";
    }

    /** A JSON string literal of {@code s}. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
