package io.streamctr.cli.score;

import io.streamctr.cli.console.ConsoleProgress;
import io.streamctr.cli.evaluate.FeatureSpecInference;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.DatasetAdapters;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.datasets.EventStream;
import io.streamctr.datasets.TimeSortedStream;
import io.streamctr.flink.JobOptions;
import io.streamctr.model.enrich.EnrichedEvent;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.pkg.Scorer;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.UserHistory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Scores a data set with an exported model package without training (issue 15): the events in time
 * order, each with its user's sequences before it as the job's enricher builds them (the loop of
 * {@link SequenceEnrichment#enrichAll}, streamed), scored in mini-batches by the package's {@link
 * Scorer}, which learns nothing. Writes one JSON line per scored event: {@code {"event_id",
 * "user_id", "score", "label"}} (label null when the event has none).
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Scores a data set with an exported model package (evaluate --export-model), learning"
                    + " nothing.",
            "Writes JSON lines {\"event_id\", \"user_id\", \"score\", \"label\"}; progress on"
                    + " stderr."
        })
public final class ScoreCommand implements Callable<Integer> {

    /** Events whose fields are compared with the package's before scoring. */
    private static final int HEAD = 10_000;

    @Spec CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "The model package folder (manifest.json, learner.state, ...).")
    Path model;

    @Option(
            names = "--dataset",
            defaultValue = "movielens",
            paramLabel = "NAME",
            description =
                    "Data set format (see replay --list-datasets). Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(
            names = "--path",
            paramLabel = "FILE_OR_DIR",
            description = "The data set's files. Default: the bundled MovieLens.")
    Path path;

    @Option(
            names = "--option",
            paramLabel = "KEY=VALUE",
            description = "An adapter option (see replay --help); repeatable.")
    Map<String, String> adapterOptions = new LinkedHashMap<>();

    @Option(
            names = "--limit",
            defaultValue = "0",
            paramLabel = "N",
            description = "Only the first N events in time order (0 = all).")
    long limit;

    @Option(
            names = "--batch-size",
            description =
                    "Events scored per call (a deep model's scores may differ in the last bit"
                            + " between batch sizes). Default: ${DEFAULT-VALUE}.")
    int batchSize = JobOptions.BATCH_SIZE.defaultValue();

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "Write the JSON lines to FILE. Default: stdout.")
    Path output;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--batch-size must be >= 1, got " + batchSize);
        }
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        Path data = path != null ? path : BundledData.movieLensDir();
        try (ModelPackage pkg = load();
                EventStream events = open(data);
                Writer out = output == null ? null : writer(output)) {
            FeatureSpec featureSpec = pkg.manifest().featureSpec();
            err.printf(
                    "score: %s (step %,d) from %s on %s events from %s%n",
                    pkg.manifest().model(), pkg.manifest().step(), model, dataset, data);
            err.flush();
            Writer sink = out != null ? out : spec.commandLine().getOut();
            long started = System.nanoTime();
            List<ClickEvent> head = new ArrayList<>();
            while (events.hasNext() && head.size() < HEAD && (limit == 0 || head.size() < limit)) {
                head.add(events.next());
            }
            warnIfTheFieldsDiffer(pkg, head, err);
            long scored =
                    score(
                            pkg.scorer(),
                            featureSpec,
                            head,
                            events,
                            sink,
                            ConsoleProgress.forConsole(err, "score: "));
            sink.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            err.printf(
                    "score: %,d events scored in %.1f s (%,.0f events/s)%s%n",
                    scored,
                    seconds,
                    scored / Math.max(seconds, 1e-9),
                    output == null ? "" : ", written to " + output);
            err.flush();
        }
        return 0;
    }

    /**
     * Enriches and scores the events in batches, writing a JSON line per scored event; returns how
     * many.
     */
    private long score(
            Scorer scorer,
            FeatureSpec featureSpec,
            List<ClickEvent> head,
            EventStream events,
            Writer sink,
            ConsoleProgress progress)
            throws IOException {
        // as the job and evaluate: context-only action types (MIND's history) only seed sequences
        SequenceEnrichment enrichment =
                new SequenceEnrichment(
                        featureSpec.sideField(),
                        featureSpec.sequenceLength(),
                        JobOptions.CONTEXT_ONLY_ACTIONS.defaultValue());
        Map<String, UserHistory> histories = new HashMap<>();
        List<Example> batch = new ArrayList<>(batchSize);
        long read = 0;
        long scored = 0;
        ScoreLines lines = new ScoreLines(sink);
        Iterator<ClickEvent> headFirst = head.iterator();
        while ((headFirst.hasNext() || events.hasNext()) && (limit == 0 || read < limit)) {
            ClickEvent event = headFirst.hasNext() ? headFirst.next() : events.next();
            read++;
            EnrichedEvent enriched = enrichment.apply(histories.get(event.getUserId()), event);
            if (enriched.kind() == EnrichedEvent.Kind.EXAMPLE) {
                batch.add(enriched.example());
            }
            histories.put(event.getUserId(), enriched.after());
            if (batch.size() == batchSize) {
                scored += lines.write(batch, scorer.score(batch));
                batch.clear();
                progress.update(read, limit > 0 ? limit : events.expectedTotal(), 0);
            }
        }
        if (!batch.isEmpty()) {
            scored += lines.write(batch, scorer.score(batch));
        }
        lines.close();
        progress.done();
        return scored;
    }

    /**
     * A warning on stderr when the fields the first events carry ({@link FeatureSpecInference}, as
     * evaluate infers its spec) are not the package's: scoring goes on, the fields the package does
     * not know are ignored and those it misses are empty.
     */
    private static void warnIfTheFieldsDiffer(
            ModelPackage pkg, List<ClickEvent> head, PrintWriter err) {
        if (head.isEmpty()) {
            return;
        }
        FeatureSpec saved = pkg.manifest().featureSpec();
        FeatureSpec seen =
                FeatureSpecInference.infer(
                        head,
                        saved.embeddingDim(),
                        saved.bucketsPerField(),
                        saved.sequenceLength());
        FeatureSpec comparable =
                new FeatureSpec(
                        saved.embeddingDim(),
                        saved.bucketsPerField(),
                        seen.categoricalFields(),
                        seen.multiValuedFields(),
                        saved.maxValuesPerField(),
                        seen.numericFields(),
                        seen.sideField(),
                        saved.sequenceLength());
        try {
            pkg.check(pkg.manifest().model(), comparable);
        } catch (IllegalArgumentException e) {
            err.printf(
                    "score: warning: the data's fields (first %,d events) are not the package's;"
                            + " %s%n",
                    head.size(), e.getMessage());
        }
    }

    private ModelPackage load() throws IOException {
        try {
            return ModelPackage.load(model, device);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private EventStream open(Path data) {
        try {
            return DatasetAdapters.openInTimeOrder(
                    dataset,
                    data,
                    DatasetOptions.of(adapterOptions),
                    false,
                    TimeSortedStream.DEFAULT_CHUNK_SIZE,
                    null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Writer writer(Path file) {
        try {
            return new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                    1 << 16);
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--output "
                            + file
                            + ": cannot write it ("
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage()
                            + ")");
        }
    }
}
