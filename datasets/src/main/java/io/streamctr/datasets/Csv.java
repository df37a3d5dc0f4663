package io.streamctr.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one RFC 4180 line: fields may be quoted with {@code "}, {@code ""} inside quotes is one
 * quote.
 */
public final class Csv {

    private Csv() {}

    /**
     * The fields of {@code text} separated by {@code separator}; BadLineException for broken
     * quoting.
     */
    public static String[] split(String text, char separator) {
        if (text.indexOf('"') < 0) {
            return TextFiles.split(text, separator);
        }
        List<String> fields = new ArrayList<>(8);
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (true) {
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new BadLineException("unterminated quoted field");
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < n && text.charAt(i) != separator) {
                    throw new BadLineException(
                            "unexpected character after a quoted field at column " + (i + 1));
                }
            } else {
                while (i < n && text.charAt(i) != separator) {
                    field.append(text.charAt(i++));
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= n) {
                return fields.toArray(new String[0]);
            }
            i++;
        }
    }
}
