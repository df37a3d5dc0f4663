package io.streamctr.cli.evaluate;

import io.streamctr.cli.Choices;
import io.streamctr.cli.ClickDelayOptions;
import io.streamctr.cli.DatasetSelection;
import io.streamctr.cli.Inputs;
import io.streamctr.cli.UsageException;
import io.streamctr.cli.architecture.ArchitectureFormat;
import io.streamctr.cli.console.ConsoleProgress;
import io.streamctr.datasets.delay.ClickDelays;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.LossWeighting;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.optfusion.ArchitectureWriter;
import io.streamctr.model.optfusion.ProductScaling;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Compares models on one stream: every model (and seed) scores and trains on the same events in
 * time order, prequentially, with the job's trainer, encoder and metrics but without Kafka and
 * Flink, so a table over many models and seeds takes minutes. Prints a Markdown table.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Prequential AUC / LogLoss / NE of several models on the same stream of a data set.",
            "No Kafka, no Flink: each model scores every event before training on it, as in the"
                    + " job.",
            "Prints a Markdown table.",
            "--delayed-clicks simulates the job's label join: impressions scored at once, labels"
                    + " known at a click or when the attribution window closes"
                    + " (docs/delayed-labels.md)."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin DatasetSelection data;

    @Mixin ClickDelayOptions delays;

    /** The window of {@code --delayed-clicks} without {@code --attribution-window}: the job's. */
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    @Option(
            names = "--train-on",
            paramLabel = "MODE",
            description =
                    "With --delayed-clicks, when labels are learnt (the job's ctr.labels.train-on):"
                        + " window-close (both labels when the window closes: exact, stale), click"
                        + " (a positive at its click, a negative at the close) or fake-negative"
                        + " (each impression at once as a negative, a click as one more positive,"
                        + " scores calibrated q / (1 - q); Ktena et al. 2019). Default:"
                        + " window-close (it measures best, docs/delayed-labels.md).")
    String trainOn;

    @Option(
            names = "--fnw",
            description =
                    "With --train-on fake-negative: fake-negative weighting (Ktena et al. 2019,"
                        + " section 4.3; the job's ctr.labels.fake-negative-weighting): a"
                        + " positive's loss times 1 + p, a fake negative's (1 - p)(1 + p), p the"
                        + " model's score; the model learns p, scored as it is.")
    boolean fakeNegativeWeighting;

    @Option(
            names = "--limit",
            defaultValue = "0",
            paramLabel = "N",
            description = "Only the first N events in time order (0 = all).")
    int limit;

    @Option(
            names = "--models",
            split = ",",
            required = true,
            paramLabel = "NAME",
            description = "Models to compare.")
    List<String> models;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            paramLabel = "N",
            description =
                    "Runs per model with seeds 1..N (the spread is reported). Default:"
                            + " ${DEFAULT-VALUE}.")
    int seeds;

    @Option(
            names = "--batch-size",
            description = "Mini-batch size. Default: the job's, ${DEFAULT-VALUE}.")
    int batchSize = JobOptions.BATCH_SIZE.defaultValue();

    @Option(
            names = "--learning-rate",
            defaultValue = "0.0005",
            paramLabel = "LR",
            description =
                    "Adam step of the dense parameters (the job's ctr.train.learning-rate)."
                            + " Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(
            names = "--embedding-learning-rate",
            paramLabel = "LR",
            description =
                    "Step of the embedding tables' rule, FTRL's alpha (the job's"
                        + " ctr.train.embedding-learning-rate). Default: the rule's own (adam 0.01,"
                        + " adagrad 0.05, ftrl 0.05), a quarter of it (adagrad 0.0125) with the"
                        + " residual on.")
    Float embeddingLearningRate;

    @Option(
            names = "--embedding-optimizer",
            paramLabel = "adam|adagrad|ftrl",
            description =
                    "Update rule of the embedding tables (the job's ctr.train.embedding-optimizer)."
                            + " Default: the job's, ${DEFAULT-VALUE}.")
    String embeddingOptimizer = JobOptions.EMBEDDING_OPTIMIZER.defaultValue();

    @Option(
            names = "--base-rate-half-life",
            paramLabel = "EVENTS",
            description =
                    "Half-life of the running click rate added to each deep model's output, 0 ="
                            + " none (the job's ctr.train.base-rate-half-life). Default: the job's,"
                            + " ${DEFAULT-VALUE}.")
    int baseRateHalfLife = JobOptions.BASE_RATE_HALF_LIFE.defaultValue();

    @Option(
            names = "--embedding-dim",
            defaultValue = "16",
            description = "D. Default: ${DEFAULT-VALUE}.")
    int embeddingDim;

    @Option(
            names = "--hash-buckets",
            defaultValue = "32768",
            description = "Hash buckets per field. Default: ${DEFAULT-VALUE}.")
    int buckets;

    @Option(
            names = "--sequence-length",
            defaultValue = "50",
            description = "Items kept per behaviour sequence. Default: ${DEFAULT-VALUE}.")
    int sequenceLength;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "Also write the table to this Markdown file.")
    Path output;

    @Option(
            names = "--search-events",
            paramLabel = "N",
            description =
                    "OptFusion models search for the first N labelled events, then freeze (default:"
                            + " the model's own, 20,000).")
    Long searchEvents;

    @Option(
            names = "--architecture-lr",
            paramLabel = "LR",
            description =
                    "OptFusion models' architecture learning rate (Adam on α, β; default: the"
                            + " model's own, 0.01).")
    Float architectureLearningRate;

    @Option(
            names = "--product",
            paramLabel = "RMS|NONE",
            description =
                    "OptFusion models' PROD: RMS (scaled to the inputs' RMS) or NONE (the paper's"
                            + " raw product; default: the model's own, RMS).")
    ProductScaling product;

    @Option(
            names = "--architecture-dir",
            paramLabel = "DIR",
            description =
                    "Write each OptFusion run's architecture at the end as"
                            + " DIR/MODEL-seedN-architecture.json, .dot and .svg (the picture,"
                            + " drawn without Graphviz).")
    Path architectureDir;

    @Option(
            names = "--export-model",
            paramLabel = "DIR",
            description =
                    "Write each model's package after its run as DIR/MODEL (DIR/MODEL-seedN with"
                            + " several seeds): load it with ModelPackage.load, score with"
                            + " ./streamctr score --model DIR/MODEL (docs/lifecycle.md).")
    Path exportModel;

    @Option(
            names = "--warm-start",
            paramLabel = "DIR",
            description =
                    "Start the run of the package's model from this model package (export,"
                            + " --export-model): its settings and state, going on from its step;"
                            + " repeatable, one per model. Its model must be in --models and its"
                            + " D and fields this run's.")
    List<Path> warmStarts = new ArrayList<>();

    @Option(
            names = "--residual",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Deep models: a per-event FTRL part learns the residual of the batch-scored"
                        + " deep logit (the job's ctr.learner.residual). Default: on; --no-residual"
                        + " turns it off.")
    boolean residual;

    @Option(
            names = "--target-statistics",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Deep models: leak-free online target statistics (user, item, user × side) as"
                            + " features, fresh inside the batch (ctr.learner.target-statistics)."
                            + " Default: on.")
    boolean targetStatistics;

    @Option(
            names = "--sequence-lengths",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Deep models: log(1 + length) of each behaviour sequence as a feature"
                            + " (ctr.learner.sequence-lengths). Default: on.")
    boolean sequenceLengths;

    @Option(
            names = "--joint-training",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Deep models with the residual: train the deep model on the joint logit (deep +"
                            + " residual) instead of its own (ctr.learner.joint-training). Default:"
                            + " on.")
    boolean jointTraining;

    @Option(
            names = "--value-statistics",
            negatable = true,
            defaultValue = "false",
            fallbackValue = "true",
            description =
                    "Deep models with target statistics: also those of each categorical and"
                            + " multi-valued field's values (ctr.learner.value-statistics)."
                            + " Default: off (user, item and user × side only).")
    boolean valueStatistics;

    @Option(
            names = "--stale-scores",
            description =
                    "Score each batch with every learner's state from before the batch, then learn"
                        + " from it: what a mini-batch learner without freshness inside the batch"
                        + " predicts (for ftrl: FTRL batched as B events, as the anchor's batched"
                        + " variant). A diagnostic; the job never does this.")
    boolean staleScores;

    @Option(
            names = "--per-event-squares",
            negatable = true,
            defaultValue = "false",
            fallbackValue = "true",
            description =
                    "adagrad and ftrl embedding rules: accumulate each event's squared gradient of"
                            + " a row, not the square of the batch's sum"
                            + " (ctr.train.per-event-squares). Default: off.")
    boolean perEventSquares;

    @Option(
            names = "--deep-weight",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Deep models with the residual: the residual FTRL also learns per event the"
                            + " weight of the deep logit, started at 1 (ctr.learner.deep-weight)."
                            + " Default: on.")
    boolean deepWeight;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        ClickDelays clickDelays = delays.enabled() ? delays.delays(DEFAULT_WINDOW) : null;
        TrainerConfig trainer;
        try {
            Configuration conf = new Configuration();
            conf.set(JobOptions.LEARNING_RATE, learningRate);
            conf.set(JobOptions.EMBEDDING_OPTIMIZER, embeddingOptimizer);
            conf.set(JobOptions.BASE_RATE_HALF_LIFE, baseRateHalfLife);
            conf.set(JobOptions.PER_EVENT_SQUARES, perEventSquares);
            conf.set(JobOptions.LEARNER_RESIDUAL, residual);
            if (embeddingLearningRate != null) {
                conf.set(JobOptions.EMBEDDING_LEARNING_RATE, embeddingLearningRate);
            }
            trainer = JobOptions.trainerConfig(conf);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        OptFusionOptions overrides;
        try {
            overrides = new OptFusionOptions(searchEvents, architectureLearningRate, product);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        FreshnessConfig freshness =
                FreshnessConfig.defaults()
                        .withResidual(residual)
                        .withTargetStatistics(targetStatistics)
                        .withSequenceLengths(sequenceLengths)
                        .withJointTraining(jointTraining)
                        .withValueStatistics(valueStatistics)
                        .withDeepWeight(deepWeight);
        DatasetSelection.Read read = data.read(limit);
        List<ClickEvent> events = read.events();
        FeatureSpec featureSpec =
                FeatureSpecInference.infer(events, embeddingDim, buckets, sequenceLength);
        // as the job: events of context-only action types (MIND's history) only seed the sequences
        List<String> contextOnly = JobOptions.CONTEXT_ONLY_ACTIONS.defaultValue();
        List<Example> examples =
                new SequenceEnrichment(featureSpec.sideField(), sequenceLength, contextOnly)
                        .enrichAll(events);
        err.printf(
                "evaluate: %,d %s events from %s, %s (%,d of them context-only %s: sequences only,"
                        + " not scored); fields: categorical %s, multi-valued %s, numeric %s, side"
                        + " %s%n",
                events.size(),
                data.dataset(),
                read.path(),
                read.badLines(),
                events.size() - examples.size(),
                contextOnly,
                featureSpec.categoricalFields(),
                featureSpec.multiValuedFields(),
                featureSpec.numericFields(),
                featureSpec.sideField());
        Map<String, Path> packages = WarmStarts.check(warmStarts, models, featureSpec);
        DelayedStream delayed =
                clickDelays == null ? null : DelayedStream.of(events, clickDelays, contextOnly);
        DelayedLabelEvaluation.Join join =
                clickDelays == null
                        ? null
                        : new DelayedLabelEvaluation.Join(
                                clickDelays.windowMillis(),
                                trainOnMode(),
                                fakeNegativeWeighting
                                        ? LossWeighting.FAKE_NEGATIVE
                                        : LossWeighting.NONE,
                                featureSpec.sideField(),
                                sequenceLength,
                                contextOnly);
        if (delayed != null) {
            err.printf(
                    Locale.ROOT,
                    "evaluate: delayed clicks: %,d impressions, %,d clicks (%,d after the window),"
                            + " %,d events left labelled; train on %s%n",
                    delayed.counts().impressions(),
                    delayed.counts().clicks(),
                    delayed.counts().lateClicks(),
                    delayed.counts().passedThrough(),
                    trainOnLabel(join));
        }
        List<DelayedLabelEvaluation.Result> delayedResults = new ArrayList<>();
        List<PrequentialEvaluation.Run> runs = new ArrayList<>();
        for (String model : models) {
            for (int seed = 1; seed <= seeds; seed++) {
                int runSeed = seed;
                ConsoleProgress progress =
                        ConsoleProgress.forConsole(
                                err, String.format("evaluate: %-20s seed %d: ", model, seed));
                PrequentialEvaluation.Settings settings =
                        new PrequentialEvaluation.Settings(
                                batchSize,
                                trainer,
                                seed,
                                device,
                                overrides,
                                freshness,
                                packages.get(model),
                                staleScores);
                PrequentialEvaluation.Run run;
                DelayedLabelEvaluation.Result delayedResult = null;
                if (delayed == null) {
                    run =
                            PrequentialEvaluation.run(
                                    model,
                                    featureSpec,
                                    examples,
                                    settings,
                                    done -> progress.update(done, examples.size(), 0),
                                    learner -> export(learner, packageDir(model, runSeed)));
                } else {
                    delayedResult =
                            DelayedLabelEvaluation.run(
                                    model,
                                    featureSpec,
                                    delayed.stream(),
                                    delayed.trueLabels(),
                                    settings,
                                    join,
                                    done -> progress.update(done, delayed.stream().size(), 0),
                                    learner -> export(learner, packageDir(model, runSeed)));
                    run = delayedResult.run();
                    delayedResults.add(delayedResult);
                }
                progress.done();
                if (packages.containsKey(model)) {
                    err.printf(
                            "evaluate: %-20s seed %d: started from the model package %s%n",
                            model, seed, packages.get(model));
                }
                if (exportModel != null) {
                    err.printf(
                            "evaluate: %-20s seed %d: model package written to %s%n",
                            model, seed, packageDir(model, seed));
                }
                err.printf(
                        "evaluate: %-20s seed %d: AUC %s, LogLoss %s, %,.0f events/s, %d steps,"
                                + " stage %s%n",
                        model,
                        seed,
                        run.lifetime().auc(),
                        run.lifetime().logLoss(),
                        run.eventsPerSecond(),
                        run.steps(),
                        run.stage());
                if (run.architecture() != null) {
                    err.printf(
                            "evaluate: %-20s seed %d: %s%n",
                            model, seed, ArchitectureWriter.summary(run.architecture()));
                    if (architectureDir != null) {
                        ArchitectureFormat.writeAll(
                                run.architecture(),
                                EnumSet.of(
                                        ArchitectureFormat.JSON,
                                        ArchitectureFormat.DOT,
                                        ArchitectureFormat.SVG),
                                architectureDir,
                                model + "-seed" + seed + "-architecture");
                    }
                }
                if (delayedResult != null) {
                    err.printf(
                            Locale.ROOT,
                            "evaluate: %-20s seed %d: on the data's own labels AUC %s, NE %s;"
                                    + " pending impressions max %,d, mean %,.1f; %,d late clicks"
                                    + " dropped, %,d examples trained%n",
                            model,
                            seed,
                            delayedResult.trueLabels().auc(),
                            delayedResult.trueLabels().ne(),
                            delayedResult.pending().max(),
                            delayedResult.pending().mean(),
                            delayedResult.counts().lateClicks(),
                            delayedResult.counts().trained());
                }
                err.flush();
                runs.add(run);
            }
        }
        String table =
                EvaluationTable.render(runs)
                        + (delayed == null ? "" : "\n" + DelayedLabelTable.render(delayedResults));
        out.printf(
                "%s, %,d events scored%s, batch %d, D %d, learning rates %s (dense) / %s"
                        + " (embeddings, %s%s), base-rate half-life %s, seeds 1..%d, deep models:"
                        + " residual %s, target statistics %s, sequence lengths %s, joint training"
                        + " %s, value statistics %s, deep weight %s%s%n%n",
                data.dataset(),
                examples.size(),
                examples.size() == events.size()
                        ? ""
                        : String.format(
                                " (+%,d context-only %s events before them)",
                                events.size() - examples.size(), contextOnly),
                batchSize,
                embeddingDim,
                plain(trainer.learningRate()),
                plain(trainer.embeddingLearningRate()),
                trainer.embeddingOptimizer().optionName(),
                trainer.perEventSquares() ? ", per-event squares" : "",
                trainer.baseRateHalfLife() == 0 ? "none" : trainer.baseRateHalfLife(),
                seeds,
                onOff(residual),
                onOff(targetStatistics),
                onOff(sequenceLengths),
                onOff(jointTraining),
                onOff(valueStatistics),
                onOff(deepWeight),
                staleScores ? "; STALE scores (each batch scored before learning from it)" : "");
        if (delayed != null) {
            out.printf(
                    Locale.ROOT,
                    "DELAYED labels: clicks an exponential %s s after their impression on average"
                            + " (delay seed %d), attribution window %s s, %s, train on %s:"
                            + " %,d impressions, %,d clicks, %,d of them after the window; AUC"
                            + " and NE below are the impression-time scores against the labels"
                            + " known at window close%n%n",
                    clickDelays.meanMillis() / 1000.0,
                    clickDelays.seed(),
                    clickDelays.windowMillis() / 1000.0,
                    clickDelays.lateShare() == ClickDelays.NATURAL_LATE_SHARE
                            ? "late clicks as the exponential's tail"
                            : "late-click share " + clickDelays.lateShare(),
                    trainOnLabel(join),
                    delayed.counts().impressions(),
                    delayed.counts().clicks(),
                    delayed.counts().lateClicks());
        }
        out.print(table);
        out.flush();
        if (output != null) {
            Files.writeString(output, table);
        }
        return 0;
    }

    private void validate() {
        delays.requireEnabledIfUsed();
        if (trainOn != null && !delays.enabled()) {
            throw new UsageException("--train-on needs --delayed-clicks");
        }
        if (fakeNegativeWeighting
                && (!delays.enabled() || trainOnMode() != TrainOn.FAKE_NEGATIVE)) {
            throw new UsageException("--fnw needs --delayed-clicks and --train-on fake-negative");
        }
        if (delays.enabled()) {
            trainOnMode();
            delays.delays(DEFAULT_WINDOW);
            if (staleScores) {
                throw new UsageException(
                        "--stale-scores does not apply with --delayed-clicks (impressions are"
                                + " always scored before any learning from them)");
            }
        }
        for (String m : models) {
            Choices.require("model", m, Learners.names(), "registered models");
        }
        data.validate();
        if (output != null) {
            Inputs.outputFile("--output", output);
        }
        if (architectureDir != null) {
            Inputs.outputDirectory("--architecture-dir", architectureDir);
        }
        if (exportModel != null) {
            Inputs.outputDirectory("--export-model", exportModel);
        }
        for (Path dir : warmStarts) {
            Inputs.directory("--warm-start", dir, "a model package folder");
        }
        Inputs.atLeast("--seeds", seeds, 1);
        Inputs.atLeast("--limit", limit, 0);
        Inputs.atLeast("--batch-size", batchSize, 1);
        Inputs.atLeast("--embedding-dim", embeddingDim, 1);
        Inputs.atLeast("--hash-buckets", buckets, 1);
        Inputs.atLeast("--sequence-length", sequenceLength, 1);
        Inputs.device(device);
    }

    /** A rate as a reader writes it: 0.0005, not Float's 5.0E-4. */
    private static String plain(float value) {
        return new java.math.BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** The training mode as the reports name it: the job's name, "+ fnw" with the weighting. */
    private static String trainOnLabel(DelayedLabelEvaluation.Join join) {
        return join.trainOn()
                + (join.weighting() == LossWeighting.FAKE_NEGATIVE ? " + fnw (weighted)" : "");
    }

    /** The {@code --train-on} mode, named as the job's option; the job's default when not given. */
    private TrainOn trainOnMode() {
        if (trainOn == null) {
            return JobOptions.LABELS_TRAIN_ON.defaultValue();
        }
        for (TrainOn mode : TrainOn.values()) {
            if (mode.toString().equals(trainOn)) {
                return mode;
            }
        }
        List<String> known = Arrays.stream(TrainOn.values()).map(TrainOn::toString).toList();
        throw new UsageException(Choices.unknown("--train-on mode", trainOn, known, "known"));
    }

    /** Where {@code --export-model} puts the run's package; null without the option. */
    private Path packageDir(String model, int seed) {
        return exportModel == null
                ? null
                : exportModel.resolve(seeds == 1 ? model : model + "-seed" + seed);
    }

    /** Writes the learner's package into {@code dir} (nothing when null). */
    private static void export(OnlineLearner learner, Path dir) {
        if (dir == null) {
            return;
        }
        try {
            ModelPackage.save(learner, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model package " + dir, e);
        }
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }
}
