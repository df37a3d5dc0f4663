package io.streamctr.cli.bench;

import io.streamctr.bench.BenchModel;
import io.streamctr.bench.ModelBench;
import io.streamctr.bench.ModelBenchData;
import io.streamctr.bench.ModelBenchSettings;
import io.streamctr.cli.Choices;
import io.streamctr.cli.Inputs;
import io.streamctr.cli.evaluate.FeatureSpecInference;
import io.streamctr.datasets.DatasetAdapters;
import io.streamctr.datasets.DatasetOptions;
import io.streamctr.flink.JobOptions;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.ClickEvent;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code streamctr bench-model}: the training throughput of models alone, their compute rate from
 * their FLOP count and this machine's fp32 matmul rate, in one table. The work is in {@link
 * ModelBench}; the tables go to stdout, progress to stderr.
 */
@Command(
        name = "bench-model",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the training throughput of models alone (no Flink, no Kafka) on a data set's"
                + " events with their sequences (the bundled MovieLens unless --dataset/--path):"
                + " events/s of the training step and of encode + predict + train, GFLOP/s from"
                + " each model's FLOP count, and the share of this machine's fp32 matrix-multiply"
                + " rate (same libtorch, same threads, same run).",
            "NAME/search measures a model's architecture-search stage (e.g. optfusion-soft/search:"
                + " the OptFusion supernet); a model with a search is otherwise measured after its"
                + " search has ended, as the job trains it."
        })
public final class BenchModelCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--dataset",
            defaultValue = "movielens",
            paramLabel = "NAME",
            description =
                    "Data set format (see replay --list-datasets). MovieLens is encoded with the"
                        + " job's default fields; another data set with the fields evaluate infers"
                        + " from it. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(
            names = {"--data", "--path"},
            paramLabel = "FILE_OR_DIR",
            description =
                    "The data set's files. Default: the bundled MovieLens"
                            + " (data/movielens-latest-small).")
    Path data;

    @Option(
            names = "--option",
            paramLabel = "KEY=VALUE",
            description = "An adapter option (see replay --help); repeatable.")
    Map<String, String> adapterOptions = new LinkedHashMap<>();

    @Option(
            names = "--models",
            defaultValue = "interformer,optfusion-soft/search,optfusion-soft,optfusion-hard",
            split = ",",
            paramLabel = "NAME[/search]",
            description = "Models to measure. Default: ${DEFAULT-VALUE}.")
    List<String> models;

    @Option(
            names = "--batch-sizes",
            defaultValue = "256,1024",
            split = ",",
            paramLabel = "N",
            description =
                    "Mini-batch sizes; every model is measured at each. Default: ${DEFAULT-VALUE}.")
    List<Integer> batchSizes;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            paramLabel = "S",
            description =
                    "Measured time per model and batch size (at least 3 steps). Default:"
                            + " ${DEFAULT-VALUE}.")
    double seconds;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "5",
            paramLabel = "S",
            description =
                    "Untimed training before each measurement (at least 3 steps). Default:"
                            + " ${DEFAULT-VALUE}.")
    double warmupSeconds;

    @Option(
            names = "--embedding-dim",
            defaultValue = "16",
            paramLabel = "D",
            description =
                    "D of the feature embeddings (OptFusion and the baselines; InterFormer has its"
                            + " own). Default: ${DEFAULT-VALUE}.")
    int embeddingDim;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Torch intra-op threads; 0 = the job's default (1). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--matmul-size",
            defaultValue = "2048",
            paramLabel = "N",
            description =
                    "n of the n x n fp32 matrix-multiply reference. Default: ${DEFAULT-VALUE}.")
    int matmulSize;

    @Option(
            names = "--profile-steps",
            defaultValue = "3",
            paramLabel = "N",
            description =
                    "Steps split into forward / backward / optimizer after each measurement; 0 ="
                            + " none. Default: ${DEFAULT-VALUE}.")
    int profileSteps;

    @Option(
            names = "--op-profile-steps",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Steps recorded by libtorch's profiler after each measurement (0 = none, else"
                        + " >= 2): time per step by operator (per position the minimum over the"
                        + " steps, so other processes' load drops out), forward / backward /"
                        + " update, the matrix products' share and the rate they alone would allow;"
                        + " the traces (chrome://tracing) go to a temporary directory that is"
                        + " printed. Default: ${DEFAULT-VALUE}.")
    int opProfileSteps;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(
            names = "--two-pass",
            description =
                    "Score each batch with a separate inference pass before its training step, as"
                        + " the learner did before issue 18, instead of with the training forward"
                        + " (one pass, what the learner does now).")
    boolean twoPass;

    @Override
    public Integer call() throws Exception {
        Choices.require("data set", dataset, DatasetAdapters.names(), "known data sets");
        for (String m : models) {
            Choices.require(
                    "model",
                    m.trim().endsWith(BenchModel.SEARCH_SUFFIX)
                            ? m.trim()
                                    .substring(
                                            0,
                                            m.trim().length() - BenchModel.SEARCH_SUFFIX.length())
                            : m.trim(),
                    ModelRegistry.names(),
                    "registered deep models (NAME or NAME/search)");
        }
        boolean movieLens = "movielens".equals(dataset);
        if (data == null && !movieLens) {
            throw new ParameterException(
                    spec.commandLine(), "--dataset " + dataset + " needs --path FILE_OR_DIR");
        }
        Path path = data != null ? data : Path.of("data/movielens-latest-small");
        Inputs.existing("--path", path, "the data set's file or directory");
        Inputs.device(device);
        ModelBenchSettings settings;
        try {
            List<BenchModel> parsed = new ArrayList<>();
            for (String m : models) {
                BenchModel model = BenchModel.parse(m);
                if (model.searchStage()) {
                    model.create(
                            FeatureSpec
                                    .movieLens()); // a usage error now for NAME/search of a model
                    // without a search
                }
                parsed.add(model);
            }
            settings =
                    new ModelBenchSettings(
                            path,
                            parsed,
                            batchSizes,
                            seconds,
                            warmupSeconds,
                            embeddingDim,
                            threads,
                            matmulSize,
                            profileSteps,
                            device,
                            twoPass,
                            opProfileSteps);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ModelBench bench = new ModelBench(settings, System.out, System.err);
        if (movieLens && adapterOptions.isEmpty()) {
            bench.run(); // the job's own MovieLens fields
        } else {
            System.err.println("[bench-model] reading " + dataset + " from " + path);
            List<ClickEvent> events =
                    DatasetAdapters.read(
                            dataset, path, DatasetOptions.of(adapterOptions), Integer.MAX_VALUE);
            FeatureSpec inferred =
                    FeatureSpecInference.infer(
                            events,
                            embeddingDim,
                            JobOptions.HASH_BUCKETS.defaultValue(),
                            JobOptions.SEQUENCE_LENGTH.defaultValue());
            bench.run(
                    new ModelBenchData(
                            dataset + " " + path,
                            events,
                            inferred,
                            JobOptions.CONTEXT_ONLY_ACTIONS.defaultValue()));
        }
        return 0;
    }
}
