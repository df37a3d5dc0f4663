package io.streamctr.cli;

import io.streamctr.flink.ClosestKey;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Checks a name given on the command line (a model, a data set, a command, an option) against the
 * known ones: an unknown name is a {@link UsageException} that lists the known names and suggests
 * the closest one.
 */
public final class Choices {

    private Choices() {}

    /**
     * Returns {@code name} if it is one of {@code known}, else throws a {@link UsageException} like
     * {@code unknown model 'dnnn' (did you mean 'dnn'?); registered models: ftrl, dnn, ...}.
     *
     * @param what what the name is, e.g. "model"
     * @param listName how the known names are introduced, e.g. "registered models"
     */
    public static String require(
            String what, String name, Collection<String> known, String listName) {
        if (known.contains(name)) {
            return name;
        }
        throw new UsageException(unknown(what, name, known, listName));
    }

    /**
     * The message of an unknown name: {@code unknown WHAT 'NAME' (did you mean 'X'?); LIST: a, b}.
     */
    public static String unknown(
            String what, String name, Collection<String> known, String listName) {
        return "unknown "
                + what
                + " '"
                + name
                + "'"
                + closest(name, known).map(c -> " (did you mean '" + c + "'?)").orElse("")
                + "; "
                + listName
                + ": "
                + String.join(", ", known);
    }

    /**
     * The known name closest to {@code name}: the shortest one that starts with it (a prefix such
     * as {@code optfusion}), else the one with the fewest edits if those are at most a third of its
     * length (at least 2); empty when none is close.
     */
    public static Optional<String> closest(String name, Collection<String> known) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> prefixed =
                known.stream()
                        .filter(k -> k.startsWith(name))
                        .min(Comparator.comparingInt(String::length));
        if (prefixed.isPresent()) {
            return prefixed;
        }
        int allowed = Math.max(2, name.length() / 3);
        return known.stream()
                .filter(k -> editDistance(name, k) <= allowed)
                .min(Comparator.comparingInt((String k) -> editDistance(name, k)));
    }

    /** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
    static int editDistance(String a, String b) {
        return ClosestKey.distance(a, b);
    }
}
