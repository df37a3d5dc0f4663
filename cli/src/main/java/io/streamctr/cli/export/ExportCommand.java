package io.streamctr.cli.export;

import io.streamctr.cli.Inputs;
import io.streamctr.cli.UsageException;
import io.streamctr.cli.architecture.ModelStateReader;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.flink.learn.LearnerEntry;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.pkg.PackageManifest;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.sync.ReplicaMerge;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes one learner of the job as a model package (issue 15, item 2), read out of a retained
 * checkpoint or a savepoint with the State Processor API ({@link ModelStateReader}, as {@code
 * architecture} does): the learner the job built from its options (given again with {@code --set})
 * restores the checkpointed state and is saved with {@link ModelPackage#save}. A learner that ran
 * as P > 1 replicas (issue 17) is exported as the merge of the replicas' states ({@link
 * ReplicaMerge}), the state a restore at another parallelism starts every replica from.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write a learner of the job as a model package, from a retained checkpoint or a"
                    + " savepoint.",
            "Score with it (streamctr score --model DIR), or start a job or an evaluation from"
                    + " it (ctr.model.NAME.warm-start, evaluate --warm-start)."
        })
public final class ExportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "PATH",
            description = "A retained checkpoint (…/chk-N) or a savepoint of the streamctr job.")
    String checkpoint;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "NAME",
            description =
                    "The learner: its name in ctr.models (MODEL, or NAME=MODEL for a named one;"
                            + " a bare NAME is looked up in --set ctr.models).")
    String model;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description =
                    "The package folder to write (made if missing; must hold no other files).")
    Path output;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Job options the job ran with that shape the learner (ctr.features.*,"
                            + " ctr.sequence.max-length, ctr.learner.*, ctr.train.*, ctr.models,"
                            + " ctr.model.NAME.warm-start); repeatable.")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Configuration conf = new Configuration();
        options.forEach(conf::setString);
        conf.set(JobOptions.DEVICE, "cpu");
        LearnerConfig config = learnerConfig(conf);
        validate();
        DjlRuntime.configure();
        List<byte[]> snapshots;
        try {
            snapshots = ModelStateReader.readAll(checkpoint, config.learnerName());
        } catch (Exception e) {
            err.println(
                    "export: cannot read learner '"
                            + config.learnerName()
                            + "' from "
                            + checkpoint
                            + ": "
                            + rootMessage(e));
            err.flush();
            return 1;
        }
        try (OnlineLearner learner = config.newLearner()) {
            try {
                // P > 1: the replicas' merge, as a restore at another parallelism starts from
                ReplicaMerge.merge(learner, snapshots);
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        "the state of learner '"
                                + config.learnerName()
                                + "' in "
                                + checkpoint
                                + " does not fit a "
                                + config.modelName()
                                + " learner of these options; give the job's options with --set: "
                                + e.getMessage(),
                        e);
            }
            PackageManifest manifest;
            try {
                manifest = ModelPackage.save(learner, output);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--output " + e.getMessage(), e);
            }
            out.printf(
                    "wrote %s: learner %s, model %s at step %d%s%n",
                    output.toAbsolutePath(),
                    config.learnerName(),
                    manifest.model(),
                    manifest.step(),
                    snapshots.size() > 1
                            ? " (the merge of " + snapshots.size() + " replicas)"
                            : "");
            out.flush();
        }
        return 0;
    }

    /** The learner {@code --model} names, as the job built it from the options. */
    private LearnerConfig learnerConfig(Configuration conf) {
        try {
            return StreamCtrPipeline.learnerConfig(conf, entry(conf));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** {@code --model} as a {@code ctr.models} entry, a bare name looked up in the job's list. */
    private LearnerEntry entry(Configuration conf) {
        if (!model.contains("=") && conf.contains(JobOptions.MODELS)) {
            for (String text : StreamCtrPipeline.models(conf)) {
                LearnerEntry entry = LearnerEntry.parse(text);
                if (entry.name().equals(model)) {
                    return entry;
                }
            }
        }
        try {
            return LearnerEntry.parse(model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--model "
                            + model
                            + ": "
                            + e.getMessage()
                            + (model.contains("=")
                                    ? ""
                                    : " (a named learner: --model NAME=MODEL, or --set"
                                            + " ctr.models=... as the job ran)"),
                    e);
        }
    }

    /** A local checkpoint that exists, an output that is a folder or nothing yet. */
    private void validate() {
        if (!checkpoint.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") || checkpoint.startsWith("file:")) {
            Path local = Path.of(checkpoint.replaceFirst("^file:(//)?", ""));
            Inputs.existing(
                    "--checkpoint", local, "a retained checkpoint (…/chk-N) or a savepoint");
        }
        Inputs.outputDirectory("--output", output);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
