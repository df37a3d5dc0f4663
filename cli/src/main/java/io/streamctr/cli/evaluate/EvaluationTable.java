package io.streamctr.cli.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Mean and spread (min–max) over seeds of each model's prequential figures, as a Markdown table.
 */
public final class EvaluationTable {

    private EvaluationTable() {}

    public static String render(List<PrequentialEvaluation.Run> runs) {
        Map<String, List<PrequentialEvaluation.Run>> byModel = new LinkedHashMap<>();
        for (PrequentialEvaluation.Run r : runs) {
            byModel.computeIfAbsent(r.model(), m -> new ArrayList<>()).add(r);
        }
        StringBuilder s = new StringBuilder();
        s.append(
                "| model | seeds | AUC | LogLoss | NE | window AUC | gAUC (window) | events/s |\n");
        s.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<PrequentialEvaluation.Run>> e : byModel.entrySet()) {
            List<PrequentialEvaluation.Run> rs = e.getValue();
            s.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(rs.size())
                    .append(" | ")
                    .append(spread(rs, r -> r.lifetime().auc()))
                    .append(" | ")
                    .append(spread(rs, r -> r.lifetime().logLoss()))
                    .append(" | ")
                    .append(spread(rs, r -> r.lifetime().ne()))
                    .append(" | ")
                    .append(spread(rs, r -> r.window().auc()))
                    .append(" | ")
                    .append(spread(rs, r -> r.window().gauc()))
                    .append(" | ")
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "%,.0f",
                                    rs.stream()
                                            .mapToDouble(PrequentialEvaluation.Run::eventsPerSecond)
                                            .average()
                                            .orElse(0)))
                    .append(" |\n");
        }
        return s.toString();
    }

    /** "mean (min–max)" over the runs, or n/a when undefined in any run. */
    static String spread(
            List<PrequentialEvaluation.Run> runs,
            Function<PrequentialEvaluation.Run, Double> figure) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (PrequentialEvaluation.Run r : runs) {
            Double v = figure.apply(r);
            if (v == null) {
                return "n/a";
            }
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / runs.size();
        return runs.size() == 1
                ? String.format(Locale.ROOT, "%.4f", mean)
                : String.format(Locale.ROOT, "%.4f (%.4f–%.4f)", mean, min, max);
    }
}
