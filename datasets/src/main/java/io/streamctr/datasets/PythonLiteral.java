package io.streamctr.datasets;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one Python literal as {@code repr()} writes it: what the older Amazon dumps ({@code
 * meta_<Cat>.json}, some copies of {@code reviews_<Cat>_5.json}, 2014) hold on each line instead of
 * JSON, read by their authors with {@code eval}. Dicts become {@link LinkedHashMap}s, lists and
 * tuples {@link List}s, strings {@link String}s (quoted with {@code '} or {@code "}, an optional
 * {@code u}/{@code b} prefix, Python escapes; {@code \xHH} runs that form UTF-8 are decoded as
 * UTF-8, as Python 2 byte strings were), integers {@link Long}s, other numbers {@link Double}s,
 * {@code True}/{@code False} {@link Boolean}s and {@code None} null. JSON's {@code true}, {@code
 * false} and {@code null} are accepted too. Not supported: triple-quoted and raw strings, sets,
 * {@code inf}/{@code nan}, expressions.
 */
public final class PythonLiteral {

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * The value of {@code text}; BadLineException naming the column where it stops being a literal.
     */
    public static Object parse(String text) {
        PythonLiteral parser = new PythonLiteral(text);
        Object value = parser.value();
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected '" + text.charAt(parser.pos) + "' after the value");
        }
        return value;
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end of the line");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict();
            case '[' -> sequence(']');
            case '(' -> sequence(')');
            case '\'', '"' -> string();
            default -> {
                if ((c == 'u' || c == 'b' || c == 'U' || c == 'B')
                        && pos + 1 < text.length()
                        && (text.charAt(pos + 1) == '\'' || text.charAt(pos + 1) == '"')) {
                    pos++;
                    yield string();
                }
                if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
                    yield number();
                }
                yield word();
            }
        };
    }

    private Map<String, Object> dict() {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (consume('}')) {
            return map;
        }
        while (true) {
            Object key = value();
            skipSpace();
            if (!consume(':')) {
                throw error("expected ':' after a dict key");
            }
            map.put(String.valueOf(key), value());
            skipSpace();
            if (consume('}')) {
                return map;
            }
            if (!consume(',')) {
                throw error("expected ',' or '}' in a dict");
            }
            skipSpace();
            if (consume('}')) {
                return map;
            }
        }
    }

    private List<Object> sequence(char close) {
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (consume(close)) {
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            if (consume(close)) {
                return list;
            }
            if (!consume(',')) {
                throw error("expected ',' or '" + close + "' in a list");
            }
            skipSpace();
            if (consume(close)) {
                return list;
            }
        }
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        boolean byteEscapes = false;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                String s = out.toString();
                return byteEscapes ? utf8IfValid(s) : s;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case 'a' -> out.append('\u0007');
                case 'x' -> {
                    out.append((char) hex(2));
                    byteEscapes = true;
                }
                case 'u' -> out.append((char) hex(4));
                case 'U' -> out.appendCodePoint(hex(8));
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int value = e - '0';
                    for (int k = 0;
                            k < 2
                                    && pos < text.length()
                                    && text.charAt(pos) >= '0'
                                    && text.charAt(pos) <= '7';
                            k++) {
                        value = value * 8 + (text.charAt(pos++) - '0');
                    }
                    out.append((char) value);
                }
                default ->
                        out.append(e); // \\, \', \" and Python's "unknown escapes stay as written"
                    // minus the backslash
            }
        }
    }

    /**
     * Python 2 wrote a non-ASCII byte string as {@code \xHH} escapes of its UTF-8 bytes: decode
     * them when they are UTF-8.
     */
    private static String utf8IfValid(String latin1) {
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) > 0xFF) {
                return latin1;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return latin1;
        }
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("truncated escape");
        }
        try {
            int value = Integer.parseInt(text, pos, pos + digits, 16);
            pos += digits;
            return value;
        } catch (NumberFormatException e) {
            throw error("bad hex escape");
        }
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isDigit(c)) {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E') {
                integral = false;
                pos++;
                if ((c == 'e' || c == 'E')
                        && pos < text.length()
                        && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
                    pos++;
                }
            } else if (c == 'L' || c == 'l') { // Python 2 long
                String digits = text.substring(start, pos++);
                return parseLong(digits, start);
            } else {
                break;
            }
        }
        String token = text.substring(start, pos);
        if (integral) {
            return parseLong(token, start);
        }
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("bad number '" + token + "'");
        }
    }

    private Object parseLong(String token, int start) {
        try {
            return Long.parseLong(token.startsWith("+") ? token.substring(1) : token);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(token);
            } catch (NumberFormatException e2) {
                pos = start;
                throw error("bad number '" + token + "'");
            }
        }
    }

    private Object word() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word) {
            case "True", "true" -> Boolean.TRUE;
            case "False", "false" -> Boolean.FALSE;
            case "None", "null" -> null;
            default -> {
                pos = start;
                throw error(
                        word.isEmpty()
                                ? "unexpected '" + text.charAt(pos) + "'"
                                : "unknown name '" + word + "'");
            }
        };
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private BadLineException error(String what) {
        return new BadLineException("not a Python literal at column " + (pos + 1) + ": " + what);
    }
}
