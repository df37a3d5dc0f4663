package io.streamctr.cli.report;

import io.streamctr.schemas.MetricsReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The reports of each model, in the order the models first appear, each model's by predictions. */
final class ModelRuns {

    private final Map<String, List<MetricsReport>> byModel = new LinkedHashMap<>();

    ModelRuns(List<MetricsReport> reports) {
        for (MetricsReport r : reports) {
            byModel.computeIfAbsent(r.getModelName(), m -> new ArrayList<>()).add(r);
        }
        // stable: reports of equal predictions (e.g. a timer report and the final one) keep their
        // order
        byModel.values()
                .forEach(
                        list -> list.sort(Comparator.comparingLong(MetricsReport::getPredictions)));
    }

    Set<String> models() {
        return Collections.unmodifiableSet(byModel.keySet());
    }

    List<MetricsReport> reports(String model) {
        return Collections.unmodifiableList(byModel.get(model));
    }

    /**
     * The model's final report (the last one marked final), or its latest when none is final yet.
     */
    MetricsReport last(String model) {
        List<MetricsReport> list = byModel.get(model);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).getFinalReport()) {
                return list.get(i);
            }
        }
        return list.get(list.size() - 1);
    }
}
