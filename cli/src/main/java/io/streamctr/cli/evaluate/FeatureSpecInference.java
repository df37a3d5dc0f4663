package io.streamctr.cli.evaluate;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.ClickEvent;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A feature spec from the data: every categorical, multi-valued and numeric field that at least 1 %
 * of the events carry; the side feature of the sequences is the first of {@link #SIDE_FIELDS}
 * present ({@code genres}: MovieLens, {@code category}: MIND, {@code i_category}: Amazon), else the
 * first multi-valued field, else none.
 */
public final class FeatureSpecInference {

    /** Known side fields, in order of preference. */
    public static final List<String> SIDE_FIELDS = List.of("genres", "category", "i_category");

    private FeatureSpecInference() {}

    public static FeatureSpec infer(
            List<ClickEvent> events, int embeddingDim, int bucketsPerField, int sequenceLength) {
        List<String> categorical = frequentKeys(events, ClickEvent::getCategorical);
        List<String> multi = frequentKeys(events, ClickEvent::getMultiValued);
        List<String> numeric = frequentKeys(events, ClickEvent::getNumeric);
        String side =
                SIDE_FIELDS.stream()
                        .filter(f -> multi.contains(f) || categorical.contains(f))
                        .findFirst()
                        .orElse(multi.isEmpty() ? null : multi.get(0));
        return new FeatureSpec(
                embeddingDim,
                bucketsPerField,
                categorical,
                multi,
                8,
                numeric,
                side,
                sequenceLength);
    }

    private static List<String> frequentKeys(
            List<ClickEvent> events, Function<ClickEvent, Map<String, ?>> field) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ClickEvent e : events) {
            for (String key : field.apply(e).keySet()) {
                counts.merge(key, 1, Integer::sum);
            }
        }
        int threshold = Math.max(1, events.size() / 100);
        return counts.entrySet().stream()
                .filter(e -> e.getValue() >= threshold)
                .map(Map.Entry::getKey)
                .toList();
    }
}
